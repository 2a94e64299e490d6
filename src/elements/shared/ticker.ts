type Ticker = { timer: ReturnType<typeof setInterval>; listeners: Set<() => void> };

const tickers = new Map<number, Ticker>();

/**
 * Calls `listener` every `ms`, sharing one interval among everything on the
 * page that ticks at that pace (relative times, countdowns). Returns the
 * function that stops; the interval ends with its last listener.
 */
export function onTick(ms: number, listener: () => void): () => void {
  let ticker = tickers.get(ms);
  if (!ticker) {
    const listeners = new Set<() => void>();
    ticker = { listeners, timer: setInterval(() => listeners.forEach((tick) => tick()), ms) };
    tickers.set(ms, ticker);
  }
  const { listeners, timer } = ticker;
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && tickers.get(ms)?.timer === timer) {
      clearInterval(timer);
      tickers.delete(ms);
    }
  };
}

/** A shared tick an element switches on while it needs it (and off when it leaves the page). */
export class Tick {
  #stop: (() => void) | undefined;

  constructor(
    private readonly ms: number,
    private readonly listener: () => void,
  ) {}

  set(on: boolean): void {
    if (on) {
      this.#stop ??= onTick(this.ms, this.listener);
    } else {
      this.#stop?.();
      this.#stop = undefined;
    }
  }
}
