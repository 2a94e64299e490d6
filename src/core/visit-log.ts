import type { CheckIn } from '../protocol/types.js';
import type { RealtimeClient } from './client.js';

/** One visit as the log knows it: its latest state. Never changed in place: a newer state is a new object. */
export interface Visit {
  readonly checkIn: CheckIn;
  /** Checked out. */
  readonly out: boolean;
  /** When its latest state happened (the check-out, once out), ms; for a time that does not parse, when the log heard it. */
  readonly at: number;
}

/** What listeners hear after each message, history list or member lookup that taught the log something. */
export interface VisitChange {
  /** The visits that are news, in their new state; none when only a member's presence changed. */
  readonly visits: readonly Visit[];
  /** From the socket (a member arriving or leaving now), not from a history list. */
  readonly live: boolean;
}

/** What presence needs of a visit, as the member's visits list (`GET /api/checkins/checkins/?member=`) gives it. */
export type VisitTimes = Pick<CheckIn, 'id' | 'check_in_time' | 'check_out_time'>;

export interface VisitLogOptions {
  /** How many visits, and members' presence, the log keeps: a whole number ≥ 1 (default 1,000; see `VisitLog`). */
  capacity?: number;
  /** Wall-clock time, ms (default `Date.now()`): which visit times are plausible, and the time of an unreadable one. */
  now?: () => number;
  /**
   * Starts feeding the log, when its first listener subscribes, and returns what stops it, called
   * when the last one leaves: a log nobody reads costs its client no subscription.
   */
  source?: (log: VisitLog) => () => void;
}

const DAY_MS = 86_400_000;
const YEAR_2000 = Date.UTC(2000, 0, 1);
const CAPACITY = 1000;

/**
 * Whether `time` can be the time of a visit: not before 2000, nor more than a day after `now`
 * (a day covers clocks that are off). Anything else is a wrong clock or a hostile server.
 */
export const plausibleTime = (time: number, now: number): boolean => time >= YEAR_2000 && time <= now + DAY_MS;

/**
 * Should `next` replace `current`, the same visit? A check-out is later news than its check-in,
 * whatever the times say; within one state, only a later time is news (an equal one is a repeat).
 */
export const supersedes = (next: Pick<Visit, 'out' | 'at'>, current: Pick<Visit, 'out' | 'at'>): boolean =>
  next.out === current.out ? next.at > current.at : next.out;

/** The feed's order, newest first; a time from a wrong clock (year 9999, 1970) goes below every real one. */
export function newestFirst(a: Pick<Visit, 'at'>, b: Pick<Visit, 'at'>, now: number): number {
  const real = plausibleTime(a.at, now);
  return real === plausibleTime(b.at, now) ? b.at - a.at : real ? -1 : 1;
}

/** Whether a member is in, and which of their visits says so. */
interface Presence {
  /** Their open visit's id; null when out. */
  visit: string | null;
  /** The visit this was learnt from ('' for "no visit at all"), and its check-in time, ms (NaN: unreadable). */
  from: string;
  checkedIn: number;
}

/**
 * The visits of one gym as this page knows them, from the live check-ins and check-outs and the
 * history lists, merged by visit id: a check-out beats its check-in, an older state never
 * overwrites a newer one, and a repeat is no news (listeners hear only what changed). It also
 * knows who is in now: a member's presence follows their newest visit (by check-in time), so a
 * late check-out of an earlier visit does not send out a member who came back.
 *
 * Bounded, for a wall display open for weeks: it keeps the `capacity` visits that show first in
 * the feed's order (`newestFirst`), and lets go of the others each time it holds a quarter more
 * (so never more than 1,250 visits by default, whatever passes); and the presence of the
 * `capacity` members whose presence changed last. What it let go of is unknown again: the form
 * then asks the server, and a feed shows at most `capacity` rows.
 *
 * Framework-free, like the rest of src/core: the elements read it, `visitLogFor` feeds it.
 */
export class VisitLog {
  readonly #visits = new Map<string, Visit>();
  /** Member id → presence; in the order of the last change, so the first is the one forgotten. */
  readonly #presence = new Map<string, Presence>();
  readonly #listeners = new Set<(change: VisitChange) => void>();
  readonly #capacity: number;
  readonly #now: () => number;
  readonly #source: ((log: VisitLog) => () => void) | undefined;
  #stopSource: (() => void) | undefined;

  constructor(options: VisitLogOptions = {}) {
    this.#capacity = options.capacity ?? CAPACITY;
    this.#now = options.now ?? (() => Date.now());
    this.#source = options.source;
  }

  /** How many visits it holds (at most `capacity` and a quarter). */
  get size(): number {
    return this.#visits.size;
  }

  /** The latest state of visit `id`, while the log keeps it. */
  get(id: string): Visit | undefined {
    return this.#visits.get(id);
  }

  /** The first `count` visits in the feed's order: newest first, wrong clocks last. */
  newest(count = Infinity): Visit[] {
    const now = this.#now();
    return [...this.#visits.values()].sort((a, b) => newestFirst(a, b, now)).slice(0, count);
  }

  /** Whether member `memberId` is in (their open visit's id), out (null), or not known here (undefined). */
  presence(memberId: string): string | null | undefined {
    return this.#presence.get(memberId)?.visit;
  }

  /** A live check-in (`member_checked_in`); true when it was news. */
  checkedIn(checkIn: CheckIn): boolean {
    return this.#tell([this.#apply(checkIn, false)], true) > 0;
  }

  /** A live check-out (`member_checked_out`); true when it was news. */
  checkedOut(checkIn: CheckIn): boolean {
    return this.#tell([this.#apply(checkIn, true)], true) > 0;
  }

  /** A history list (the backend's recent check-ins), each visit in the state it says; how many were news. */
  backfill(checkIns: Iterable<CheckIn>): number {
    return this.#tell(
      [...checkIns].map((checkIn) => this.#apply(checkIn, Boolean(checkIn.check_out_time))),
      false,
    );
  }

  /**
   * What the server listed of one member's visits: their presence, learnt from their open visit or
   * else their newest (unless the log knows a newer visit of theirs). The visits themselves are not
   * added: a member's past is not the gym's recent news. Returns the open visit's id, or null: the
   * server's answer, whatever the log kept.
   */
  memberVisits(memberId: string, visits: readonly VisitTimes[]): string | null {
    const open = visits.find((visit) => visit.check_out_time == null);
    const checkedIn = (visit: VisitTimes) => Date.parse(visit.check_in_time);
    const newest = open ?? visits.reduce<VisitTimes | undefined>((best, visit) => (!best || checkedIn(visit) > checkedIn(best) ? visit : best), undefined);
    const before = this.presence(memberId);
    this.#see(memberId, { visit: open?.id ?? null, from: newest?.id ?? '', checkedIn: newest ? checkedIn(newest) : -Infinity });
    if (this.presence(memberId) !== before) this.#emit({ visits: [], live: false });
    return open?.id ?? null;
  }

  /**
   * Calls `listener` after every change; returns the function that stops it. A listener that
   * throws does not keep the change from the others; the first error is thrown again after them
   * (to the client, when the change came from its socket: reported as a subscriber's error).
   */
  subscribe(listener: (change: VisitChange) => void): () => void {
    // Its own function: the same listener subscribed twice is called twice, and stopped one at a time.
    const own = (change: VisitChange) => listener(change);
    this.#listeners.add(own);
    if (this.#listeners.size === 1) this.#stopSource = this.#source?.(this);
    return () => {
      this.#listeners.delete(own);
      if (this.#listeners.size > 0) return;
      this.#stopSource?.();
      this.#stopSource = undefined;
    };
  }

  /** Merges one visit in; its new state when that was news. */
  #apply(checkIn: CheckIn, out: boolean): Visit | undefined {
    const current = this.#visits.get(checkIn.id);
    const parsed = Date.parse((out && checkIn.check_out_time) || checkIn.check_in_time);
    // An unreadable time is when the log first heard that state: its repeats are repeats, not later news.
    const at = Number.isNaN(parsed) ? (current?.out === out ? current.at : this.#now()) : parsed;
    const next: Visit = { checkIn, out, at };
    if (current && !supersedes(next, current)) return undefined;
    this.#visits.set(checkIn.id, next);
    this.#see(checkIn.member.id, { visit: out ? null : checkIn.id, from: checkIn.id, checkedIn: Date.parse(checkIn.check_in_time) });
    return next;
  }

  /** Records a member's presence, unless it comes from a visit older than the one it has (an unreadable time never blocks). */
  #see(memberId: string, next: Presence): void {
    const current = this.#presence.get(memberId);
    if (current && next.from !== current.from && next.checkedIn < current.checkedIn) return;
    this.#presence.delete(memberId);
    this.#presence.set(memberId, next);
    if (this.#presence.size > this.#capacity) this.#presence.delete(this.#presence.keys().next().value!);
  }

  /** Keeps the log in bounds, then tells listeners what was news and is still kept; how many that is. */
  #tell(applied: (Visit | undefined)[], live: boolean): number {
    // Trimmed a quarter at a time: one sort per 250 new visits, not a scan per visit.
    if (this.#visits.size >= this.#capacity + Math.ceil(this.#capacity / 4)) {
      for (const visit of this.newest().slice(this.#capacity)) this.#visits.delete(visit.checkIn.id);
    }
    // Each visit once, in its latest state (a list may name a visit twice), and only if still kept.
    const news = applied.filter((visit): visit is Visit => visit !== undefined && this.#visits.get(visit.checkIn.id) === visit);
    if (news.length) this.#emit({ visits: news, live });
    return news.length;
  }

  #emit(change: VisitChange): void {
    let failed: { error: unknown } | undefined;
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        failed ??= { error };
      }
    }
    if (failed) throw failed.error;
  }
}

/** What `visitLogFor` needs of a client: its subscriptions to messages. */
export type VisitSource = Pick<RealtimeClient, 'subscribe'>;

const logs = new WeakMap<VisitSource, VisitLog>();

/**
 * The one visit log of `client`, made on first use and fed from its `member_checked_in` and
 * `member_checked_out` messages while anyone listens, so that every element of one client (the
 * feeds, the form) shares one view of the gym. It is let go with the client.
 *
 * It will become `client.visits` once the client's restructuring (#26) settles; until then it
 * lives beside the client rather than in it.
 */
export function visitLogFor(client: VisitSource): VisitLog {
  let log = logs.get(client);
  if (!log) {
    log = new VisitLog({
      source: (fed) => {
        const stops = [
          client.subscribe('member_checked_in', ({ payload }) => void fed.checkedIn(payload)),
          client.subscribe('member_checked_out', ({ payload }) => void fed.checkedOut(payload)),
        ];
        return () => stops.forEach((stop) => stop());
      },
    });
    logs.set(client, log);
  }
  return log;
}
