#!/usr/bin/env node
// `npm run size` (part of `npm test`): builds our two bundles the benchmark's
// way and fails when one is over its ceiling. Prints the figures either way.
// `--scale=0.5` halves the limits (the test that proves the check can fail).
import { LIMITS, measure } from './size.mjs';

const scale = Number(process.argv.find((arg) => arg.startsWith('--scale='))?.slice(8) ?? 1);
const names = { 'ours-full.js': 'full bundle', 'ours-core.js': 'core alone' };
let over = 0;
for (const [entry, { goal, ceiling }] of Object.entries(LIMITS)) {
  const { minified, gzip } = await measure(entry);
  const limit = Math.round(ceiling * scale);
  const verdict = gzip > limit ? 'OVER THE CEILING' : `${limit - gzip} B of headroom; ${gzip > goal ? `${gzip - goal} B over` : 'within'} the ${goal} B goal`;
  if (gzip > limit) over++;
  console.log(`size: ${/** @type {Record<string, string>} */ (names)[entry]}: ${gzip} B gzip (${minified} B minified), ceiling ${limit} B — ${verdict}`);
}
if (over) {
  console.error(`size: ${over} bundle(s) grew past the ceiling in bench/size.mjs`);
  process.exit(1);
}
