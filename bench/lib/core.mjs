// The core, built from src/ for Node (benchmarks run on the source, not on a stale dist/).
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outfile = `${root}bench/.cache/core.mjs`;
mkdirSync(`${root}bench/.cache`, { recursive: true });
await esbuild.build({ absWorkingDir: root, entryPoints: ['src/core/index.ts'], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile, logLevel: 'silent' });

/** @type {typeof import('../../src/core/index.js')} */
export const core = await import(pathToFileURL(outfile).href);
