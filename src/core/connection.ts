import { CloseCode } from '../protocol/close-codes.js';
import { backoffDelay, slowDelay } from './backoff.js';
import type { Clock, NetworkEnvironment, NetworkSignal } from './environment.js';
import { crossOrigin, type ConfigError } from './config-errors.js';
import { GymClientError, isUnauthorized } from './errors.js';
import { utf8Length, type ConnectionState, type Counters, type StateChange, type StateReason } from './events.js';
import { Heartbeat } from './heartbeat.js';
import { mark } from './marks.js';
import { socketUrl, type ClientTimings, type LogLevel } from './options.js';
import { refusedReceiver } from './page-policy.js';
import { decideAfterLoss, decideOnSignal, freshCounters, judgeRestCheck, type RestCheck, type RetryCounters, type TakeoverDecision } from './policy.js';
import { Timers } from './timers.js';
import type { TokenSource } from './token-source.js';

/** The connection, with the data each state owns; nothing outside it can contradict the state. */
type Link =
  | { state: 'idle' }
  /** `socket` is undefined while the token is being fetched. */
  | { state: 'connecting'; socket?: WebSocket; token?: string | undefined }
  | { state: 'open' | 'checking'; socket: WebSocket; openedAt: number }
  | { state: 'reconnecting' | 'refused'; nextAttemptAt: number }
  | { state: 'offline' }
  /** `checks`: slow re-asks of the token source so far; `refusedToken`: the token the server refused. */
  | { state: 'unauthorized'; checks: number; refusedToken?: string | undefined }
  | { state: 'closed'; disposed: boolean };

type Connecting = Extract<Link, { state: 'connecting' }>;

export interface ConnectionDeps {
  timings: ClientTimings;
  WebSocket: new (url: string) => WebSocket;
  fetch: typeof fetch;
  clock: Clock;
  env: NetworkEnvironment;
  random: () => number;
  authCheckUrl: string | undefined;
  counters: Counters;
  guard(callback: () => void): void;
  /** The connection itself failed (a bug): reported, never thrown. */
  internal(error: unknown): void;
  log(level: LogLevel, message: string): void;
}

export interface ConnectionHooks {
  state(change: StateChange): void;
  /** The link is live: what waited may go out. */
  live(): void;
  /** The socket is gone: what was written and unanswered fails. */
  lost(): void;
  frame(data: unknown): void;
  configError(message: string): void;
}

const ignore = () => {};
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The life of the socket: attempts, backoff, liveness, network signals and
 * the token, following the decisions of `policy.ts`.
 */
export class Connection {
  #link: Link = { state: 'idle' };
  #retry: RetryCounters = freshCounters();
  /** Slow retries of a misconfigured page since the link was last open (their delay grows; a refusal's does not). */
  #slowRetries = 0;
  #wantFreshToken = false;
  /** What the last REST check of a failing token said (see `LossFacts.restCheck`); forgotten once the link opens. */
  #restCheck: RestCheck = 'unknown';
  /** The link has been open at least once: a later open counts as a reconnect. */
  #hasOpened = false;
  #stopWatching: (() => void) | undefined;
  readonly #timers: Timers<'retry' | 'connect' | 'recheck'>;
  readonly #heartbeat: Heartbeat;

  readonly #deps: ConnectionDeps;
  readonly #hooks: ConnectionHooks;

  constructor(
    deps: ConnectionDeps,
    hooks: ConnectionHooks,
    public url: string,
    public tokens: TokenSource,
  ) {
    this.#deps = deps;
    this.#hooks = hooks;
    this.#timers = new Timers(deps.clock, deps.guard);
    this.#heartbeat = new Heartbeat(deps.clock, deps.timings, deps.guard, {
      send: () => this.write('{"type":"heartbeat"}'),
      dead: () => {
        deps.log('warn', `no frame for ${deps.timings.heartbeatTimeout} ms after a heartbeat; reconnecting`);
        this.#closeSocket(CloseCode.HeartbeatTimeout);
        this.#linkLost('heartbeat-timeout');
      },
    });
  }

  get state(): ConnectionState {
    return this.#link.state;
  }

  get nextAttemptAt(): number | undefined {
    const link = this.#link;
    return link.state === 'reconnecting' || link.state === 'refused' ? link.nextAttemptAt : undefined;
  }

  get disposed(): boolean {
    return this.#link.state === 'closed' && this.#link.disposed;
  }

  /** A frame arrived: the link is alive. */
  heard(): void {
    this.#heartbeat.heard();
    const link = this.#link;
    if (link.state === 'checking') {
      this.#setLink({ ...link, state: 'open' }, 'alive');
      this.#hooks.live();
    }
  }

  /** The round trip of the last heartbeat, when its ack arrives; also kept in the counters. */
  roundTrip(): number | undefined {
    const rtt = this.#heartbeat.roundTrip();
    this.#deps.counters.lastHeartbeatRtt = rtt;
    return rtt;
  }

  /** Starts an attempt now (`connect`, `retry-now`, `reconfigured`). */
  start(reason: StateReason): void {
    if (reason === 'retry-now' && this.#link.state === 'unauthorized') this.#wantFreshToken = true;
    if (reason === 'reconfigured') {
      this.#closeSocket(CloseCode.Normal);
      this.#retry = freshCounters();
      this.#slowRetries = 0;
    }
    this.#startAttempt(reason);
  }

  /** The backoff so far, for the tab that takes over from this one. */
  get retry(): RetryCounters {
    return { ...this.#retry };
  }

  /** Continues a link another tab held, with that tab's backoff (see `decideTakeover`). */
  takeOver(decision: TakeoverDecision, retry: RetryCounters | undefined): void {
    this.#retry = retry ? { ...retry } : freshCounters();
    if (decision.state === 'connecting') {
      this.#startAttempt('handover', decision.wait);
      return;
    }
    this.#stopWatching ??= this.#deps.env.watch((signal) => this.#deps.guard(() => this.#onSignal(signal)));
    this.#timers.set('retry', decision.wait, () => this.#startAttempt('retry'));
    this.#setLink({ state: decision.state, nextAttemptAt: this.#deps.clock.now() + decision.wait }, 'handover');
  }

  /** Stops on purpose; `dispose` also marks the end for good. */
  close(dispose: boolean): void {
    this.#stopWatching?.();
    this.#stopWatching = undefined;
    this.#closeSocket(CloseCode.Normal);
    this.#timers.clear('retry', 'recheck');
    this.#setLink({ state: 'closed', disposed: dispose }, 'close');
  }

  /** Writes a frame to the live socket. */
  write(text: string): void {
    (this.#link as { socket: WebSocket }).socket.send(text);
    this.#deps.counters.framesOut++;
    this.#deps.counters.bytesOut += utf8Length(text);
  }

  /** `delay`: how long to wait before fetching the token and opening the socket (a takeover's jitter). */
  #startAttempt(reason: StateReason, delay = 0): void {
    this.#timers.clear('retry', 'recheck');
    this.#stopWatching ??= this.#deps.env.watch((signal) => this.#deps.guard(() => this.#onSignal(signal)));
    if (reason !== 'retry-now' && !this.#deps.env.isOnline()) {
      this.#setLink({ state: 'offline' }, 'offline');
      return;
    }
    const link: Connecting = { state: 'connecting' };
    this.#setLink(link, reason);
    const open = () => this.#openSocket(link).catch(this.#deps.internal);
    if (delay > 0) this.#timers.set('retry', delay, open);
    else open();
  }

  async #openSocket(link: Connecting): Promise<void> {
    const deps = this.#deps;
    const fresh = this.#wantFreshToken;
    this.#wantFreshToken = false;
    let token: string | undefined;
    try {
      // The page's policy, before the token is fetched and again before it goes into the URL.
      this.#throwIfRefused();
      token = await this.tokens.get(fresh);
      if (token !== undefined) this.#throwIfRefused();
    } catch (error) {
      if (link === this.#link) this.#tokenFailed(error);
      return;
    }
    if (link !== this.#link) return;
    link.token = token;
    mark('token');
    deps.counters.connectAttempts++;
    let socket: WebSocket;
    try {
      socket = new deps.WebSocket(socketUrl(this.url, token));
    } catch (error) {
      deps.log('warn', `the socket could not be created: ${describe(error)}`);
      this.#linkLost('connection-lost');
      return;
    }
    link.socket = socket;
    socket.onopen = () => deps.guard(() => this.#onOpen(socket));
    socket.onmessage = (event) => deps.guard(() => this.#hooks.frame(event.data));
    socket.onclose = (event) => deps.guard(() => this.#linkLost('connection-lost', event.code));
    // Close follows every error and decides. The handler stays after the socket is
    // forgotten: `ws` in Node throws an error event that nobody listens to.
    socket.onerror = ignore;
    this.#timers.set('connect', deps.timings.connectTimeout, () => {
      this.#closeSocket(CloseCode.Normal);
      this.#linkLost('connect-timeout');
    });
  }

  #throwIfRefused(): void {
    const refused = this.tokens.refusal(socketUrl(this.url));
    if (refused) throw refused;
  }

  #tokenFailed(error: unknown): void {
    if (isUnauthorized(error)) {
      this.#unauthorized('unauthorized');
      return;
    }
    this.#wantFreshToken = true;
    if (error instanceof GymClientError && error.code === 'misconfigured') {
      this.#hooks.configError(error.message);
      // A refused cross-origin request may also be the network: that one keeps the normal pace.
      this.#retryLater('reconnecting', 'misconfigured', undefined, !(error as ConfigError).maybeNetwork);
      return;
    }
    this.#deps.log('warn', `token source failed: ${describe(error)}`);
    this.#retryLater('reconnecting', 'token-failed');
  }

  #onOpen(socket: WebSocket): void {
    mark('open');
    this.#timers.clear('connect');
    if (this.#hasOpened) this.#deps.counters.reconnects++;
    this.#hasOpened = true;
    this.#slowRetries = 0;
    this.#restCheck = 'unknown';
    this.#setLink({ state: 'open', socket, openedAt: this.#deps.clock.now() }, 'open');
    this.#heartbeat.start();
    this.#hooks.live();
  }

  /** The socket is gone (closed by the far end, timed out, or abandoned by us): decide what comes next. */
  #linkLost(reason: 'connection-lost' | 'connect-timeout' | 'heartbeat-timeout', code?: number): void {
    const link = this.#link;
    this.#detachSocket();
    const wasOpen = link.state === 'open' || link.state === 'checking';
    const decision = decideAfterLoss({
      wasOpen,
      openFor: wasOpen ? this.#deps.clock.now() - link.openedAt : 0,
      stableAfter: this.#deps.timings.stableAfter,
      now: this.#deps.clock.now(),
      refusedAfter: this.#deps.timings.refusedAfter,
      code,
      refreshable: this.tokens.refreshable,
      canVerify: this.#deps.authCheckUrl !== undefined,
      restCheck: this.#restCheck,
      counters: this.#retry,
    });
    this.#retry = decision.counters;
    if (decision.freshToken) this.#wantFreshToken = true;
    if (decision.next === 'unauthorized') {
      this.#unauthorized('unauthorized', undefined, code);
      return;
    }
    const token = link.state === 'connecting' ? link.token : undefined;
    if (decision.next === 'refused') this.#retryLater('refused', 'refused', code, true);
    else this.#retryLater('reconnecting', !wasOpen && reason === 'connection-lost' ? 'handshake-failed' : reason, code);
    // Without a token there is nothing to refuse: a REST API that wants one would only say so.
    if (decision.verify && token !== undefined) this.#verify(token).catch(this.#deps.internal);
  }

  #retryLater(state: 'reconnecting' | 'refused', reason: StateReason, code?: number, slow = false): void {
    const deps = this.#deps;
    if (!deps.env.isOnline()) {
      this.#setLink({ state: 'offline' }, 'offline', code);
      return;
    }
    const { initialRetryDelay: initialDelay, maxRetryDelay: maxDelay } = deps.timings;
    // A refused page keeps one slow pace (30–60 s), so that a long outage taken for a refusal ends soon after it;
    // a misconfigured one waits longer and longer (up to 5 min) for someone to fix the page.
    const delay = slow
      ? slowDelay(state === 'refused' ? 0 : this.#slowRetries++, deps.random)
      : backoffDelay(this.#retry.failures++, { initialDelay, maxDelay }, deps.random);
    this.#timers.set('retry', delay, () => this.#startAttempt('retry'));
    this.#setLink({ state, nextAttemptAt: deps.clock.now() + delay }, reason, code);
  }

  /**
   * Asks the REST API whether the token handshakes keep failing with is refused (401).
   * The verdict is about that token, so it holds whenever it comes, unless the link has
   * opened since or a later attempt is trying another token.
   */
  async #verify(token: string): Promise<void> {
    const url = this.#deps.authCheckUrl!;
    const refused = refusedReceiver('authCheckUrl', url);
    if (refused) return this.#hooks.configError(refused.message);
    let status: number | undefined;
    try {
      status = (await this.#deps.fetch(url, { headers: { Authorization: `Bearer ${token}` } })).status;
    } catch {
      // No answer: from our own origin, the server or the network is down; across origins, CORS could also be why.
    }
    const verdict = judgeRestCheck(status, !crossOrigin(url));
    if (verdict !== 'refused') {
      this.#restCheck = verdict;
      return;
    }
    const link = this.#link;
    const trying = link.state === 'reconnecting' || link.state === 'refused' || (link.state === 'connecting' && (link.token ?? token) === token);
    if (!trying) return;
    this.#closeSocket(CloseCode.Normal);
    this.#timers.clear('retry');
    // The server answers, and refuses this token: a source that can give another is asked at once.
    if (this.tokens.refreshable && (await this.#renew(token))) return;
    this.#unauthorized('token-refused', token);
  }

  /** Fetches a token instead of `refused` and connects with it; false when the source has no other. */
  async #renew(refused: string): Promise<boolean> {
    const link = this.#link;
    let token: string | undefined;
    try {
      token = await this.tokens.get(true);
    } catch {
      return false;
    }
    // Something else happened meanwhile (a retry, a close): that decides, not this.
    if (link !== this.#link) return true;
    if (token === refused) return false;
    this.#wantFreshToken = false; // The token just fetched is the fresh one.
    this.#startAttempt('token-renewed');
    return true;
  }

  /** Signed out, or the token is refused: ask the token source again now and then, never the server. */
  #unauthorized(reason: StateReason, refusedToken?: string, code?: number): void {
    this.#setLink({ state: 'unauthorized', checks: 0, refusedToken }, reason, code);
    this.#wantFreshToken = true;
    this.#scheduleRecheck();
  }

  #scheduleRecheck(): void {
    const link = this.#link;
    if (link.state !== 'unauthorized' || !this.tokens.refreshable) return;
    this.#timers.set('recheck', slowDelay(link.checks++, this.#deps.random), () => this.#recheck().catch(this.#deps.internal));
  }

  /** A token unlike the refused one ends `unauthorized`; anything else waits for the next check. */
  async #recheck(): Promise<void> {
    const link = this.#link;
    if (link.state !== 'unauthorized' || !this.tokens.refreshable) return;
    // The next check is due whatever this one does: a token URL that never answers must not end them.
    this.#scheduleRecheck();
    let token: string | undefined;
    try {
      token = await this.tokens.get(true);
    } catch {
      return;
    }
    if (link !== this.#link || token === link.refusedToken) return;
    this.#wantFreshToken = false; // The token just fetched is the fresh one.
    this.#startAttempt('token-renewed');
  }

  #onSignal(signal: NetworkSignal): void {
    const link = this.#link;
    switch (decideOnSignal(link.state, signal)) {
      case 'offline':
        this.#timers.clear('retry');
        this.#setLink({ state: 'offline' }, 'offline');
        break;
      case 'attempt':
        this.#startAttempt(signal as StateReason);
        break;
      case 'check':
        if (link.state !== 'open' && link.state !== 'checking') return;
        this.#setLink({ ...link, state: 'checking' }, 'offline');
        this.#heartbeat.check(this.#deps.timings.offlineCheckTimeout);
        break;
      case 'probe':
        this.#heartbeat.probe();
        break;
      case 'recheck':
        this.#recheck().catch(this.#deps.internal);
        break;
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

  /** Forgets the socket: its timers stop, and the outbound side hears of it. */
  #detachSocket(): WebSocket | undefined {
    const link = this.#link;
    const socket = link.state === 'open' || link.state === 'checking' || link.state === 'connecting' ? link.socket : undefined;
    if (socket) socket.onopen = socket.onmessage = socket.onclose = null;
    this.#timers.clear('connect');
    this.#heartbeat.stop();
    this.#hooks.lost();
    return socket;
  }

  #setLink(link: Link, reason: StateReason, code?: number): void {
    const previous = this.#link.state;
    this.#link = link;
    const { state } = link;
    if (previous === state) return;
    const change: StateChange = { state, previous, reason };
    if (code !== undefined) change.code = code;
    if (link.state === 'reconnecting' || link.state === 'refused') change.nextAttemptAt = link.nextAttemptAt;
    this.#deps.log('debug', `${previous} → ${state} (${reason}${code === undefined ? '' : ` ${code}`})`);
    this.#hooks.state(change);
  }
}
