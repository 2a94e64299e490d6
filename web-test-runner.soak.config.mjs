// `npm run soak`: the tests under test/soak/, which take real time by design and so stay out
// of `npm test` — the chaos storm (test/soak/chaos.test.ts: 30 drops and restarts in 40 s of
// check-ins against the local gym server). The same browser, plugins and gym server as the
// browser suite; the hour-long page soak is `npm run test:soak` (scripts/soak.mjs).
import base from './web-test-runner.config.mjs';

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  ...base,
  files: ['test/soak/**/*.test.ts'],
};
