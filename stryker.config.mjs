// StrykerJS over the pure modules: the ones whose rules are plain values in, values out, so every
// mutant is judged by the fast Node unit tests of test/unit/ (`npm run test:unit`). `npm run test:mutation` runs it (scripts/mutation.mjs); docs/testing.md says more.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * `file:first-last`, the lines from `export function first(` to the end of `export function last(`
 * (its closing brace at the start of a line): a file's pure functions, found by name so that an
 * edit elsewhere in the file cannot shift the range.
 */
function functionsOf(/** @type {string} */ file, /** @type {string} */ first, /** @type {string} */ last) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith(`export function ${first}(`));
  const lastStart = lines.findIndex((line) => line.startsWith(`export function ${last}(`));
  const end = lines.findIndex((line, i) => i > lastStart && line === '}');
  if (start < 0 || lastStart < start || end < 0) throw new Error(`stryker.config.mjs: cannot find ${first}…${last} in ${file}`);
  return `${file}:${start + 1}-${end + 1}`;
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [
    'src/core/policy.ts',
    'src/core/backoff.ts',
    'src/core/connection-policy.ts',
    'src/protocol/codec.ts',
    'src/protocol/names.ts',
    'src/protocol/close-codes.ts',
    'gateway/src/redaction.ts',
    // Only the token bucket and the slow-reader rule: the rest of the file is the socket server.
    functionsOf('gateway/src/downstream.ts', 'take', 'keepsUp'),
  ],
  // The node:test files of test/unit/, bundled in the sandbox by the build command below with
  // `node:test` pointed at mocha's globals: one mocha process judges mutant after mutant.
  testRunner: 'mocha',
  mochaOptions: { spec: ['unit-bundles/*.test.mjs'] },
  // Runs in the sandbox before node_modules is linked there: the script is the repository's own,
  // so that it finds esbuild.
  buildCommand: `node ${join(root, 'test/unit/build.mjs')} unit-bundles`,
  // A mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  // Only what the unit tests need goes into the sandbox.
  ignorePatterns: ['/*', '!/src', '!/gateway', '/gateway/*', '!/gateway/src', '!/gateway/package.json', '!/test', '/test/*', '!/test/unit', '!/package.json'],
  // The sandbox lives outside the working tree, so no linter or test glob of the project meets it.
  tempDirName: join(tmpdir(), 'gym-realtime-widgets-stryker'),
  cleanTempDir: 'always',
  incremental: false,
  // The machine is shared: two test runner processes at a time.
  concurrency: 2,
  timeoutMS: 10_000,
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ['progress-append-only', 'clear-text', 'html', 'json'],
  clearTextReporter: { reportTests: false, reportMutants: true, reportScoreTable: true, logTests: false, allowColor: false, allowEmojis: false },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
};
