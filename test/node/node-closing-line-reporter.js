/**
 * A node:test reporter: one line per test, the failures' messages, then the
 * closing line CI reads, `node: N passed, N failed` (`, N skipped` when any were).
 * @param {AsyncIterable<{ type: string, data: any }>} source
 */
export default async function* closingLineReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const { type, data } of source) {
    // Suites (describe) report too; only the tests inside them count.
    if ((type !== 'test:pass' && type !== 'test:fail') || data.details?.type === 'suite') continue;
    if (type === 'test:fail') {
      counts.failed++;
      const error = data.details?.error;
      yield `✗ ${data.name}\n  ${String(error?.cause?.stack ?? error?.cause ?? error?.message ?? error).replaceAll('\n', '\n  ')}\n`;
    } else if (data.skip || data.todo) {
      counts.skipped++;
    } else {
      counts.passed++;
      yield `✓ ${data.name}\n`;
    }
  }
  yield `\nnode: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}\n`;
}
