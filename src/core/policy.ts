/**
 * The client's connection policy as pure functions: given the state and the
 * facts, each returns a decision, and the connection carries it out. No
 * timers, sockets or clocks here, so every rule is tested with plain values.
 */
import { isAuthClose } from '../protocol/close-codes.js';
import type { ConnectionState } from './events.js';
import type { NetworkSignal } from './environment.js';

/** What the policy remembers between attempts; reset once a link stayed open `stableAfter` ms. */
export interface RetryCounters {
  /** Failed attempts since the link was last stable; drives the backoff. */
  failures: number;
  /** Handshakes in a row that failed before opening (a refused token looks like the network). */
  neverOpened: number;
  /** When the first of them failed (ms). */
  failingSince: number;
  /** Auth closes of an open link since it was last stable. */
  authCloses: number;
}

export const freshCounters = (): RetryCounters => ({ failures: 0, neverOpened: 0, failingSince: 0, authCloses: 0 });

/** After the first never-opened handshake, then every this many in a row, ask the REST API whether the token is refused. */
export const VERIFY_EVERY = 4;
/**
 * This many never-opened handshakes in a row, failing for at least `refusedAfter` ms, are taken as a
 * refused token, unless the REST API said otherwise. (Both: a restart takes 4–15 s, and short retry
 * delays can fit many failures into it.)
 */
export const REFUSED_AFTER = 8;

export interface LossFacts {
  /** The socket had opened (this is a lost link, not a failed handshake). */
  wasOpen: boolean;
  /** How long it was open, in ms. */
  openFor: number;
  stableAfter: number;
  /** Now, ms. */
  now: number;
  /** How long handshakes must keep failing before they count as a refusal, ms. */
  refusedAfter: number;
  /** The close code, when the socket closed (not when we abandoned it). */
  code: number | undefined;
  /** The token source can give a new token by being asked again. */
  refreshable: boolean;
  /** A REST URL can tell a refused token (401) from a network failure. */
  canVerify: boolean;
  /**
   * What that REST URL said of the token the last time it was asked: `valid` (it took the token:
   * the failures are not the token's), `down` (no answer from the page's own origin: the server is
   * down), or `unknown` (never asked, or an answer that tells nothing: CORS, 404, 5xx).
   */
  restCheck: RestCheck;
  counters: RetryCounters;
}

export interface LossDecision {
  /**
   * - `retry`: back off (or wait for the network) and try again;
   * - `refused`: the server keeps refusing although tokens are fresh: retry slowly;
   * - `unauthorized`: only a new token helps.
   */
  next: 'retry' | 'refused' | 'unauthorized';
  /** Ask the token source for a new token before the next attempt. */
  freshToken: boolean;
  /** Meanwhile, ask the REST API whether the token is refused (401). */
  verify: boolean;
  counters: RetryCounters;
}

/** What to do after a socket is lost or a handshake failed. */
export function decideAfterLoss(facts: LossFacts): LossDecision {
  let { failures, neverOpened, failingSince, authCloses } = facts.counters;
  const decide = (next: LossDecision['next'], freshToken: boolean, verify = false): LossDecision => ({
    next,
    freshToken,
    verify,
    counters: { failures, neverOpened, failingSince, authCloses },
  });
  if (facts.wasOpen) {
    neverOpened = 0;
    if (facts.openFor >= facts.stableAfter) failures = authCloses = 0;
    if (facts.code === undefined || !isAuthClose(facts.code)) return decide('retry', false);
    // With a fixed token, or a second time in a row, only a new token helps.
    authCloses++;
    return !facts.refreshable || authCloses >= 2 ? decide('unauthorized', false) : decide('retry', true);
  }
  // Never opened: the network or a refused token (HTTP 403), and the close code cannot tell which.
  // The REST API can tell: 401 for a refused token, the token taken, or no answer (the server is down).
  // When nothing could tell, a long enough run is taken as a refusal: nothing loops at the normal pace.
  if (neverOpened++ === 0) failingSince = facts.now;
  // At once, then every few: a token refused while the server answers is found in one attempt.
  const verify = facts.canVerify && (neverOpened === 1 || neverOpened % VERIFY_EVERY === 0);
  const refused = neverOpened >= REFUSED_AFTER && facts.now - failingSince >= facts.refusedAfter;
  if (refused && facts.restCheck === 'unknown') return decide('refused', facts.refreshable, verify);
  // Where the REST API can tell, a token that has not expired is kept through an outage, and its 401
  // brings a new one. Where it cannot, a fresh token every other failure stands in for its check: a
  // token URL down with the server costs nothing, since the token source then keeps the valid one.
  return decide('retry', facts.refreshable && !facts.canVerify && neverOpened % 2 === 0, verify);
}

export type RestCheck = 'unknown' | 'valid' | 'down';

/**
 * What the REST API's answer says of the token (`status`, or undefined when
 * the request failed, on the page's own origin or another).
 */
export function judgeRestCheck(status: number | undefined, sameOrigin: boolean): RestCheck | 'refused' {
  if (status === undefined) return sameOrigin ? 'down' : 'unknown';
  if (isRefusal(status)) return 'refused';
  // 2xx, and 403 (a valid token without the permission): the token is accepted.
  return (status >= 200 && status < 300) || status === 403 ? 'valid' : 'unknown';
}

/**
 * What the REST API said of a token that handshakes keep failing with: only
 * 401 is a refused token. (Django REST framework answers 403 to a valid token
 * without the permission: that token is fine, the failure is elsewhere.)
 */
export const isRefusal = (status: number) => status === 401;

export type SilenceVerdict =
  /** The timer fired early: look again after `ms`. */
  | { verdict: 'wait'; ms: number }
  /** The timer fired far too late: this page was asleep or throttled, so the silence is ours; ask again. */
  | { verdict: 'asleep' }
  /** No frame within the timeout: the link is dead. */
  | { verdict: 'dead' };

/** Judges an unanswered heartbeat by the wall clock, so throttled background timers raise no false alarm. */
export function judgeSilence(sentAt: number, now: number, timeout: number): SilenceVerdict {
  const overdue = now - sentAt - timeout;
  if (overdue < 0) return { verdict: 'wait', ms: -overdue };
  if (overdue > Math.max(1000, timeout / 2)) return { verdict: 'asleep' };
  return { verdict: 'dead' };
}

/**
 * - `attempt`: connect now;
 * - `offline`: stop waiting for the retry;
 * - `probe`: check the open link at the next chance;
 * - `check`: the browser says the network is gone while open: prove the link now, quickly;
 * - `recheck`: ask the token source again (signed out, maybe signed in since).
 */
export type SignalAction = 'attempt' | 'offline' | 'probe' | 'check' | 'recheck' | 'none';

/** What a network or visibility signal means in a given state. */
export function decideOnSignal(state: ConnectionState, signal: NetworkSignal): SignalAction {
  const waiting = state === 'reconnecting' || state === 'refused';
  if (signal === 'offline') return waiting ? 'offline' : state === 'open' ? 'check' : 'none';
  // A hidden tab's timers are throttled, so its check may have been judged "asleep": judge again, awake.
  if (state === 'checking') return signal === 'visible' ? 'check' : 'none';
  if (state === 'offline' || waiting) return 'attempt';
  if (state === 'unauthorized') return 'recheck';
  // Back from the background: check the link now rather than at the next beat.
  return signal === 'visible' && state === 'open' ? 'probe' : 'none';
}

/**
 * A tab that takes over after the leader left opens its socket within this many ms, at a random
 * moment: many browsers whose leaders go at once (an update, a restart) do not arrive together.
 */
export const TAKEOVER_JITTER = 500;

export interface TakeoverDecision {
  /** `connecting`: a new socket after `wait` ms; `reconnecting` / `refused`: the old leader's backoff goes on. */
  state: 'connecting' | 'reconnecting' | 'refused';
  wait: number;
}

/** How a new leader continues the link the old one left in `state` (retrying until `nextAttemptAt`). */
export function decideTakeover(state: ConnectionState, nextAttemptAt: number | undefined, now: number, random: () => number): TakeoverDecision {
  if ((state === 'reconnecting' || state === 'refused') && nextAttemptAt !== undefined) {
    return { state, wait: Math.max(0, nextAttemptAt - now) };
  }
  return { state: 'connecting', wait: Math.floor(random() * TAKEOVER_JITTER) };
}
