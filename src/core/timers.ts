import type { Clock } from './environment.js';

/**
 * Named one-shot timers on an injectable clock: setting a name again replaces
 * its timer, and every callback runs through `guard` so nothing it throws
 * escapes into the event loop.
 */
export class Timers<Name extends string> {
  readonly #handles = new Map<Name, unknown>();

  readonly #clock: Clock;
  readonly #guard: (callback: () => void) => void;

  constructor(
    clock: Clock,
    guard: (callback: () => void) => void,
  ) {
    this.#clock = clock;
    this.#guard = guard;
}

  has(name: Name): boolean {
    return this.#handles.has(name);
  }

  set(name: Name, ms: number, callback: () => void): void {
    this.clear(name);
    this.#handles.set(
      name,
      this.#clock.setTimeout(() => {
        this.#handles.delete(name);
        this.#guard(callback);
      }, ms),
    );
  }

  clear(...names: Name[]): void {
    for (const name of names) {
      if (!this.#handles.has(name)) continue;
      this.#clock.clearTimeout(this.#handles.get(name));
      this.#handles.delete(name);
    }
  }
}
