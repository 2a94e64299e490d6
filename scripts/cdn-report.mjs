#!/usr/bin/env node
// The CDN files' sizes and Subresource Integrity hashes, saved as
// dist/bundle/integrity.json (shipped in the package, so a pinned CDN URL has
// its hash next to it).
//
// The CDN build writes it itself (the classic-script plugin of vite.config.ts,
// last in `vite build --mode bundle`, which builds every CDN file in one run), so
// whichever command built dist/bundle/ last — `npm run build`, `npm start`
// (`build:demo`), `npm run bench` — the hashes match the files beside them.
//
// Run as a script (the end of `npm run build`), it checks that integrity.json
// matches the files and prints the sizes and hashes.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

/** The two files a page names, built by `vite build --mode bundle`; the module's chunks sit beside them. */
export const CDN_FILES = ['gym-realtime-widgets.js', 'gym-realtime-widgets.classic.js'];

/** Every script of the CDN folder: the two above, then the module's content-hashed chunks, sorted. */
export const cdnScripts = (/** @type {string} */ dir) => [
  ...CDN_FILES,
  ...readdirSync(dir)
    .filter((file) => file.endsWith('.js') && !CDN_FILES.includes(file))
    .sort(),
];

const packageJson = fileURLToPath(new URL('../package.json', import.meta.url));
const DEFAULT_DIR = fileURLToPath(new URL('../dist/bundle/', import.meta.url));

/**
 * @typedef {{ bytes: number, gzip: number, brotli: number, integrity: string }} FileReport
 * @typedef {{ version: string, files: Record<string, FileReport> }} CdnReport
 */

/**
 * Measures the CDN files in `dir`; throws when one is missing.
 * @param {string} dir
 * @returns {CdnReport}
 */
export function cdnReport(dir) {
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8'));
  /** @type {Record<string, FileReport>} */
  const files = {};
  for (const file of existsSync(dir) ? cdnScripts(dir) : CDN_FILES) {
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`${path} is missing: the CDN build (vite build --mode bundle) makes both CDN files`);
    const code = readFileSync(path);
    files[file] = {
      bytes: code.length,
      gzip: gzipSync(code, { level: 9 }).length,
      brotli: brotliCompressSync(code).length,
      integrity: `sha384-${createHash('sha384').update(code).digest('base64')}`,
    };
  }
  return { version, files };
}

/** @param {CdnReport} report */
const serialize = (report) => `${JSON.stringify(report, null, 2)}\n`;

/**
 * Writes `integrity.json` for the CDN files in `dir`.
 * @param {string} dir
 * @returns {CdnReport}
 */
export function writeCdnReport(dir) {
  const report = cdnReport(dir);
  writeFileSync(join(dir, 'integrity.json'), serialize(report));
  return report;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_DIR;
  const path = join(dir, 'integrity.json');
  const expected = serialize(cdnReport(dir));
  if (!existsSync(path) || readFileSync(path, 'utf8') !== expected) {
    console.error(`${path} does not match the CDN files beside it: rebuild them with \`vite build --mode bundle\`.`);
    process.exit(1);
  }
  for (const [file, { bytes, gzip, brotli, integrity }] of Object.entries(JSON.parse(expected).files)) {
    console.log(`${file}: ${bytes} B, ${gzip} B gzip, ${brotli} B brotli\n  integrity="${integrity}"`);
  }
}
