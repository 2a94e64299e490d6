import type { ReactiveController, ReactiveControllerHost } from 'lit';

type Ticker = { timer: ReturnType<typeof setInterval>; listeners: Set<() => void> };

const tickers = new Map<number, Ticker>();

/**
 * Calls `listener` every `ms`, sharing one interval among everything on the
 * page that ticks at that pace (relative times, countdowns). Returns the
 * function that stops; the interval ends with its last listener.
 */
function onTick(ms: number, listener: () => void): () => void {
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

/**
 * Renders its host every `ms` while the host is in the document and `when()`
 * holds (checked after each render), on the page's shared tick for that pace.
 * `render` asks for the render (elements pass their controller's per-frame
 * batch, so a tick and a message in the same frame render once).
 */
export class Tick implements ReactiveController {
  #stop: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & Element,
    private readonly ms: number,
    private readonly when: () => boolean,
    private readonly render: () => void = () => host.requestUpdate(),
  ) {
    host.addController(this);
  }

  // Moved in the page (removed and added back): ticks again without waiting for a render.
  hostConnected(): void {
    this.hostUpdated();
  }

  hostUpdated(): void {
    if (this.host.isConnected && this.when()) this.#stop ??= onTick(this.ms, this.render);
    else this.hostDisconnected();
  }

  hostDisconnected(): void {
    this.#stop?.();
    this.#stop = undefined;
  }
}
