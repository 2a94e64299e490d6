/** Time as the client sees it; injectable so tests can use a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Reads the globals at call time, so fake timers installed after construction still apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type NetworkSignal = 'online' | 'offline' | 'visible';

/** What the page knows about the network and its own visibility. */
export interface NetworkEnvironment {
  isOnline(): boolean;
  /** Starts watching; returns the function that stops. */
  watch(onSignal: (signal: NetworkSignal) => void): () => void;
}

/** The browser's `navigator.onLine`, `online`/`offline` and `visibilitychange`; inert where they do not exist (Node). */
export const browserEnvironment: NetworkEnvironment = {
  isOnline: () => globalThis.navigator?.onLine !== false,
  watch(onSignal) {
    const target = globalThis.window as Window | undefined;
    const doc = globalThis.document as Document | undefined;
    if (!target?.addEventListener) return () => {};
    const online = () => onSignal('online');
    const offline = () => onSignal('offline');
    const visibility = () => {
      if (doc?.visibilityState === 'visible') onSignal('visible');
    };
    target.addEventListener('online', online);
    target.addEventListener('offline', offline);
    doc?.addEventListener('visibilitychange', visibility);
    return () => {
      target.removeEventListener('online', online);
      target.removeEventListener('offline', offline);
      doc?.removeEventListener('visibilitychange', visibility);
    };
  },
};
