import type { PublicVisit } from './redaction.js';

/** What AV-Gym's `GET /api/checkins/recent/` answers with at most. */
export const REST_LIMIT = 20;
const DAY_MS = 24 * 3600_000;

/** When the visit's latest event happened: its check-out, or its check-in. */
export const eventTime = (visit: PublicVisit): number => Date.parse(visit.check_out_time ?? visit.check_in_time);

/**
 * The visits the gateway knows, already redacted, bounded: the source of its history endpoint
 * and of de-duplication. A visit is one entry whatever events it had; the oldest check-ins are
 * forgotten first.
 */
export class RecentVisits {
  readonly #visits = new Map<string, PublicVisit>();
  readonly #capacity: number;
  #newest: number | undefined;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#visits.size;
  }

  /** The time of the newest event recorded (by AV-Gym's clock, as its visits say); undefined before any. */
  get newestEvent(): number | undefined {
    return this.#newest;
  }

  /**
   * Records a visit and says whether it is news to browsers: a visit not seen before, or a
   * check-out of one seen checked in. A repeat, or an older state of a visit (its check-in after
   * its check-out), is not.
   */
  record(visit: PublicVisit): boolean {
    const known = this.#visits.get(visit.id);
    if (known && (known.check_out_time !== null || visit.check_out_time === null)) return false;
    this.#visits.set(visit.id, visit);
    const at = eventTime(visit);
    if (!(at <= (this.#newest ?? -Infinity))) this.#newest = at;
    if (!known && this.#visits.size > this.#capacity) this.#forgetOldest();
    return true;
  }

  /** What a browser missed, of `visits` (e.g. AV-Gym's history after an outage): each news once, oldest event first. Records them. */
  catchUp(visits: readonly PublicVisit[]): PublicVisit[] {
    const ordered = [...visits].sort((a, b) => eventTime(a) - eventTime(b) || (a.id < b.id ? -1 : 1));
    // A list may name one visit twice (a check-in and its check-out): the last state wins, once.
    const latest = new Map(ordered.map((visit) => [visit.id, visit]));
    return [...latest.values()].sort((a, b) => eventTime(a) - eventTime(b)).filter((visit) => this.record(visit));
  }

  /** As AV-Gym's history endpoint: at most 20 visits of the last 24 h, newest check-in first. */
  recent(now: number): PublicVisit[] {
    return [...this.#visits.values()]
      .filter((visit) => Date.parse(visit.check_in_time) >= now - DAY_MS)
      .sort((a, b) => Date.parse(b.check_in_time) - Date.parse(a.check_in_time))
      .slice(0, REST_LIMIT);
  }

  #forgetOldest(): void {
    let oldest: PublicVisit | undefined;
    for (const visit of this.#visits.values()) if (!oldest || Date.parse(visit.check_in_time) < Date.parse(oldest.check_in_time)) oldest = visit;
    if (oldest) this.#visits.delete(oldest.id);
  }
}
