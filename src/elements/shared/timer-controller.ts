import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * An element's timers, by name: once (`set`) or repeating (`every`). Setting a name again
 * replaces its timer; all of them end when the host leaves the page (a timer set with `cancelled`
 * says so), so no timer outlives the element. The global timer functions are read at call time, so a fake clock
 * installed after the element was made still applies.
 */
export class TimerController<Name extends string = string> implements ReactiveController {
  /** Each running timer's stop. */
  readonly #stops = new Map<Name, () => void>();

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Calls `callback` in `ms`; `cancelled` instead when the timer is cleared first. */
  set(name: Name, ms: number, callback: () => void, cancelled?: () => void): void {
    this.clear(name);
    const id = setTimeout(() => {
      this.#stops.delete(name);
      callback();
    }, ms);
    this.#stops.set(name, () => {
      clearTimeout(id);
      cancelled?.();
    });
  }

  /** Calls `callback` every `ms` until cleared. */
  every(name: Name, ms: number, callback: () => void): void {
    this.clear(name);
    const id = setInterval(callback, ms);
    this.#stops.set(name, () => clearInterval(id));
  }

  clear(name: Name): void {
    const stop = this.#stops.get(name);
    this.#stops.delete(name);
    stop?.();
  }

  hostDisconnected(): void {
    for (const name of [...this.#stops.keys()]) this.clear(name);
  }
}
