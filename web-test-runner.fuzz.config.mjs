// `npm run test:fuzz`: test/core/fuzz.test.ts alone, with 100,000 frames instead of the
// 5,000 it runs within `npm test`; `FUZZ_RUNS=n npm run test:fuzz` for another count.
// The count reaches the page as a global set by the runner HTML: a browser cannot read the
// environment, and mocha's setup throws on options it does not know.
import base from './web-test-runner.config.mjs';

const runs = Number(process.env.FUZZ_RUNS) || 100_000;

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  ...base,
  files: ['test/core/fuzz.test.ts'],
  testRunnerHtml: (testFramework) =>
    `<!DOCTYPE html><html><head><script>window.FUZZ_RUNS = ${runs};</script></head><body><script type="module" src="${testFramework}"></script></body></html>`,
};
