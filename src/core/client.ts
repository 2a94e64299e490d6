import { encodeMessage } from '../protocol/codec.js';
import { CloseCode } from '../protocol/close-codes.js';
import type { BatchableRequests, BatchableType, CheckIn, GymStats, KnownMessageType, MessageOf } from '../protocol/types.js';
import { backoffDelay } from './backoff.js';
import { Emitter } from './emitter.js';
import { browserEnvironment, systemClock, type Clock, type NetworkEnvironment, type NetworkSignal } from './environment.js';
import { GymClientError, isUnauthorized } from './errors.js';
import { utf8Length, type ClientEvents, type ClientMetrics, type ConnectionState, type Counters, type StateChange, type StateReason } from './events.js';
import { Heartbeat } from './heartbeat.js';
import { Inbound, type MessageHandler } from './inbound.js';
import { redactTokens, resolveTimings, socketUrl, type ClientTimings, type LogLevel, type RealtimeClientOptions } from './options.js';
import { isBatchable, Outbound, type Outgoing } from './outbound.js';
import { OutboxStore } from './outbox-store.js';
import { decideAfterLoss, decideOnSignal, freshCounters, type RetryCounters } from './policy.js';
import { Timers } from './timers.js';
import { TokenSource, type TokenOptions } from './token-source.js';

export type { ClientEvents, ClientMetrics, ConnectionState, StateChange, StateReason } from './events.js';

/** The connection, with the data each state owns; nothing outside it can contradict the state. */
type Link =
  | { state: 'idle' }
  /** `socket` is undefined while the token is being fetched. */
  | { state: 'connecting'; socket?: WebSocket }
  | { state: 'open'; socket: WebSocket; openedAt: number }
  | { state: 'reconnecting'; nextAttemptAt: number }
  | { state: 'offline' }
  | { state: 'unauthorized' }
  | { state: 'closed'; disposed: boolean };

const ignore = () => {};
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One reconnecting, batching, token-authenticated WebSocket to the AV-Gym
 * check-in endpoint, shared by every widget on a page. Framework-free: usable
 * on its own, in a browser or in Node (pass `WebSocket` from `ws`).
 *
 * This class carries out decisions; the rules live in `policy.ts`, liveness
 * in `heartbeat.ts`, the outbox and replies in `outbound.ts`, decoding and
 * fan-out in `inbound.ts`.
 */
export class RealtimeClient {
  readonly #timings: ClientTimings;
  readonly #WebSocket: new (url: string) => WebSocket;
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  readonly #env: NetworkEnvironment;
  readonly #random: () => number;
  readonly #logger: ((level: LogLevel, message: string) => void) | undefined;
  #url: string;
  #tokenOptions: TokenOptions;
  #tokens: TokenSource;

  #link: Link = { state: 'idle' };
  #retry: RetryCounters = freshCounters();
  #wantFreshToken = false;
  /** The link has been open at least once: a later open counts as a reconnect. */
  #hasOpened = false;
  #stopWatching: (() => void) | undefined;

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
  readonly #timers: Timers<'retry' | 'connect'>;
  readonly #heartbeat: Heartbeat;
  readonly #inbound: Inbound;
  readonly #outbound: Outbound;

  /** Throws a `TypeError` for a URL that is not a WebSocket URL, a `RangeError` for an invalid timing. */
  constructor(options: RealtimeClientOptions) {
    socketUrl(options.url);
    const timings = (this.#timings = resolveTimings(options));
    this.#url = options.url;
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const clock = (this.#clock = options.clock ?? systemClock);
    this.#env = options.environment ?? browserEnvironment;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger;
    this.#tokenOptions = { token: options.token, tokenUrl: options.tokenUrl, tokenProvider: options.tokenProvider };
    this.#tokens = this.#makeTokenSource();
    const guard = (callback: () => void) => this.#guard(callback);
    const store = options.outboxStorage && new OutboxStore(options.outboxStorage, options.outboxKey ?? 'gym-realtime-widgets.outbox');
    this.#timers = new Timers(clock, guard);
    this.#heartbeat = new Heartbeat(clock, timings, guard, {
      send: () => this.#write(encodeMessage({ type: 'heartbeat' })),
      dead: () => {
        this.#log('warn', `no frame for ${timings.heartbeatTimeout} ms after a heartbeat; reconnecting`);
        this.#closeSocket(CloseCode.HeartbeatTimeout);
        this.#linkLost('heartbeat-timeout');
      },
    });
    this.#inbound = new Inbound(this.#counters, {
      heard: () => this.#heartbeat.heard(),
      ack: () => {
        this.#counters.lastHeartbeatRtt = this.#heartbeat.roundTrip() ?? this.#counters.lastHeartbeatRtt;
      },
      malformed: (error) => {
        this.#log('warn', `malformed frame: ${error}`);
        this.#events.emit('protocol-error', { error, total: this.#counters.protocolErrors });
      },
      reply: (message) => this.#outbound.answer(message),
      subscriberError: (type, error) => this.#events.emit('error', { source: 'subscriber', type, error }),
    });
    this.#outbound = new Outbound(timings, clock, guard, this.#events, store, (text) => this.#write(text));
  }

  get state(): ConnectionState {
    return this.#link.state;
  }

  /** While `reconnecting`: the wall-clock time (ms) of the next attempt. */
  get nextAttemptAt(): number | undefined {
    return this.#link.state === 'reconnecting' ? this.#link.nextAttemptAt : undefined;
  }

  get url(): string {
    return this.#url;
  }

  /** The gym's latest figures (from `initial_stats` / `check_in_stats`), for elements that arrive late. */
  get stats(): GymStats | undefined {
    return this.#inbound.stats;
  }

  get metrics(): ClientMetrics {
    return { ...this.#counters, outboxDepth: this.#outbound.depth, awaitingReply: this.#outbound.awaiting };
  }

  get #disposed(): boolean {
    return this.#link.state === 'closed' && this.#link.disposed;
  }

  /** Starts connecting (and keeps the link up from then on). No-op unless `idle` or `closed`. */
  connect(): void {
    const { state } = this.#link;
    if (this.#disposed || (state !== 'idle' && state !== 'closed')) return;
    this.#outbound.restore();
    this.#startAttempt('connect');
  }

  /** Tries now instead of waiting for the backoff, the network or a new token. No-op while open or connecting. */
  reconnectNow(): void {
    const { state } = this.#link;
    if (this.#disposed || state === 'open' || state === 'connecting') return;
    if (state === 'unauthorized') this.#wantFreshToken = true;
    this.#startAttempt('retry-now');
  }

  /**
   * Changes the URL or the token source. When something changed and the client
   * is running, it reconnects once with the new values (a new token also ends
   * `unauthorized`).
   */
  configure(options: Partial<Pick<RealtimeClientOptions, 'url' | keyof TokenOptions>>): void {
    const url = options.url ?? this.#url;
    socketUrl(url);
    const next = { ...this.#tokenOptions, ...options };
    const current = this.#tokenOptions;
    const changed = url !== this.#url || next.token !== current.token || next.tokenUrl !== current.tokenUrl || next.tokenProvider !== current.tokenProvider;
    if (!changed || this.#disposed) return;
    this.#url = url;
    this.#tokenOptions = { token: next.token, tokenUrl: next.tokenUrl, tokenProvider: next.tokenProvider };
    this.#tokens = this.#makeTokenSource();
    if (this.#link.state === 'idle' || this.#link.state === 'closed') return;
    this.#closeSocket(CloseCode.Normal);
    this.#retry = freshCounters();
    this.#startAttempt('reconfigured');
  }

  /** Stops on purpose: closes the link, makes no more attempts. Queued requests wait for the next `connect()`. */
  close(): void {
    if (this.#link.state === 'closed') return;
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    this.#closeSocket(CloseCode.Normal);
    this.#timers.clear('retry');
    this.#setLink({ state: 'closed', disposed: false }, 'close');
  }

  /** Closes and frees everything: queued requests are rejected (`closed`), no timer, listener or socket is left. */
  dispose(): void {
    if (this.#disposed) return;
    this.close();
    this.#link = { state: 'closed', disposed: true };
    this.#outbound.dispose();
    this.#events.clear();
    this.#inbound.clear();
  }

  /**
   * The access token the client connects with (cached by its token source),
   * for calling the REST API beside the socket, e.g. the recent check-ins.
   */
  token(): Promise<string | undefined> {
    return this.#tokens.get(false);
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
    if (this.#disposed) {
      item.reply?.reject(new GymClientError('The client is disposed', 'closed'));
      return false;
    }
    return this.#outbound.enqueue(item, this.#link.state === 'open');
  }

  // ---- connection life ----

  #startAttempt(reason: StateReason): void {
    this.#timers.clear('retry');
    this.#stopWatching ??= this.#env.watch((signal) => this.#guard(() => this.#onSignal(signal)));
    if (reason !== 'retry-now' && !this.#env.isOnline()) {
      this.#setLink({ state: 'offline' }, 'offline');
      return;
    }
    const link: Link = { state: 'connecting' };
    this.#setLink(link, reason);
    this.#openSocket(link).catch((error: unknown) => this.#reportInternal(error));
  }

  async #openSocket(link: Extract<Link, { state: 'connecting' }>): Promise<void> {
    const fresh = this.#wantFreshToken;
    this.#wantFreshToken = false;
    let token: string | undefined;
    try {
      token = await this.#tokens.get(fresh);
    } catch (error) {
      if (link !== this.#link) return;
      if (isUnauthorized(error)) {
        this.#setLink({ state: 'unauthorized' }, 'unauthorized');
        return;
      }
      this.#log('warn', `token source failed: ${describe(error)}`);
      this.#wantFreshToken = true;
      this.#retryLater('token-failed');
      return;
    }
    if (link !== this.#link) return;
    this.#counters.connectAttempts++;
    let socket: WebSocket;
    try {
      socket = new this.#WebSocket(socketUrl(this.#url, token));
    } catch (error) {
      this.#log('warn', `the socket could not be created: ${describe(error)}`);
      this.#linkLost('connection-lost');
      return;
    }
    link.socket = socket;
    socket.onopen = () => this.#guard(() => this.#onOpen(socket));
    socket.onmessage = (event) => this.#guard(() => this.#inbound.receive(event.data));
    socket.onclose = (event) => this.#guard(() => this.#linkLost('connection-lost', event.code));
    // Close follows every error and decides. The handler stays after the socket is
    // forgotten: `ws` in Node throws an error event that nobody listens to.
    socket.onerror = ignore;
    this.#timers.set('connect', this.#timings.connectTimeout, () => {
      this.#closeSocket(CloseCode.Normal);
      this.#linkLost('connect-timeout');
    });
  }

  #onOpen(socket: WebSocket): void {
    this.#timers.clear('connect');
    if (this.#hasOpened) this.#counters.reconnects++;
    this.#hasOpened = true;
    this.#setLink({ state: 'open', socket, openedAt: this.#clock.now() }, 'open');
    this.#heartbeat.start();
    this.#outbound.opened();
  }

  /** The socket is gone (closed by the far end, timed out, or abandoned by us): decide what comes next. */
  #linkLost(reason: 'connection-lost' | 'connect-timeout' | 'heartbeat-timeout', code?: number): void {
    const link = this.#link;
    this.#detachSocket();
    const wasOpen = link.state === 'open';
    const decision = decideAfterLoss({
      wasOpen,
      openFor: wasOpen ? this.#clock.now() - link.openedAt : 0,
      stableAfter: this.#timings.stableAfter,
      code,
      refreshable: this.#tokens.refreshable,
      counters: this.#retry,
    });
    this.#retry = decision.counters;
    if (decision.freshToken) this.#wantFreshToken = true;
    if (decision.next === 'unauthorized') this.#setLink({ state: 'unauthorized' }, 'unauthorized', code);
    else this.#retryLater(!wasOpen && reason === 'connection-lost' ? 'handshake-failed' : reason, code);
  }

  #retryLater(reason: StateReason, code?: number): void {
    if (!this.#env.isOnline()) {
      this.#setLink({ state: 'offline' }, 'offline', code);
      return;
    }
    const { initialRetryDelay: initialDelay, maxRetryDelay: maxDelay } = this.#timings;
    const delay = backoffDelay(this.#retry.failures++, { initialDelay, maxDelay }, this.#random);
    this.#timers.set('retry', delay, () => this.#startAttempt('retry'));
    this.#setLink({ state: 'reconnecting', nextAttemptAt: this.#clock.now() + delay }, reason, code);
  }

  #onSignal(signal: NetworkSignal): void {
    const action = decideOnSignal(this.#link.state, signal);
    if (action === 'offline') {
      this.#timers.clear('retry');
      this.#setLink({ state: 'offline' }, 'offline');
    } else if (action === 'attempt') {
      this.#startAttempt(signal as StateReason);
    } else if (action === 'probe') {
      this.#heartbeat.probe();
    }
  }

  /** Stops listening to the socket and closes it. */
  #closeSocket(code: number): void {
    const socket = this.#detachSocket();
    try {
      socket?.close(code);
    } catch {
      // Already closing: nothing more to do.
    }
  }

  /** Forgets the socket: its timers stop, unsent batch items return to the outbox, unanswered requests fail. */
  #detachSocket(): WebSocket | undefined {
    const link = this.#link;
    const socket = link.state === 'open' || link.state === 'connecting' ? link.socket : undefined;
    if (socket) socket.onopen = socket.onmessage = socket.onclose = null;
    this.#timers.clear('connect');
    this.#heartbeat.stop();
    this.#outbound.lost();
    return socket;
  }

  #write(text: string): void {
    (this.#link as Extract<Link, { state: 'open' }>).socket.send(text);
    this.#counters.framesOut++;
    this.#counters.bytesOut += utf8Length(text);
  }

  // ---- plumbing ----

  #setLink(link: Link, reason: StateReason, code?: number): void {
    const previous = this.#link.state;
    this.#link = link;
    const { state } = link;
    if (previous === state) return;
    const change: StateChange = { state, previous, reason };
    if (code !== undefined) change.code = code;
    if (link.state === 'reconnecting') change.nextAttemptAt = link.nextAttemptAt;
    this.#log('debug', `${previous} → ${state} (${reason}${code === undefined ? '' : ` ${code}`})`);
    this.#events.emit('state', change);
  }

  #makeTokenSource(): TokenSource {
    return new TokenSource(this.#tokenOptions, this.#fetch, () => this.#clock.now());
  }

  /** Runs a socket, timer or environment callback; whatever it throws is reported, never rethrown. */
  #guard(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.#reportInternal(error);
    }
  }

  #reportInternal(error: unknown): void {
    this.#log('error', `internal error: ${describe(error)}`);
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
