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
  /**
   * The check-ins by time, oldest on top, so forgetting the oldest costs O(log n) and not a scan
   * of every visit with a date parse each: at 200 visits the scan made a burst of 10,000 events
   * cost the gateway 0.75 s. A visit's check-in is pushed once, when it is first recorded.
   */
  readonly #checkIns = new MinHeap<string>();
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
    if (!known) {
      // An unreadable time sorts first, so it is forgotten first rather than kept for ever.
      this.#checkIns.push(Date.parse(visit.check_in_time) || -Infinity, visit.id);
      if (this.#visits.size > this.#capacity) this.#visits.delete(this.#checkIns.pop()!);
    }
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
      .map((visit) => ({ visit, at: Date.parse(visit.check_in_time) }))
      .filter(({ at }) => at >= now - DAY_MS)
      .sort((a, b) => b.at - a.at)
      .slice(0, REST_LIMIT)
      .map(({ visit }) => visit);
  }
}

/** A binary min-heap of values by a number: push and pop in O(log n). */
class MinHeap<T> {
  readonly #keys: number[] = [];
  readonly #values: T[] = [];

  push(key: number, value: T): void {
    let at = this.#keys.length;
    this.#keys.push(key);
    this.#values.push(value);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.#keys[parent]! <= key) break;
      this.#move(parent, at);
      at = parent;
    }
    this.#keys[at] = key;
    this.#values[at] = value;
  }

  /** Takes the value with the smallest key; undefined when empty. */
  pop(): T | undefined {
    const top = this.#values[0];
    const lastKey = this.#keys.pop();
    const lastValue = this.#values.pop()!;
    const size = this.#keys.length;
    if (lastKey === undefined || size === 0) return top;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && this.#keys[child + 1]! < this.#keys[child]!) child++;
      if (this.#keys[child]! >= lastKey) break;
      this.#move(child, at);
      at = child;
    }
    this.#keys[at] = lastKey;
    this.#values[at] = lastValue;
    return top;
  }

  #move(from: number, to: number): void {
    this.#keys[to] = this.#keys[from]!;
    this.#values[to] = this.#values[from]!;
  }
}
