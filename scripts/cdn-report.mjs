#!/usr/bin/env node
// Part of `npm run build`: the CDN files' sizes and Subresource Integrity
// hashes, printed and saved as dist/bundle/integrity.json (shipped in the
// package, so a pinned CDN URL has its hash next to it).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const FILES = ['gym-realtime-widgets.js', 'gym-realtime-widgets.classic.js'];
const dir = new URL('../dist/bundle/', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** @type {Record<string, { bytes: number, gzip: number, brotli: number, integrity: string }>} */
const report = {};
for (const file of FILES) {
  const code = readFileSync(new URL(file, dir));
  report[file] = {
    bytes: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code).length,
    integrity: `sha384-${createHash('sha384').update(code).digest('base64')}`,
  };
}
writeFileSync(new URL('integrity.json', dir), `${JSON.stringify({ version, files: report }, null, 2)}\n`);
for (const [file, { bytes, gzip, brotli, integrity }] of Object.entries(report)) {
  console.log(`${file}: ${bytes} B, ${gzip} B gzip, ${brotli} B brotli\n  integrity="${integrity}"`);
}
