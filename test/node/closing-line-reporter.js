import { writeSync } from 'node:fs';

/**
 * Prints the suite's closing line on a line of its own, `browser: N passed, N failed`
 * (`, N skipped` when any were skipped), which CI reads.
 * @returns {import('@web/test-runner').Reporter}
 */
export function closingLineReporter() {
  let line = '';
  return {
    onTestRunFinished({ sessions }) {
      let passed = 0;
      let failed = 0;
      let skipped = 0;
      /** @param {import('@web/test-runner').TestSuiteResult} suite */
      const count = (suite) => {
        for (const test of suite.tests) {
          if (test.skipped) skipped++;
          else if (test.passed) passed++;
          else failed++;
        }
        suite.suites.forEach(count);
      };
      let brokenFiles = 0;
      for (const session of sessions) {
        if (session.testResults) count(session.testResults);
        // A file that failed to load or threw outside a test counts as a failure.
        if (!session.passed && (session.errors?.length ?? 0) > 0) brokenFiles++;
      }
      failed += brokenFiles;
      line = `browser: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
    },
    start() {
      // Written at exit, after the default reporter's last redraw, so it closes the output.
      process.once('exit', () => {
        if (line) writeSync(1, `\n${line}\n`);
      });
    },
  };
}
