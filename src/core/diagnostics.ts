import type { ConnectionState, StateChange, StateReason } from './events.js';

/** One state change as the diagnostics keep it: no token, no name, no payload. */
export interface StateRecord {
  /** Wall-clock time, ms. */
  at: number;
  state: ConnectionState;
  previous: ConnectionState;
  reason: StateReason;
  code?: number;
}

/** The last hour, minute by minute (oldest first), for sparklines. */
export interface MinuteSeries {
  /** Wall-clock start of the first minute, ms. */
  start: number;
  /** Last heartbeat round trip of each minute, ms; null when none was measured. */
  roundTrip: (number | null)[];
  /** Share of each minute the link was open, 0…1. */
  up: number[];
  /** Opens after the first one (reconnections), per minute. */
  reconnects: number[];
  /** Attempts that failed before opening, per minute. */
  failures: number[];
}

/** What `client.history()` returns: bounded, whatever the uptime. */
export interface ConnectionHistory {
  /** The last 50 state changes, oldest first. */
  changes: StateRecord[];
  /** The last 20 heartbeat round trips, ms, oldest first. */
  roundTrips: number[];
  minutes: MinuteSeries;
  /** When this history began (the client was made), ms: minutes before it were not observed. */
  since: number;
  /** Since the page loaded. */
  totals: { reconnects: number; failures: number };
  /** When the link last opened, while it is open. */
  connectedSince?: number;
  /** When the link was last lost (or since the start, if it never opened), while it is not open. */
  downSince?: number;
}

const CHANGES = 50;
const ROUND_TRIPS = 20;
const MINUTES = 60;
const MINUTE = 60_000;

/** Keeps the last `limit` items, oldest first; adding past the limit drops the oldest. */
function keepLast<T>(list: T[], item: T, limit: number): void {
  list.push(item);
  if (list.length > limit) list.shift();
}

interface Bucket {
  minute: number;
  roundTrip: number | null;
  upMs: number;
  reconnects: number;
  failures: number;
}

/**
 * Usage over time for support and for apps: a few hundred numbers, fixed in
 * size however long the page stays open. Fed by the client's own events.
 */
export class UsageHistory {
  readonly #changes: StateRecord[] = [];
  readonly #roundTrips: number[] = [];
  /** Ring of the last 60 minutes, indexed by minute number modulo 60. */
  readonly #buckets: Bucket[] = [];
  readonly #totals = { reconnects: 0, failures: 0 };
  readonly #now: () => number;
  readonly #since: number;
  #opened = false;
  /** While open: up time is counted from here at the next change or read. */
  #upFrom: number | undefined;
  #connectedSince: number | undefined;
  #downSince: number | undefined;

  constructor(now: () => number) {
    this.#now = now;
    this.#since = this.#downSince = now();
  }

  state(change: StateChange): void {
    const at = this.#now();
    const record: StateRecord = { at, state: change.state, previous: change.previous, reason: change.reason };
    if (change.code !== undefined) record.code = change.code;
    keepLast(this.#changes, record, CHANGES);
    this.#countUp(at);
    const bucket = this.#bucket(at);
    if (change.state === 'open' && change.previous === 'connecting') {
      if (this.#opened) {
        bucket.reconnects++;
        this.#totals.reconnects++;
      }
      this.#opened = true;
      this.#connectedSince = this.#upFrom = at;
      this.#downSince = undefined;
    } else if (change.previous === 'connecting' && change.state !== 'closed') {
      bucket.failures++;
      this.#totals.failures++;
    }
    const up = change.state === 'open' || change.state === 'checking';
    if (!up && this.#upFrom !== undefined) {
      this.#upFrom = this.#connectedSince = undefined;
      this.#downSince = at;
    }
  }

  roundTrip(ms: number): void {
    keepLast(this.#roundTrips, ms, ROUND_TRIPS);
    this.#bucket(this.#now()).roundTrip = ms;
  }

  read(): ConnectionHistory {
    const now = this.#now();
    this.#countUp(now);
    const last = Math.floor(now / MINUTE);
    const series: MinuteSeries = { start: (last - MINUTES + 1) * MINUTE, roundTrip: [], up: [], reconnects: [], failures: [] };
    for (let minute = last - MINUTES + 1; minute <= last; minute++) {
      const bucket = this.#buckets[minute % MINUTES];
      const fresh = bucket?.minute === minute ? bucket : undefined;
      // The part of the minute this history saw: the first and the current minute are partial.
      const length = Math.min(now, (minute + 1) * MINUTE) - Math.max(this.#since, minute * MINUTE);
      series.roundTrip.push(fresh?.roundTrip ?? null);
      series.up.push(length > 0 ? Math.min(1, (fresh?.upMs ?? 0) / length) : 0);
      series.reconnects.push(fresh?.reconnects ?? 0);
      series.failures.push(fresh?.failures ?? 0);
    }
    const history: ConnectionHistory = {
      changes: [...this.#changes],
      roundTrips: [...this.#roundTrips],
      minutes: series,
      since: this.#since,
      totals: { ...this.#totals },
    };
    if (this.#connectedSince !== undefined) history.connectedSince = this.#connectedSince;
    if (this.#downSince !== undefined) history.downSince = this.#downSince;
    return history;
  }

  /** Adds the open time since the last count to the minutes it fell in. */
  #countUp(now: number): void {
    let from = this.#upFrom;
    if (from === undefined) return;
    // Only the last hour is kept: older time would land in buckets about to be reused anyway.
    from = Math.max(from, now - MINUTES * MINUTE);
    while (from < now) {
      const end = Math.min(now, (Math.floor(from / MINUTE) + 1) * MINUTE);
      this.#bucket(from).upMs += end - from;
      from = end;
    }
    this.#upFrom = now;
  }

  #bucket(at: number): Bucket {
    const minute = Math.floor(at / MINUTE);
    const index = minute % MINUTES;
    let bucket = this.#buckets[index];
    if (bucket?.minute !== minute) this.#buckets[index] = bucket = { minute, roundTrip: null, upMs: 0, reconnects: 0, failures: 0 };
    return bucket;
  }
}
