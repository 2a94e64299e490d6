/**
 * Init scripts (`page.addInitScript(countLiveTimers)`) shared by the soak and
 * the benchmarks. Counts the page's live timers — pending timeouts and running
 * intervals — read with `window.__liveTimers()`.
 */
export function countLiveTimers() {
  const live = new Set();
  const w = /** @type {any} */ (window);
  const { setTimeout: st, clearTimeout: ct, setInterval: si, clearInterval: ci } = window;
  w.setTimeout = (/** @type {any} */ fn, /** @type {number} */ ms, /** @type {any[]} */ ...args) => {
    const id = st(
      (/** @type {any[]} */ ...a) => {
        live.delete(id);
        if (typeof fn === 'function') fn(...a);
      },
      ms,
      ...args,
    );
    live.add(id);
    return id;
  };
  w.clearTimeout = (/** @type {any} */ id) => {
    live.delete(id);
    ct(id);
  };
  w.setInterval = (/** @type {any} */ fn, /** @type {number} */ ms, /** @type {any[]} */ ...args) => {
    const id = si(fn, ms, ...args);
    live.add(id);
    return id;
  };
  w.clearInterval = (/** @type {any} */ id) => {
    live.delete(id);
    ci(id);
  };
  w.__liveTimers = () => live.size;
}
