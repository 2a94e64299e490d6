import type { ReactiveController } from 'lit';
import type { GymElement } from '../shared/gym-element.js';

/**
 * Throttles what a polite live region says: at most one sentence every `ms`,
 * about the first item of the period or how many arrived. Whatever is pending
 * is dropped when the host leaves the page.
 */
export class Announcer<T> implements ReactiveController {
  /** The sentence for the live region. */
  text = '';
  // Only the first item and the count are needed, however many arrive in a flood.
  #first: T | undefined;
  #count = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: GymElement,
    private readonly ms: number,
    private readonly say: (first: T, count: number) => string,
    /** Asks for the render that says it (the feed's per-frame batch). */
    private readonly render: () => void,
  ) {
    host.addController(this);
  }

  add(item: T): void {
    this.#first ??= item;
    this.#count++;
    this.#timer ??= setTimeout(
      this.host.guard(() => {
        this.text = this.say(this.#first!, this.#count);
        this.hostDisconnected(); // the next period starts empty
        this.render();
      }),
      this.ms,
    );
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#timer = this.#first = undefined;
    this.#count = 0;
  }
}
