/**
 * A node:test reporter for the WordPress suite: one line per test, the
 * failures' messages — including a failed `before` hook (setting up WordPress),
 * which would otherwise show only as every test "cancelled" — then the closing
 * line CI reads, `wordpress: N passed, N failed` (`, N skipped` when any were).
 * @param {AsyncIterable<{ type: string, data: any }>} source
 */
export default async function* wordpressReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  // How long a test took, where it is worth saying (the suite runs against a wall-clock budget).
  const seconds = (/** @type {number | undefined} */ ms) => (typeof ms === 'number' && ms >= 1000 ? ` (${(ms / 1000).toFixed(1)} s)` : '');
  const message = (/** @type {any} */ error) => String(error?.cause?.stack ?? error?.cause ?? error?.message ?? error).replaceAll('\n', '\n  ');
  for await (const { type, data } of source) {
    // What a test file printed to stderr: why it failed to load or crashed (a clean run prints nothing).
    if (type === 'test:stderr') yield data.message;
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    if (data.details?.type === 'suite') {
      // A suite fails on its own only when one of its hooks did.
      if (type === 'test:fail' && data.details.error?.failureType === 'hookFailed') yield `✗ ${data.name}: setting up or tearing down failed\n  ${message(data.details.error)}\n`;
      continue;
    }
    if (type === 'test:fail') {
      counts.failed++;
      if (data.details?.error?.failureType === 'cancelledByParent') yield `✗ ${data.name} (not run: see the failure of its suite below)\n`;
      else yield `✗ ${data.name}\n  ${message(data.details?.error)}\n`;
    } else if (data.skip || data.todo) {
      counts.skipped++;
    } else {
      counts.passed++;
      yield `✓ ${data.name}${seconds(data.details?.duration_ms)}\n`;
    }
  }
  yield `\nwordpress: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}\n`;
}
