/**
 * The client's connection policy as pure functions: given the state and the
 * facts, each returns a decision, and `RealtimeClient` carries it out. No
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
  /** Auth closes of an open link since it was last stable. */
  authCloses: number;
}

export const freshCounters = (): RetryCounters => ({ failures: 0, neverOpened: 0, authCloses: 0 });

export interface LossFacts {
  /** The socket had opened (this is a lost link, not a failed handshake). */
  wasOpen: boolean;
  /** How long it was open, in ms. */
  openFor: number;
  stableAfter: number;
  /** The close code, when the socket closed (not when we abandoned it). */
  code: number | undefined;
  /** The token source can give a new token by being asked again. */
  refreshable: boolean;
  counters: RetryCounters;
}

export interface LossDecision {
  /** `retry`: back off (or wait for the network) and try again; `unauthorized`: only a new token helps. */
  next: 'retry' | 'unauthorized';
  /** Ask the token source for a new token before the next attempt. */
  freshToken: boolean;
  counters: RetryCounters;
}

/** What to do after a socket is lost or a handshake failed. */
export function decideAfterLoss(facts: LossFacts): LossDecision {
  let { failures, neverOpened, authCloses } = facts.counters;
  let freshToken = false;
  if (facts.wasOpen) {
    neverOpened = 0;
    if (facts.openFor >= facts.stableAfter) failures = authCloses = 0;
    if (facts.code !== undefined && isAuthClose(facts.code)) {
      // With a fixed token, or a second time in a row, only a new token helps.
      authCloses++;
      if (!facts.refreshable || authCloses >= 2) return { next: 'unauthorized', freshToken, counters: { failures, neverOpened, authCloses } };
      freshToken = true;
    }
  } else if (++neverOpened >= 2 && facts.refreshable) {
    // Never opened twice: the network or a refused token, and the close code cannot tell which.
    neverOpened = 0;
    freshToken = true;
  }
  return { next: 'retry', freshToken, counters: { failures, neverOpened, authCloses } };
}

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

/** `attempt` connects now; `offline` stops waiting for the retry; `probe` checks the open link. */
export type SignalAction = 'attempt' | 'offline' | 'probe' | 'none';

/** What a network or visibility signal means in a given state. */
export function decideOnSignal(state: ConnectionState, signal: NetworkSignal): SignalAction {
  if (signal === 'offline') return state === 'reconnecting' ? 'offline' : 'none';
  if (state === 'offline' || state === 'reconnecting') return 'attempt';
  // Back from the background: check the link now rather than at the next beat.
  return signal === 'visible' && state === 'open' ? 'probe' : 'none';
}
