import type { BatchableRequests, BatchableType, CheckIn, GymStats, KnownMessageType, MessageOf } from '../protocol/types.js';
import { Connection } from './connection.js';
import { UsageHistory, type ConnectionHistory } from './diagnostics.js';
import { Emitter } from './emitter.js';
import { browserEnvironment, systemClock, type Clock } from './environment.js';
import { GymClientError } from './errors.js';
import type { ClientEvents, ClientMetrics, ConnectionState, Counters, StateChange, TabRole } from './events.js';
import { Follower } from './follower.js';
import { Inbound, type MessageHandler } from './inbound.js';
import { LeaderDuty } from './leader-duty.js';
import { redactTokens, resolveTimings, socketUrl, type LogLevel, type RealtimeClientOptions } from './options.js';
import { isBatchable, Outbound, type Outgoing } from './outbound.js';
import { OutboxStore } from './outbox-store.js';
import { refusedConnection } from './page-policy.js';
import { decideTakeover } from './policy.js';
import { browserTabs, TabGroup, type TabsEnvironment } from './tab-group.js';
import { groupName, isTabMessage, type FollowerMessage, type LeaderMessage } from './tab-messages.js';
import { TokenSource, type TokenOptions } from './token-source.js';

export type { ClientEvents, ClientMetrics, ConnectionState, StateChange, StateReason, TabRole } from './events.js';

const ignore = () => {};

/**
 * How a client takes part in the link: `alone` runs its own connection (or none, while idle or
 * closed); in a group of tabs it `leads` (its connection serves the others) or `follows` another tab.
 */
type Part =
  | { role: 'alone' }
  | { role: 'leads'; group: TabGroup; duty: LeaderDuty }
  | { role: 'follows'; group: TabGroup; follower: Follower }
  /** Frozen or in the back/forward cache: out of the group until the page is shown again. */
  | { role: 'frozen' };

/**
 * One reconnecting, batching, token-authenticated WebSocket to the AV-Gym
 * check-in endpoint, shared by every widget on a page. Framework-free: usable
 * on its own, in a browser or in Node (pass `WebSocket` from `ws`).
 *
 * A facade: the socket's life is `connection.ts` (following the rules in
 * `policy.ts`), the outbox and replies `outbound.ts`, decoding and fan-out
 * `inbound.ts`. Tabs with the same URL and token source share one socket: the
 * tab that leads (`leader-duty.ts`) holds it for the others, which follow
 * (`follower.ts`); `tab-group.ts` elects the leader.
 */
export class RealtimeClient {
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  /** How long a token source may take (the connect timeout: fetching the token is part of connecting). */
  readonly #timeout: number;
  readonly #logger: ((level: LogLevel, message: string) => void) | undefined;
  #tokenOptions: TokenOptions;
  readonly #authCheckUrl: string | undefined;
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
  readonly #random: () => number;
  readonly #outboxLimit: number;
  /** Sharing with other tabs: off (`share: 'none'`, or no Web Locks or BroadcastChannel), or how. */
  readonly #tabs: TabsEnvironment | undefined;
  readonly #shareKey: string | undefined;
  #part: Part = { role: 'alone' };
  /** The state last told to listeners. */
  #shown: ConnectionState = 'idle';
  #delayedSince: string | undefined;
  #stopWatchingPage: (() => void) | undefined;

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
        random: this.#random,
        authCheckUrl: options.authCheckUrl,
        counters: this.#counters,
        guard,
        internal: (error) => this.#reportInternal(error),
        log: (level, message) => this.#log(level, message),
      },
      {
        state: (change) => {
          if (this.#part.role === 'follows') return;
          this.#show(change);
          if (this.#part.role === 'leads') this.#part.duty.state(change);
        },
        live: () => this.#outbound.opened(),
        lost: () => this.#outbound.lost(),
        frame: (data) => {
          this.#inbound.receive(data);
          if (this.#part.role === 'leads') this.#part.duty.frame(data);
        },
        configError: (message) => {
          this.#configError(message);
          if (this.#part.role === 'leads') this.#part.duty.configError(message);
        },
      },
      options.url,
      this.#makeTokenSource(),
    );
    this.#inbound = new Inbound(this.#counters, {
      heard: () => {
        if (this.#part.role !== 'follows') this.#connection.heard();
      },
      ack: () => {
        if (this.#part.role === 'follows') return;
        const rtt = this.#connection.roundTrip();
        this.#counters.lastHeartbeatRtt = rtt;
        if (rtt !== undefined) this.#usage.roundTrip(rtt);
        // Followers' figures follow the heartbeat; so does the count of tabs, which a closed tab leaves silently.
        if (this.#part.role === 'leads') this.#part.duty.recount();
      },
      malformed: (error) => {
        this.#log('warn', `malformed frame: ${error}`);
        events.emit('protocol-error', { error, total: this.#counters.protocolErrors });
      },
      reply: (message) => {
        if (this.#part.role !== 'follows') this.#outbound.answer(message);
      },
      subscriberError: (type, error) => events.emit('error', { source: 'subscriber', type, error }),
      gateway: (since) => this.#setDelayed(since),
    });
    const store = options.outboxStorage && new OutboxStore(options.outboxStorage, options.outboxKey ?? 'gym-realtime-widgets.outbox', options.locks ?? globalThis.navigator?.locks);
    this.#outbound = new Outbound(timings, clock, guard, events, store, () => this.#connection.state === 'open', (text) => this.#connection.write(text));
  }

  get state(): ConnectionState {
    return this.#part.role === 'follows' ? this.#shown : this.#connection.state;
  }

  /** While `reconnecting` or `refused`: the wall-clock time (ms) of the next attempt. */
  get nextAttemptAt(): number | undefined {
    return this.#part.role === 'follows' ? this.#part.follower.snapshot?.nextAttemptAt : this.#connection.nextAttemptAt;
  }

  /** Whether this tab holds the socket or follows another tab that does (see `share`). */
  get role(): TabRole {
    return this.#part.role === 'follows' ? 'follower' : 'leader';
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
    return this.#delayedSince;
  }

  /** The gym's latest figures (from `initial_stats` / `check_in_stats`), for elements that arrive late. */
  get stats(): GymStats | undefined {
    return this.#inbound.stats;
  }

  get metrics(): ClientMetrics {
    const part = this.#part;
    if (part.role === 'follows') {
      const snap = part.follower.snapshot;
      const { unwritten } = part.follower;
      if (!snap) return { ...this.#counters, outboxDepth: unwritten, awaitingReply: 0, role: 'follower', tabs: 1 };
      return { ...snap.counters, outboxDepth: snap.outboxDepth + unwritten, awaitingReply: snap.awaitingReply, role: 'follower', tabs: snap.tabs };
    }
    const tabs = part.role === 'leads' ? part.duty.tabs : 1;
    return { ...this.#counters, outboxDepth: this.#outbound.depth, awaitingReply: this.#outbound.awaiting, role: 'leader', tabs };
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

  /**
   * Starts connecting (and keeps the link up from then on). No-op unless `idle` or `closed`.
   * Where another tab already holds the same link, this tab follows it instead.
   */
  connect(): void {
    const { state } = this;
    if (this.#connection.disposed || (state !== 'idle' && state !== 'closed')) return;
    if (!this.#join()) this.#runAlone();
  }

  /** Tries now instead of waiting for the backoff, the network or a new token. No-op while open or connecting. */
  reconnectNow(): void {
    const { state } = this;
    if (this.#connection.disposed || state === 'open' || state === 'checking' || state === 'connecting') return;
    if (this.#part.role === 'follows') this.#part.follower.retryNow();
    else this.#connection.start('retry-now');
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
    const group = this.#part.role === 'alone' ? undefined : this.#groupName();
    connection.url = url;
    this.#tokenOptions = { token: next.token, tokenUrl: next.tokenUrl, tokenProvider: next.tokenProvider };
    connection.tokens = this.#makeTokenSource();
    if (!running) return;
    // Another URL or token source is another group: share with that one if there is one.
    const old = this.#part;
    if (group !== this.#groupName()) {
      if (this.#join('reconfigured')) return this.#retire(old);
      this.#part = { role: 'alone' };
      this.#retire(old);
    }
    if (this.#part.role === 'follows') return;
    this.#outbound.adopt();
    connection.start('reconfigured');
  }

  /** Stops on purpose: closes the link, makes no more attempts. Queued requests wait for the next `connect()`. */
  close(): void {
    this.#stopWatchingLifecycle();
    this.#stop();
  }

  /** Closes and frees everything: queued requests are rejected (`closed`), no timer, listener or socket is left. */
  dispose(): void {
    if (this.#connection.disposed) return;
    this.#stopWatchingLifecycle();
    this.#stop();
    this.#connection.close(true);
    this.#outbound.dispose();
    this.#events.clear();
    this.#inbound.clear();
  }

  /**
   * The access token the client connects with (cached by its token source),
   * for calling the REST API beside the socket, e.g. the recent check-ins.
   * A follower tab borrows the leader's: tokens are fetched once per browser.
   */
  token(): Promise<string | undefined> {
    const tokens = this.#connection.tokens;
    if (this.#part.role === 'follows' && tokens.refreshable) return this.#part.follower.token();
    return tokens.get(false);
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
    return this.#part.role === 'follows' ? this.#part.follower.enqueue(item) : this.#outbound.enqueue(item);
  }

  /** Tells listeners of a state change, once, with the state they last heard as `previous`. */
  #show(change: Omit<StateChange, 'previous'>): void {
    if (change.state === this.#shown) return;
    const shown: StateChange = { ...change, previous: this.#shown };
    this.#shown = change.state;
    // A new link to the gateway says again whether it is delayed.
    if (change.state !== 'open' && change.state !== 'checking') this.#setDelayed(undefined);
    this.#usage.state(shown);
    this.#events.emit('state', shown);
  }

  #setDelayed(since: string | undefined): void {
    if (since === this.#delayedSince) return;
    this.#delayedSince = since;
    this.#events.emit('delayed', { since });
  }

  #configError(message: string): void {
    this.#log('warn', message);
    this.#events.emit('config-error', { message });
  }

  #groupName(): string | undefined {
    return this.#tabs && groupName(this.#connection.url, this.#tokenOptions, this.#shareKey);
  }

  /** Runs this tab's own connection. */
  #runAlone(): void {
    this.#part = { role: 'alone' };
    this.#outbound.adopt();
    this.#connection.start('connect');
  }

  /** Joins the tabs sharing this link, as a follower until the lock makes it the leader; false when not sharing. */
  #join(reason: 'connect' | 'reconfigured' = 'connect'): boolean {
    const name = this.#groupName();
    if (!name) return false;
    const group: TabGroup = new TabGroup(this.#tabs!, name, {
      lead: () => this.#guard(() => this.#lead(group)),
      queued: () => group.post({ k: 'hello', from: group.id } satisfies FollowerMessage),
      message: (data) => this.#guard(() => this.#hear(group, data)),
      unavailable: () =>
        this.#guard(() => {
          const part = this.#part;
          if ((part.role === 'leads' || part.role === 'follows') && part.group === group) this.#fallBack();
        }),
    });
    const follower = this.#follower(group);
    this.#part = { role: 'follows', group, follower };
    // Reconfigured while running: this tab's socket closes quietly, since the tab now shows the group's state.
    if (this.#connection.state !== 'idle' && this.#connection.state !== 'closed') this.#connection.close(false);
    for (const item of this.#outbound.takeQueued()) follower.enqueue(item);
    this.#show({ state: 'connecting', reason });
    if (!group.join()) return true; // `unavailable` already fell back.
    this.#stopWatchingPage ??= this.#tabs!.watchLifecycle?.(
      () => this.#guard(() => this.#pageHidden()),
      () => this.#guard(() => this.#pageShown()),
    );
    return true;
  }

  #follower(group: TabGroup): Follower {
    return new Follower(group.id, (message) => group.post(message), {
      state: (change) => {
        const part = this.#part;
        if (part.role !== 'follows' || part.group !== group) return;
        // Figures the leader had before this tab joined: elements here have not seen them yet.
        const stats = part.follower.snapshot?.stats;
        if (stats && !this.#inbound.stats) this.#inbound.inject({ type: 'initial_stats', payload: stats });
        this.#show(change);
        this.#setDelayed(part.follower.snapshot?.delayedSince);
      },
      frame: (data) => this.#inbound.receive(data),
      configError: (message) => this.#configError(message),
      outboxFull: (type) => this.#events.emit('outbox-full', { type, limit: this.#outboxLimit }),
    }, this.#outboxLimit);
  }

  /** The lock is this tab's: it takes over the link, with what it had handed to the old leader. */
  #lead(group: TabGroup): void {
    const part = this.#part;
    if (part.role !== 'follows' || part.group !== group) return;
    const snap = part.follower.snapshot;
    const unanswered = part.follower.takeBack('lead');
    const asks = part.follower.takeTokenAsks();
    const duty = new LeaderDuty({
      tab: group.id,
      post: (message: LeaderMessage) => group.post(message),
      snapshot: () => ({
        state: this.#connection.state,
        nextAttemptAt: this.#connection.nextAttemptAt,
        retry: this.#connection.retry,
        counters: { ...this.#counters },
        outboxDepth: this.#outbound.depth,
        awaitingReply: this.#outbound.awaiting,
        stats: this.#inbound.stats,
        delayedSince: this.#delayedSince,
      }),
      enqueue: (item) => this.#outbound.enqueue(item),
      token: () => this.#connection.tokens.get(false),
      retryNow: () => this.reconnectNow(),
      count: () => group.count(),
      internal: (error) => this.#reportInternal(error),
    });
    this.#part = { role: 'leads', group, duty };
    this.#events.emit('leadership', { leading: true, tabs: duty.tabs });
    for (const item of unanswered) this.#outbound.enqueue(item);
    const tokens = this.#connection.tokens;
    for (const ask of asks) tokens.get(false).then(ask.resolve, ask.reject);
    this.#outbound.adopt();
    // Starting tells the followers who leads, with the state it starts in.
    if (snap) this.#connection.takeOver(decideTakeover(snap.state, snap.nextAttemptAt, this.#clock.now(), this.#random), snap.retry);
    else this.#connection.start('connect');
    // Counts the tabs already waiting, and tells them who leads.
    duty.recount();
  }

  #hear(group: TabGroup, data: unknown): void {
    const part = this.#part;
    if ((part.role !== 'leads' && part.role !== 'follows') || part.group !== group || !isTabMessage(data)) return;
    if (part.role === 'leads') part.duty.receive(data as FollowerMessage);
    else part.follower.receive(data as LeaderMessage);
  }

  /** Stops the link this tab runs, leads or follows, and shows `closed`. */
  #stop(): void {
    const old = this.#part;
    this.#part = { role: 'alone' };
    if (this.#connection.state !== 'closed') this.#connection.close(false);
    this.#retire(old);
  }

  /**
   * Ends a part in a group. A leader lets another tab take over (the requests follower tabs handed it
   * go: those tabs hand them to the next leader); a follower takes back what the leader never wrote.
   */
  #retire(part: Part): void {
    if (part.role !== 'leads' && part.role !== 'follows') return;
    if (part.role === 'follows') {
      for (const item of part.follower.takeBack()) this.#enqueue(item);
      for (const ask of part.follower.takeTokenAsks()) ask.reject(new GymClientError('The client stopped before the leading tab lent its token', 'closed'));
      part.group.post({ k: 'bye', from: part.group.id } satisfies FollowerMessage);
    } else {
      this.#outbound.dropForwarded();
      this.#events.emit('leadership', { leading: false, tabs: part.duty.tabs });
    }
    part.group.leave();
  }

  /** Web Locks or BroadcastChannel failed: this tab runs its own socket, without an error. */
  #fallBack(): void {
    const old = this.#part;
    this.#part = { role: 'alone' };
    this.#retire(old);
    this.#stopWatchingLifecycle();
    this.#runAlone();
  }

  /** Frozen or put in the back/forward cache: a frozen leader would hold the lock and serve no one. */
  #pageHidden(): void {
    const { role } = this.#part;
    if (role !== 'leads' && role !== 'follows') return;
    this.#stop();
    this.#part = { role: 'frozen' };
  }

  #pageShown(): void {
    if (this.#part.role !== 'frozen') return;
    if (!this.#join()) this.#runAlone();
  }

  #stopWatchingLifecycle(): void {
    this.#stopWatchingPage?.();
    this.#stopWatchingPage = undefined;
  }

  #guard(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.#reportInternal(error);
    }
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
