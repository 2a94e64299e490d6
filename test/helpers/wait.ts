/**
 * Waiting in real time, for the few things no fake clock can drive (a real
 * server, the browser's own frames). Timers are taken before any test can
 * install a fake clock, so these keep working, and keep their deadline, then.
 */
const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const now = performance.now.bind(performance);

/**
 * Resolves once `check()` holds, checking every few milliseconds; fails after
 * `timeout` ms with a message naming `what` it waited for.
 */
export async function until(check: () => boolean, what: string, timeout = 5000): Promise<void> {
  const deadline = now() + timeout;
  while (!check()) {
    if (now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => realSetTimeout(resolve, 5));
  }
}
