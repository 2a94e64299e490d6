import type { BatchableRequests, BatchableType, CheckIn, GymStats, KnownMessageType, MessageOf } from '../protocol/types.js';
import type { Connection } from './connection.js';
import type { ConnectionHistory } from './diagnostics.js';
import { systemClock, type Clock } from './environment.js';
import { GymClientError } from './errors.js';
import type { ClientEvents, ClientMetrics, ConnectionState, TabRole } from './events.js';
import type { MessageHandler } from './inbound.js';
import { LinkHolder } from './link-holder.js';
import { LocalLink, type LinkParts } from './link.js';
import { resolveTimings, socketUrl, type RealtimeClientOptions } from './options.js';
import { isBatchable, type Outgoing } from './outbound.js';
import { refusedConnection } from './page-policy.js';
import { assembleParts } from './parts.js';
import { Reporter } from './reporter.js';
import { browserTabs, type TabsEnvironment } from './tab-group.js';
import { groupName } from './tab-messages.js';
import { TokenSource, type TokenOptions } from './token-source.js';

export type { ClientEvents, ClientMetrics, ConnectionState, StateChange, StateReason, TabRole } from './events.js';

const ignore = () => {};

/**
 * One reconnecting, batching, token-authenticated WebSocket to the AV-Gym
 * check-in endpoint, shared by every widget on a page. Framework-free: usable
 * on its own, in a browser or in Node (pass `WebSocket` from `ws`).
 *
 * A facade: the socket's life is `connection.ts` (following the rules in
 * `policy.ts`), the outbox and replies `outbound.ts`, decoding and fan-out
 * `inbound.ts`. Tabs with the same URL and token source share one socket: the
 * tab that leads (`leader-duty.ts`) holds it for the others, which follow
 * (`follower.ts`); `tab-group.ts` elects the leader. How this tab takes part
 * is its one `Link` (`link.ts`): the client delegates to it and never asks
 * which one it is; `tab-share.ts` moves a tab between following and leading.
 */
export class RealtimeClient {
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  readonly #random: () => number;
  /** How long a token source may take (the connect timeout: fetching the token is part of connecting). */
  readonly #timeout: number;
  readonly #outboxLimit: number;
  readonly #authCheckUrl: string | undefined;
  #tokenOptions: TokenOptions;
  /** Sharing with other tabs: off (`share: 'none'`, or no Web Locks or BroadcastChannel), or how. */
  readonly #tabs: TabsEnvironment | undefined;
  readonly #shareKey: string | undefined;
  readonly #report: Reporter;
  readonly #parts: LinkParts;
  readonly #connection: Connection;
  readonly #links: LinkHolder;

  /**
   * Throws a `TypeError` for a URL that is not a WebSocket URL, a `RangeError` for an invalid timing,
   * a `misconfigured` error for a token the page's `gym-realtime-policy` would not let go there.
   */
  constructor(options: RealtimeClientOptions) {
    const refused = refusedConnection(socketUrl(options.url), options, options.authCheckUrl);
    if (refused) throw refused;
    this.#authCheckUrl = options.authCheckUrl;
    const timings = resolveTimings(options);
    const clock = (this.#clock = options.clock ?? systemClock);
    this.#timeout = timings.connectTimeout;
    this.#outboxLimit = timings.outboxLimit;
    this.#random = options.random ?? Math.random;
    this.#shareKey = options.shareKey;
    this.#tabs = options.share === 'none' ? undefined : (options.tabs ?? browserTabs());
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#tokenOptions = { token: options.token, tokenUrl: options.tokenUrl, tokenProvider: options.tokenProvider };
    this.#report = new Reporter(clock, options.logger);
    const parts = (this.#parts = assembleParts({ options, timings, clock, random: this.#random, fetch: this.#fetch, tokens: this.#makeTokenSource(), report: this.#report, link: () => this.#links.current }));
    this.#connection = parts.connection;
    this.#links = new LinkHolder({
      parts,
      local: new LocalLink(parts),
      tabs: this.#tabs,
      groupName: () => this.#tabs && groupName(this.#connection.url, this.#tokenOptions, this.#shareKey),
      requeue: (item) => this.#enqueue(item),
      retryNow: () => this.reconnectNow(),
      options: { clock, random: this.#random, outboxLimit: this.#outboxLimit },
    });
  }

  get state(): ConnectionState {
    return this.#links.current.state;
  }

  /** While `reconnecting` or `refused`: the wall-clock time (ms) of the next attempt. */
  get nextAttemptAt(): number | undefined {
    return this.#links.current.nextAttemptAt;
  }

  /** Whether this tab holds the socket or follows another tab that does (see `share`). */
  get role(): TabRole {
    return this.#links.current.role;
  }

  get url(): string {
    return this.#connection.url;
  }

  /** True when the page gave a token or a way to get one; false for a page that connects anonymously. */
  get usesToken(): boolean {
    return this.#connection.tokens.configured;
  }

  /**
   * Connected through the read-only gateway while its own link to AV-Gym is down: since when (ISO
   * time). The link is open, but the figures and the feed are stale until it is back.
   */
  get delayedSince(): string | undefined {
    return this.#report.delayedSince;
  }

  /** The gym's latest figures (from `initial_stats` / `check_in_stats`), for elements that arrive late. */
  get stats(): GymStats | undefined {
    return this.#parts.inbound.stats;
  }

  get metrics(): ClientMetrics {
    return this.#links.current.metrics();
  }

  /**
   * The last hour of the connection, for diagnostics and apps: the last 50
   * state changes, the last 20 heartbeat round trips, and per minute the round
   * trip, the share of time open, reconnections and failed attempts; fixed in
   * size however long the page stays open.
   */
  history(): ConnectionHistory {
    return this.#report.usage.read();
  }

  /**
   * Starts connecting (and keeps the link up from then on). No-op unless `idle` or `closed`.
   * Where another tab already holds the same link, this tab follows it instead.
   */
  connect(): void {
    const { state } = this;
    if (this.#connection.disposed || (state !== 'idle' && state !== 'closed')) return;
    this.#links.start('connect');
  }

  /** Tries now instead of waiting for the backoff, the network or a new token. No-op while open or connecting. */
  reconnectNow(): void {
    const { state } = this;
    if (this.#connection.disposed || state === 'open' || state === 'checking' || state === 'connecting') return;
    this.#links.current.retryNow();
  }

  /**
   * Changes the URL or the token source. When something changed and the client
   * is running, it reconnects once with the new values (a new token also ends
   * `unauthorized`). Throws, changing nothing, what the constructor throws.
   */
  configure(options: Partial<Pick<RealtimeClientOptions, 'url' | keyof TokenOptions>>): void {
    const connection = this.#connection;
    const url = options.url ?? connection.url;
    const next = { ...this.#tokenOptions, ...options };
    const refused = refusedConnection(socketUrl(url), next, this.#authCheckUrl);
    if (refused) throw refused;
    const current = this.#tokenOptions;
    const changed = url !== connection.url || next.token !== current.token || next.tokenUrl !== current.tokenUrl || next.tokenProvider !== current.tokenProvider;
    if (!changed || connection.disposed) return;
    const running = this.state !== 'idle' && this.state !== 'closed';
    const { group } = this.#links;
    connection.url = url;
    this.#tokenOptions = { token: next.token, tokenUrl: next.tokenUrl, tokenProvider: next.tokenProvider };
    connection.tokens = this.#makeTokenSource();
    if (running) this.#links.reconfigured(group);
  }

  /** Stops on purpose: closes the link, makes no more attempts. Queued requests wait for the next `connect()`. */
  close(): void {
    this.#links.stop(true);
  }

  /** Closes and frees everything: queued requests are rejected (`closed`), no timer, listener or socket is left. */
  dispose(): void {
    if (this.#connection.disposed) return;
    this.#links.stop(true);
    this.#connection.close(true);
    this.#parts.outbound.dispose();
    this.#report.events.clear();
    this.#parts.inbound.clear();
  }

  /**
   * The access token the client connects with (cached by its token source),
   * for calling the REST API beside the socket, e.g. the recent check-ins.
   * A follower tab borrows the leader's: tokens are fetched once per browser.
   * With `refused` (a REST call's 401 came with it): another, one fetch for all who ask.
   */
  token(refused?: string): Promise<string | undefined> {
    return this.#links.current.token(refused);
  }

  /** Listens to a client event; returns the function that stops listening. */
  on<K extends keyof ClientEvents>(type: K, listener: (event: ClientEvents[K]) => void): () => void {
    return this.#report.events.on(type, listener);
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
    return this.#parts.inbound.subscribe(type, handler as MessageHandler);
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
    return this.#links.current.enqueue(item);
  }

  #makeTokenSource(): TokenSource {
    return new TokenSource(this.#tokenOptions, this.#fetch, this.#clock, this.#timeout);
  }
}
