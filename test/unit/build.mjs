// `node test/unit/build.mjs OUTDIR`: bundles each test/unit/*.test.js (of the current directory)
// with the sources it imports into one plain ES module in OUTDIR, packages left as imports, and
// `node:test` replaced by mocha's globals (./node-test-as-mocha.mjs). Stryker runs it in its
// sandbox once the sources are instrumented (stryker.config.mjs), then runs the bundles in mocha.
import * as esbuild from 'esbuild';
import { argv, cwd, exit, stderr } from 'node:process';

const outdir = argv[2];
if (!outdir) {
  stderr.write('usage: node test/unit/build.mjs OUTDIR\n');
  exit(2);
}
await esbuild.build({
  absWorkingDir: cwd(),
  entryPoints: ['test/unit/*.test.js'],
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  alias: { 'node:test': './test/unit/node-test-as-mocha.mjs' },
  logLevel: 'warning',
});
