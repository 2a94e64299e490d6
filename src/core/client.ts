import type { BatchableRequests, BatchableType, CheckIn, GymStats, KnownMessageType, MessageOf } from '../protocol/types.js';
import { Connection } from './connection.js';
import { UsageHistory, type ConnectionHistory } from './diagnostics.js';
import { Emitter } from './emitter.js';
import { browserEnvironment, systemClock, type Clock } from './environment.js';
import { GymClientError } from './errors.js';
import type { ClientEvents, ClientMetrics, ConnectionState, Counters } from './events.js';
import { Inbound, type MessageHandler } from './inbound.js';
import { redactTokens, resolveTimings, socketUrl, type LogLevel, type RealtimeClientOptions } from './options.js';
import { isBatchable, Outbound, type Outgoing } from './outbound.js';
import { OutboxStore } from './outbox-store.js';
import { TokenSource, type TokenOptions } from './token-source.js';

export type { ClientEvents, ClientMetrics, ConnectionState, StateChange, StateReason } from './events.js';

const ignore = () => {};

/**
 * One reconnecting, batching, token-authenticated WebSocket to the AV-Gym
 * check-in endpoint, shared by every widget on a page. Framework-free: usable
 * on its own, in a browser or in Node (pass `WebSocket` from `ws`).
 *
 * A facade: the socket's life is `connection.ts` (following the rules in
 * `policy.ts`), the outbox and replies `outbound.ts`, decoding and fan-out
 * `inbound.ts`.
 */
export class RealtimeClient {
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  /** How long a token source may take (the connect timeout: fetching the token is part of connecting). */
  readonly #timeout: number;
  readonly #logger: ((level: LogLevel, message: string) => void) | undefined;
  #tokenOptions: TokenOptions;
  readonly #counters: Counters = {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    connectAttempts: 0,
    reconnects: 0,
    protocolErrors: 0,
    lastHeartbeatRtt: undefined,
  };
  readonly #events = new Emitter<ClientEvents>((type, error) => this.#reportListenerError(String(type), error));
  readonly #connection: Connection;
  readonly #usage: UsageHistory;
  readonly #inbound: Inbound;
  readonly #outbound: Outbound;

  /** Throws a `TypeError` for a URL that is not a WebSocket URL, a `RangeError` for an invalid timing. */
  constructor(options: RealtimeClientOptions) {
    socketUrl(options.url);
    const timings = resolveTimings(options);
    const clock = (this.#clock = options.clock ?? systemClock);
    this.#timeout = timings.connectTimeout;
    this.#usage = new UsageHistory(() => clock.now());
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#logger = options.logger;
    this.#tokenOptions = { token: options.token, tokenUrl: options.tokenUrl, tokenProvider: options.tokenProvider };
    const guard = (callback: () => void) => {
      try {
        callback();
      } catch (error) {
        this.#reportInternal(error);
      }
    };
    const events = this.#events;
    this.#connection = new Connection(
      {
        timings,
        clock,
        WebSocket: options.WebSocket ?? globalThis.WebSocket,
        fetch: this.#fetch,
        env: options.environment ?? browserEnvironment,
        random: options.random ?? Math.random,
        authCheckUrl: options.authCheckUrl,
        counters: this.#counters,
        guard,
        internal: (error) => this.#reportInternal(error),
        log: (level, message) => this.#log(level, message),
      },
      {
        state: (change) => {
          this.#usage.state(change);
          events.emit('state', change);
        },
        live: () => this.#outbound.opened(),
        lost: () => this.#outbound.lost(),
        frame: (data) => this.#inbound.receive(data),
        configError: (message) => {
          this.#log('warn', message);
          events.emit('config-error', { message });
        },
      },
      options.url,
      this.#makeTokenSource(),
    );
    this.#inbound = new Inbound(this.#counters, {
      heard: () => this.#connection.heard(),
      ack: () => {
        const rtt = this.#connection.roundTrip();
        this.#counters.lastHeartbeatRtt = rtt;
        if (rtt !== undefined) this.#usage.roundTrip(rtt);
      },
      malformed: (error) => {
        this.#log('warn', `malformed frame: ${error}`);
        events.emit('protocol-error', { error, total: this.#counters.protocolErrors });
      },
      reply: (message) => this.#outbound.answer(message),
      subscriberError: (type, error) => events.emit('error', { source: 'subscriber', type, error }),
    });
    const store = options.outboxStorage && new OutboxStore(options.outboxStorage, options.outboxKey ?? 'gym-realtime-widgets.outbox', options.locks ?? globalThis.navigator?.locks);
    this.#outbound = new Outbound(timings, clock, guard, events, store, () => this.state === 'open', (text) => this.#connection.write(text));
  }

  get state(): ConnectionState {
    return this.#connection.state;
  }

  /** While `reconnecting` or `refused`: the wall-clock time (ms) of the next attempt. */
  get nextAttemptAt(): number | undefined {
    return this.#connection.nextAttemptAt;
  }

  get url(): string {
    return this.#connection.url;
  }

  /** True when the page gave a token or a way to get one; false for a page that connects anonymously. */
  get usesToken(): boolean {
    return this.#connection.tokens.configured;
  }

  /** The gym's latest figures (from `initial_stats` / `check_in_stats`), for elements that arrive late. */
  get stats(): GymStats | undefined {
    return this.#inbound.stats;
  }

  get metrics(): ClientMetrics {
    return { ...this.#counters, outboxDepth: this.#outbound.depth, awaitingReply: this.#outbound.awaiting };
  }

  /**
   * The last hour of the connection, for diagnostics and apps: the last 50
   * state changes, the last 20 heartbeat round trips, and per minute the round
   * trip, the share of time open, reconnections and failed attempts; fixed in
   * size however long the page stays open.
   */
  history(): ConnectionHistory {
    return this.#usage.read();
  }

  /** Starts connecting (and keeps the link up from then on). No-op unless `idle` or `closed`. */
  connect(): void {
    const { state } = this;
    if (this.#connection.disposed || (state !== 'idle' && state !== 'closed')) return;
    this.#outbound.adopt();
    this.#connection.start('connect');
  }

  /** Tries now instead of waiting for the backoff, the network or a new token. No-op while open or connecting. */
  reconnectNow(): void {
    const { state } = this;
    if (this.#connection.disposed || state === 'open' || state === 'checking' || state === 'connecting') return;
    this.#connection.start('retry-now');
  }

  /**
   * Changes the URL or the token source. When something changed and the client
   * is running, it reconnects once with the new values (a new token also ends
   * `unauthorized`).
   */
  configure(options: Partial<Pick<RealtimeClientOptions, 'url' | keyof TokenOptions>>): void {
    const connection = this.#connection;
    const url = options.url ?? connection.url;
    socketUrl(url);
    const next = { ...this.#tokenOptions, ...options };
    const current = this.#tokenOptions;
    const changed = url !== connection.url || next.token !== current.token || next.tokenUrl !== current.tokenUrl || next.tokenProvider !== current.tokenProvider;
    if (!changed || connection.disposed) return;
    connection.url = url;
    this.#tokenOptions = { token: next.token, tokenUrl: next.tokenUrl, tokenProvider: next.tokenProvider };
    connection.tokens = this.#makeTokenSource();
    if (this.state !== 'idle' && this.state !== 'closed') connection.start('reconfigured');
  }

  /** Stops on purpose: closes the link, makes no more attempts. Queued requests wait for the next `connect()`. */
  close(): void {
    if (this.state !== 'closed') this.#connection.close(false);
  }

  /** Closes and frees everything: queued requests are rejected (`closed`), no timer, listener or socket is left. */
  dispose(): void {
    if (this.#connection.disposed) return;
    this.#connection.close(true);
    this.#outbound.dispose();
    this.#events.clear();
    this.#inbound.clear();
  }

  /**
   * The access token the client connects with (cached by its token source),
   * for calling the REST API beside the socket, e.g. the recent check-ins.
   */
  token(): Promise<string | undefined> {
    return this.#connection.tokens.get(false);
  }

  /** Listens to a client event; returns the function that stops listening. */
  on<K extends keyof ClientEvents>(type: K, listener: (event: ClientEvents[K]) => void): () => void {
    return this.#events.on(type, listener);
  }

  /**
   * Receives every inbound message of one type (`'*'` for all); returns the
   * function that unsubscribes. A check-in or check-out reaches
   * `member_checked_in` / `member_checked_out` subscribers once, whichever of
   * the sender's success reply, the broadcast or a `check_in_update` carried it.
   */
  subscribe<T extends KnownMessageType>(type: T, handler: (message: MessageOf<T>) => void): () => void;
  subscribe(type: string, handler: MessageHandler): () => void;
  subscribe(type: string, handler: (message: never) => void): () => void {
    return this.#inbound.subscribe(type, handler as MessageHandler);
  }

  /**
   * Sends a message, fire-and-forget. While the link is down it waits in the
   * outbox; false when it was refused because the outbox is full.
   */
  send(type: string, payload?: unknown): boolean {
    const reply = isBatchable(type) ? { type, payload: payload as never, resolve: ignore, reject: ignore } : undefined;
    return this.#enqueue({ type, payload, reply });
  }

  /**
   * Sends a `check_in` or `check_out` and settles with the server's answer:
   * the check-in on `*_success`; a `GymClientError` coded `rejected` (the
   * server's text), `timeout`, `connection-lost` (may have been delivered),
   * `outbox-full` or `closed` otherwise.
   */
  request<T extends BatchableType>(type: T, payload: BatchableRequests[T]): Promise<CheckIn> {
    if (!isBatchable(type)) {
      return Promise.reject(new GymClientError(`"${String(type)}" has no reply to wait for; use send()`, 'unsupported'));
    }
    return new Promise((resolve, reject) => {
      this.#enqueue({ type, payload, reply: { type, payload, resolve, reject } });
    });
  }

  #enqueue(item: Outgoing): boolean {
    if (this.#connection.disposed) {
      item.reply?.reject(new GymClientError('The client is disposed', 'closed'));
      return false;
    }
    return this.#outbound.enqueue(item);
  }

  #makeTokenSource(): TokenSource {
    return new TokenSource(this.#tokenOptions, this.#fetch, this.#clock, this.#timeout);
  }

  #reportInternal(error: unknown): void {
    this.#log('error', `internal error: ${error instanceof Error ? error.message : String(error)}`);
    this.#events.emit('error', { source: 'internal', type: 'internal', error });
  }

  #reportListenerError(type: string, error: unknown): void {
    if (type === 'error') {
      this.#log('error', `an error listener threw: ${String(error)}`);
      return;
    }
    this.#events.emit('error', { source: 'subscriber', type, error });
  }

  #log(level: LogLevel, message: string): void {
    try {
      this.#logger?.(level, redactTokens(message));
    } catch {
      // A broken logger must not break the client.
    }
  }
}
