import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Holds a value for `ms` (the Undo button's 10 s), then drops it and asks for
 * a render. Its timer ends with the host: nothing outlives the element.
 */
export class ForAWhile<T> implements ReactiveController {
  value: T | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly ms: number,
    /** Called when the value runs out (not when it is replaced or the host leaves). */
    private readonly onExpire: () => void = () => {},
  ) {
    host.addController(this);
  }

  set(value: T | undefined): void {
    clearTimeout(this.#timer);
    this.value = value;
    if (value !== undefined) {
      this.#timer = setTimeout(() => {
        this.onExpire();
        this.set(undefined);
      }, this.ms);
    }
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.set(undefined);
  }
}
