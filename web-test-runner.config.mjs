import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, MISSING_BROWSER, findBrowser } from './scripts/find-browser.mjs';
import { closingLineReporter } from './test/node/closing-line-reporter.js';
import { gymServerPlugin } from './test/node/gym-server-plugin.js';

const executablePath = findBrowser();
if (!executablePath) {
  console.error(MISSING_BROWSER);
  process.exit(1);
}

/** mock-socket's package points at a UMD build; serve its ES module instead. @type {import('@web/test-runner').TestRunnerPlugin} */
const mockSocketEsm = {
  name: 'mock-socket-esm',
  resolveImport({ source }) {
    if (source === 'mock-socket') return '/node_modules/mock-socket/dist/mock-socket.es.mjs';
    return undefined;
  },
};

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  // test/soak/ (the 40 s real-time chaos storm) runs with `npm run soak`, not in `npm test`.
  files: ['test/**/*.test.ts', '!test/soak/**'],
  nodeResolve: true,
  concurrency: 1,
  // Lit's development build (which the tests use, for its extra checks) announces itself once per page.
  filterBrowserLogs: (/** @type {{ args: unknown[] }} */ { args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  // Fake clocks also freeze mocha's own timeout, so the runner keeps a time limit of its own.
  testsFinishTimeout: 5 * 60_000,
  testFramework: { config: { timeout: 10_000 } },
  browsers: [chromeLauncher({ launchOptions: { executablePath, headless: true, args: CHROMIUM_ARGS } })],
  plugins: [
    mockSocketEsm,
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    gymServerPlugin(),
  ],
  reporters: [defaultReporter(), closingLineReporter()],
};
