// What the unit tests take from `node:test`, as mocha's globals. Under Stryker the tests run in
// mocha (one process judges mutant after mutant, switching them at run time); test/unit/build.mjs
// points `node:test` here. Only `describe(name, fn)` and `it(name, fn)` are used, with no
// arguments to `fn`: mocha would take one as its `done` callback.
/** @type {(name: string, fn: () => void) => void} */
export const describe = (name, fn) => /** @type {any} */ (globalThis).describe(name, fn);
/** @type {(name: string, fn: () => void | Promise<void>) => void} */
export const it = (name, fn) => /** @type {any} */ (globalThis).it(name, fn);
