import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TimerController } from '../shared/timer-controller.js';

/**
 * Holds a value for `ms` (the Undo button's 10 s), then drops it and asks for
 * a render. Its timer ends with the host: nothing outlives the element.
 */
export class ForAWhile<T> implements ReactiveController {
  value: T | undefined;
  readonly #timers: TimerController<'expiry'>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly ms: number,
    /** Called when the value runs out (not when it is replaced or the host leaves). */
    private readonly onExpire: () => void = () => {},
  ) {
    this.#timers = new TimerController(host);
    host.addController(this);
  }

  set(value: T | undefined): void {
    this.value = value;
    if (value === undefined) this.#timers.clear('expiry');
    else {
      this.#timers.set('expiry', this.ms, () => {
        this.onExpire();
        this.set(undefined);
      });
    }
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.set(undefined);
  }
}
