// The gateway, built for Node from gateway/src/ and the src/ code it imports (tests and benchmarks
// run on the source, not on a stale gateway/dist/).
// Test files run in parallel processes: each writes to a file of its own, then renames it into
// place, so no process ever imports a half-written one.
import * as esbuild from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cache = `${root}bench/.cache`;
mkdirSync(cache, { recursive: true });

/** Writes `text` to `file` so that a reader sees the old file or the new one, never a part. */
function writeAtomically(/** @type {string} */ file, /** @type {string} */ text) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

const { outputFiles } = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['gateway/src/index.ts'],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  write: false,
  logLevel: 'silent',
});
const entry = `${cache}/gateway.mjs`;
writeAtomically(entry, /** @type {import('esbuild').OutputFile} */ (outputFiles[0]).text);

/** A script that runs the gateway's command line, as the `gym-realtime-gateway` bin does. */
export const gatewayCli = `${cache}/gateway-cli.mjs`;
writeAtomically(gatewayCli, "import { main } from './gateway.mjs';\nawait main();\n");

/** @type {typeof import('../../gateway/src/index.js')} */
export const gateway = await import(pathToFileURL(entry).href);
