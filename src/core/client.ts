import { decodeFrame, encodeBatch, encodeMessage, type BatchItem } from '../protocol/codec.js';
import { CloseCode, isAuthClose } from '../protocol/close-codes.js';
import type {
  BatchableRequests,
  BatchableType,
  CheckIn,
  CheckInMessage,
  GymStats,
  KnownMessage,
  KnownMessageType,
  MessageOf,
  ServerMessage,
} from '../protocol/types.js';
import { backoffDelay } from './backoff.js';
import { Emitter } from './emitter.js';
import { browserEnvironment, systemClock, type Clock, type NetworkEnvironment, type NetworkSignal } from './environment.js';
import { GymClientError, isUnauthorized } from './errors.js';
import {
  redactTokens,
  resolveTimings,
  socketUrl,
  type ClientTimings,
  type LogLevel,
  type RealtimeClientOptions,
} from './options.js';
import { OutboxStore } from './outbox-store.js';
import { PendingReplies, type PendingReply } from './pending-replies.js';
import { RecentKeys } from './recent-keys.js';
import { TokenSource, type TokenOptions } from './token-source.js';

/**
 * - `idle`: created, `connect()` not called yet.
 * - `connecting`: getting a token or waiting for the socket to open.
 * - `open`: live.
 * - `reconnecting`: waiting for the next attempt, at `nextAttemptAt`.
 * - `offline`: the browser says there is no network; waiting for `online`.
 * - `unauthorized`: the token source refused; waiting for a new token.
 * - `closed`: stopped on purpose by `close()` or `dispose()`.
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'offline' | 'unauthorized' | 'closed';

/** Why the state changed. */
export type StateReason =
  | 'connect'
  | 'open'
  | 'connection-lost'
  | 'handshake-failed'
  | 'connect-timeout'
  | 'heartbeat-timeout'
  | 'token-failed'
  | 'unauthorized'
  | 'offline'
  | 'online'
  | 'visible'
  | 'retry'
  | 'retry-now'
  | 'reconfigured'
  | 'close';

export interface StateChange {
  state: ConnectionState;
  previous: ConnectionState;
  reason: StateReason;
  /** The close code that caused the change, when a socket closed. */
  code?: number;
  /** When `reconnecting`: the wall-clock time (ms) of the next attempt. */
  nextAttemptAt?: number;
}

export interface ClientEvents {
  /** Every state transition, once. */
  state: StateChange;
  /** A frame (or batch item) that could not be decoded; `total` counts them all. */
  'protocol-error': { error: string; total: number };
  /** A request was refused because the outbox was full. */
  'outbox-full': { type: string; limit: number };
  /** Requests a previous page left in `outboxStorage` were queued again. */
  'outbox-restored': { count: number };
  /** The answer to a restored request (its promise was on the page that made it). */
  'restored-reply': { type: string; payload: unknown; ok: boolean; checkIn?: CheckIn; message?: string };
  /** `outboxStorage` held content this client ignored, or could not be written. */
  'storage-error': { error: string };
  /** A subscriber or listener threw (`source: 'subscriber'`), or the client itself failed (`'internal'`). */
  error: { source: 'subscriber' | 'internal'; type: string; error: unknown };
}

/** Counters readable at any time (`client.metrics`). */
export interface ClientMetrics {
  framesIn: number;
  framesOut: number;
  /** UTF-8 bytes of text frames (binary frames: their size). */
  bytesIn: number;
  bytesOut: number;
  /** Sockets created. */
  connectAttempts: number;
  /** Times the link opened again after having been open. */
  reconnects: number;
  protocolErrors: number;
  /** Round trip of the last answered heartbeat, in ms. */
  lastHeartbeatRtt: number | undefined;
  /** Requests waiting to be written. */
  outboxDepth: number;
  /** Requests written and waiting for their reply. */
  awaitingReply: number;
}

type Outgoing = { type: string; payload: unknown; reply?: PendingReply | undefined };
type TimerName = 'retry' | 'connect' | 'heartbeat' | 'liveness' | 'batch';
type MessageHandler = (message: ServerMessage) => void;

const isBatchable = (type: string): type is BatchableType => type === 'check_in' || type === 'check_out';
const ignore = () => {};

/** UTF-8 length of a string without encoding it. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) bytes += c > 0x7ff && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return bytes;
}

/**
 * One reconnecting, batching, token-authenticated WebSocket to the AV-Gym
 * check-in endpoint, shared by every widget on a page. Framework-free: usable
 * on its own, in a browser or in Node (pass `WebSocket` from `ws`).
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

  #state: ConnectionState = 'idle';
  #nextAttemptAt: number | undefined;
  #socket: WebSocket | undefined;
  /** Bumped whenever a connection attempt starts or is cancelled; stale async work compares it. */
  #generation = 0;
  /** Failed attempts since the link was last stable; drives the backoff. */
  #failures = 0;
  /** Handshakes in a row that failed before opening (a 403 looks like the network). */
  #neverOpened = 0;
  /** Auth closes of an open link since it was last stable. */
  #authCloses = 0;
  #wantFreshToken = false;
  #openedAt = 0;
  #hasOpened = false;
  /** When the unanswered heartbeat went out; undefined while the link has spoken since. */
  #awaitingSince: number | undefined;
  #heartbeatSentAt: number | undefined;
  #disposed = false;
  #stats: GymStats | undefined;

  readonly #timers = new Map<TimerName, unknown>();
  readonly #outbox: Outgoing[] = [];
  readonly #store: OutboxStore | undefined;
  #restored = false;
  readonly #batch: Outgoing[] = [];
  readonly #replies = new PendingReplies();
  readonly #delivered = new RecentKeys(1000);
  readonly #events = new Emitter<ClientEvents>((type, error) => this.#reportListenerError(String(type), error));
  readonly #messages = new Emitter<Record<string, ServerMessage>>((type, error) =>
    this.#events.emit('error', { source: 'subscriber', type: String(type), error }),
  );
  #stopWatching: (() => void) | undefined;
  readonly #counters = {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    connectAttempts: 0,
    reconnects: 0,
    protocolErrors: 0,
    lastHeartbeatRtt: undefined as number | undefined,
  };

  /** Throws a `TypeError` for a URL that is not a WebSocket URL, a `RangeError` for an invalid timing. */
  constructor(options: RealtimeClientOptions) {
    socketUrl(options.url);
    this.#timings = resolveTimings(options);
    this.#url = options.url;
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#clock = options.clock ?? systemClock;
    this.#env = options.environment ?? browserEnvironment;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger;
    this.#tokenOptions = { token: options.token, tokenUrl: options.tokenUrl, tokenProvider: options.tokenProvider };
    this.#tokens = this.#makeTokenSource();
    if (options.outboxStorage) this.#store = new OutboxStore(options.outboxStorage, options.outboxKey ?? 'gym-realtime-widgets.outbox');
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** While `reconnecting`: the wall-clock time (ms) of the next attempt. */
  get nextAttemptAt(): number | undefined {
    return this.#nextAttemptAt;
  }

  get url(): string {
    return this.#url;
  }

  /** The gym's latest figures (from `initial_stats` / `check_in_stats`), for elements that arrive late. */
  get stats(): GymStats | undefined {
    return this.#stats;
  }

  get metrics(): ClientMetrics {
    return {
      ...this.#counters,
      outboxDepth: this.#outbox.length + this.#batch.length,
      awaitingReply: this.#replies.size,
    };
  }

  /** Starts connecting (and keeps the link up from then on). No-op unless `idle` or `closed`. */
  connect(): void {
    if (this.#disposed || (this.#state !== 'idle' && this.#state !== 'closed')) return;
    this.#restoreOutbox();
    this.#startAttempt('connect');
  }

  /** Tries now instead of waiting for the backoff, the network or a new token. No-op while open or connecting. */
  reconnectNow(): void {
    if (this.#disposed || this.#state === 'open' || this.#state === 'connecting') return;
    if (this.#state === 'unauthorized') this.#wantFreshToken = true;
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
    const tokenOptions = { ...this.#tokenOptions, ...options };
    const changed =
      url !== this.#url ||
      tokenOptions.token !== this.#tokenOptions.token ||
      tokenOptions.tokenUrl !== this.#tokenOptions.tokenUrl ||
      tokenOptions.tokenProvider !== this.#tokenOptions.tokenProvider;
    if (!changed || this.#disposed) return;
    this.#url = url;
    this.#tokenOptions = { token: tokenOptions.token, tokenUrl: tokenOptions.tokenUrl, tokenProvider: tokenOptions.tokenProvider };
    this.#tokens = this.#makeTokenSource();
    if (this.#state === 'idle' || this.#state === 'closed') return;
    this.#closeSocket(CloseCode.Normal);
    this.#failures = this.#neverOpened = this.#authCloses = 0;
    this.#startAttempt('reconfigured');
  }

  /** Stops on purpose: closes the link, makes no more attempts. Queued requests wait for the next `connect()`. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    this.#closeSocket(CloseCode.Normal);
    this.#clearTimer('retry');
    this.#generation++;
    this.#nextAttemptAt = undefined;
    this.#setState('closed', 'close');
  }

  /** Closes and frees everything: queued requests are rejected (`closed`), no timer, listener or socket is left. */
  dispose(): void {
    if (this.#disposed) return;
    this.close();
    this.#disposed = true;
    for (const item of this.#outbox.splice(0)) {
      item.reply?.reject(new GymClientError('The client was disposed before this request was sent', 'closed'));
    }
    this.#persistOutbox();
    this.#events.clear();
    this.#messages.clear();
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
    return this.#messages.on(type, handler as MessageHandler);
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

  // ---- connection life ----

  #startAttempt(reason: StateReason): void {
    this.#clearTimer('retry');
    this.#nextAttemptAt = undefined;
    this.#stopWatching ??= this.#env.watch((signal) => this.#guard(() => this.#onSignal(signal)));
    if (reason !== 'retry-now' && !this.#env.isOnline()) {
      this.#generation++;
      this.#setState('offline', 'offline');
      return;
    }
    const generation = ++this.#generation;
    this.#setState('connecting', reason);
    this.#openSocket(generation).catch((error: unknown) => this.#reportInternal(error));
  }

  async #openSocket(generation: number): Promise<void> {
    const fresh = this.#wantFreshToken;
    this.#wantFreshToken = false;
    let token: string | undefined;
    try {
      token = await this.#tokens.get(fresh);
    } catch (error) {
      if (generation !== this.#generation) return;
      if (isUnauthorized(error)) {
        this.#setState('unauthorized', 'unauthorized');
        return;
      }
      this.#log('warn', `token source failed: ${error instanceof Error ? error.message : String(error)}`);
      this.#wantFreshToken = true;
      this.#retryLater('token-failed');
      return;
    }
    if (generation !== this.#generation) return;
    this.#counters.connectAttempts++;
    let socket: WebSocket;
    try {
      socket = new this.#WebSocket(socketUrl(this.#url, token));
    } catch (error) {
      this.#log('warn', `the socket could not be created: ${error instanceof Error ? error.message : String(error)}`);
      this.#linkLost('connection-lost');
      return;
    }
    this.#socket = socket;
    socket.onopen = () => this.#guard(() => this.#onOpen());
    socket.onmessage = (event) => this.#guard(() => this.#onFrame(event.data));
    socket.onclose = (event) => this.#guard(() => this.#linkLost('connection-lost', event.code));
    // Close follows every error and decides. The handler stays after the socket is
    // forgotten: `ws` in Node throws an error event that nobody listens to.
    socket.onerror = ignore;
    this.#setTimer('connect', this.#timings.connectTimeout, () => {
      this.#closeSocket(CloseCode.Normal);
      this.#linkLost('connect-timeout');
    });
  }

  #onOpen(): void {
    this.#clearTimer('connect');
    this.#openedAt = this.#clock.now();
    this.#neverOpened = 0;
    if (this.#hasOpened) this.#counters.reconnects++;
    this.#hasOpened = true;
    this.#setState('open', 'open');
    this.#setTimer('heartbeat', this.#timings.heartbeatInterval, () => this.#beat());
    for (const item of this.#outbox.splice(0)) this.#dispatch(item);
    this.#flushBatch();
    this.#persistOutbox();
  }

  /** The socket is gone (closed by the far end, timed out, or abandoned by us): decide what comes next. */
  #linkLost(reason: 'connection-lost' | 'connect-timeout' | 'heartbeat-timeout', code?: number): void {
    const wasOpen = this.#state === 'open';
    this.#detachSocket();
    if (wasOpen) {
      if (this.#clock.now() - this.#openedAt >= this.#timings.stableAfter) this.#failures = this.#authCloses = 0;
      if (code !== undefined && isAuthClose(code)) {
        // With a fixed token, or a second time in a row, only a new token helps.
        if (!this.#tokens.refreshable || ++this.#authCloses >= 2) {
          this.#setState('unauthorized', 'unauthorized', code);
          return;
        }
        this.#wantFreshToken = true;
      }
      this.#retryLater(reason, code);
      return;
    }
    // Never opened: the network or a refused token, and the close code cannot tell which.
    if (++this.#neverOpened >= 2 && this.#tokens.refreshable) {
      this.#neverOpened = 0;
      this.#wantFreshToken = true;
    }
    this.#retryLater(reason === 'connection-lost' ? 'handshake-failed' : reason, code);
  }

  #retryLater(reason: StateReason, code?: number): void {
    if (!this.#env.isOnline()) {
      this.#setState('offline', 'offline', code);
      return;
    }
    const delay = backoffDelay(this.#failures++, { initialDelay: this.#timings.initialRetryDelay, maxDelay: this.#timings.maxRetryDelay }, this.#random);
    this.#nextAttemptAt = this.#clock.now() + delay;
    this.#setTimer('retry', delay, () => this.#startAttempt('retry'));
    this.#setState('reconnecting', reason, code);
  }

  #onSignal(signal: NetworkSignal): void {
    const state = this.#state;
    if (signal === 'offline') {
      if (state === 'reconnecting') {
        this.#clearTimer('retry');
        this.#nextAttemptAt = undefined;
        this.#setState('offline', 'offline');
      }
    } else if (state === 'offline' || state === 'reconnecting') {
      this.#startAttempt(signal);
    } else if (signal === 'visible' && state === 'open') {
      // Back from the background: check the link now rather than at the next beat.
      this.#probe();
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
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) socket.onopen = socket.onmessage = socket.onclose = null;
    for (const name of ['connect', 'heartbeat', 'liveness', 'batch'] as const) this.#clearTimer(name);
    this.#awaitingSince = undefined;
    if (this.#batch.length) {
      this.#outbox.unshift(...this.#batch.splice(0));
      this.#persistOutbox();
    }
    for (const pending of this.#replies.drain()) {
      pending.reject(
        new GymClientError('The connection was lost before the server answered; the request may have been delivered', 'connection-lost'),
      );
    }
    return socket;
  }

  // ---- liveness ----

  #beat(): void {
    this.#probe();
    this.#setTimer('heartbeat', this.#timings.heartbeatInterval, () => this.#beat());
  }

  #probe(): void {
    if (this.#awaitingSince !== undefined) return;
    this.#awaitingSince = this.#heartbeatSentAt = this.#clock.now();
    this.#write(encodeMessage({ type: 'heartbeat' }));
    this.#setTimer('liveness', this.#timings.heartbeatTimeout, () => this.#checkLiveness());
  }

  /**
   * Judged by the wall clock: a timer that fired early waits the rest; one
   * that fired far too late means this page was asleep or throttled, so the
   * silence is ours, not the server's — ask again instead of reconnecting.
   */
  #checkLiveness(): void {
    const since = this.#awaitingSince;
    if (since === undefined) return;
    const timeout = this.#timings.heartbeatTimeout;
    const overdue = this.#clock.now() - since - timeout;
    if (overdue < 0) {
      this.#setTimer('liveness', -overdue, () => this.#checkLiveness());
    } else if (overdue > Math.max(1000, timeout / 2)) {
      this.#awaitingSince = undefined;
      this.#probe();
    } else {
      this.#log('warn', `no frame for ${timeout} ms after a heartbeat; reconnecting`);
      this.#closeSocket(CloseCode.HeartbeatTimeout);
      this.#linkLost('heartbeat-timeout');
    }
  }

  // ---- inbound ----

  #onFrame(data: unknown): void {
    const counters = this.#counters;
    counters.framesIn++;
    counters.bytesIn += typeof data === 'string' ? utf8Length(data) : ((data as { byteLength?: number; size?: number }).byteLength ?? (data as { size?: number }).size ?? 0);
    // Any frame proves the link is alive.
    if (this.#awaitingSince !== undefined) {
      this.#awaitingSince = undefined;
      this.#clearTimer('liveness');
    }
    const { messages, errors } = decodeFrame(data);
    for (const error of errors) {
      counters.protocolErrors++;
      this.#log('warn', `malformed frame: ${error}`);
      this.#events.emit('protocol-error', { error, total: counters.protocolErrors });
    }
    for (const message of messages) this.#handle(message);
  }

  #handle(message: ServerMessage): void {
    const known = message as KnownMessage;
    switch (known.type) {
      case 'heartbeat_ack':
        if (this.#heartbeatSentAt !== undefined) this.#counters.lastHeartbeatRtt = this.#clock.now() - this.#heartbeatSentAt;
        break;
      case 'check_in_success':
      case 'check_out_success': {
        const type = known.type === 'check_in_success' ? 'check_in' : 'check_out';
        this.#replies.takeSuccess(type, known.payload)?.resolve(known.payload);
        this.#deliver(known);
        // The sender hears of its own check-in first through the reply; the broadcast that follows is the same event.
        this.#deliverOnce({ type: type === 'check_in' ? 'member_checked_in' : 'member_checked_out', payload: known.payload });
        return;
      }
      case 'check_in_error':
      case 'check_out_error':
        this.#replies.takeError(known.type === 'check_in_error' ? 'check_in' : 'check_out')?.reject(new GymClientError(known.payload.error, 'rejected'));
        break;
      case 'member_checked_in':
      case 'member_checked_out':
        this.#deliverOnce(known);
        return;
      case 'initial_stats':
      case 'check_in_stats':
        this.#stats = known.payload;
        break;
    }
    this.#deliver(message);
  }

  #deliverOnce(message: CheckInMessage): void {
    if (this.#delivered.add(`${message.type}:${message.payload.id}`)) this.#deliver(message);
  }

  #deliver(message: ServerMessage): void {
    this.#messages.emit(message.type, message);
    this.#messages.emit('*', message);
  }

  // ---- outbound ----

  #enqueue(item: Outgoing): boolean {
    if (this.#disposed) {
      item.reply?.reject(new GymClientError('The client is disposed', 'closed'));
      return false;
    }
    if (this.#state === 'open') {
      this.#dispatch(item);
      return true;
    }
    const limit = this.#timings.outboxLimit;
    if (this.#outbox.length >= limit) {
      item.reply?.reject(new GymClientError(`The outbox is full (${limit} requests waiting); this one was not queued`, 'outbox-full'));
      this.#events.emit('outbox-full', { type: item.type, limit });
      return false;
    }
    this.#outbox.push(item);
    this.#persistOutbox();
    return true;
  }

  #dispatch(item: Outgoing): void {
    if (!item.reply) {
      this.#write(encodeMessage(item));
      return;
    }
    this.#batch.push(item);
    if (this.#batch.length >= this.#timings.maxBatchSize) this.#flushBatch();
    else if (!this.#timers.has('batch')) this.#setTimer('batch', this.#timings.batchWindow, () => this.#flushBatch());
  }

  #flushBatch(): void {
    this.#clearTimer('batch');
    while (this.#batch.length > 0) {
      const items = this.#batch.splice(0, this.#timings.maxBatchSize);
      this.#write(encodeBatch(items as BatchItem[]));
      for (const item of items) this.#awaitReply(item.reply!);
    }
  }

  #awaitReply(reply: PendingReply): void {
    const { resolve, reject } = reply;
    const clock = this.#clock;
    const timer = clock.setTimeout(
      () => reply.reject(new GymClientError(`No reply to ${reply.type} within ${this.#timings.requestTimeout} ms`, 'timeout')),
      this.#timings.requestTimeout,
    );
    reply.resolve = (checkIn) => {
      clock.clearTimeout(timer);
      resolve(checkIn);
    };
    reply.reject = (error) => {
      clock.clearTimeout(timer);
      reject(error);
    };
    this.#replies.add(reply);
  }

  /** Queues again what a previous page left in storage, once, before the first connection. */
  #restoreOutbox(): void {
    if (!this.#store || this.#restored) return;
    this.#restored = true;
    const loaded = this.#store.load();
    if ('error' in loaded) {
      this.#events.emit('storage-error', { error: loaded.error });
      return;
    }
    for (const { type, payload } of loaded.items) {
      const settle = (ok: boolean, extra: { checkIn?: CheckIn; message?: string }) => this.#events.emit('restored-reply', { type, payload, ok, ...extra });
      const reply = isBatchable(type)
        ? { type, payload: payload as never, resolve: (checkIn: CheckIn) => settle(true, { checkIn }), reject: (error: Error) => settle(false, { message: error.message }) }
        : undefined;
      this.#outbox.push({ type, payload, reply });
    }
    if (loaded.items.length) this.#events.emit('outbox-restored', { count: loaded.items.length });
  }

  #persistOutbox(): void {
    const error = this.#store?.save(this.#outbox.map(({ type, payload }) => ({ type, payload })));
    if (error) this.#events.emit('storage-error', { error });
  }

  #write(text: string): void {
    this.#socket!.send(text);
    this.#counters.framesOut++;
    this.#counters.bytesOut += utf8Length(text);
  }

  // ---- plumbing ----

  #setState(state: ConnectionState, reason: StateReason, code?: number): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    const change: StateChange = { state, previous, reason };
    if (code !== undefined) change.code = code;
    if (state === 'reconnecting') change.nextAttemptAt = this.#nextAttemptAt!;
    this.#log('debug', `${previous} → ${state} (${reason}${code === undefined ? '' : ` ${code}`})`);
    this.#events.emit('state', change);
  }

  #setTimer(name: TimerName, ms: number, callback: () => void): void {
    this.#clearTimer(name);
    this.#timers.set(
      name,
      this.#clock.setTimeout(() => {
        this.#timers.delete(name);
        this.#guard(callback);
      }, ms),
    );
  }

  #clearTimer(name: TimerName): void {
    if (!this.#timers.has(name)) return;
    this.#clock.clearTimeout(this.#timers.get(name));
    this.#timers.delete(name);
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
