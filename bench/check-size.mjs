#!/usr/bin/env node
// `npm run size` (part of `npm test`): builds the CDN folder as `vite build --mode bundle` does
// (into a temporary folder) and fails when one of the four real pages downloads more script
// bytes, or more files, than its ceiling in bench/pages.mjs. Prints the figures either way, with
// the core and the classic script alone (esbuild, bench/size.mjs) beside them for reference.
// `--scale=0.5` halves the limits (to see the check fail).
import { measurePages } from './pages.mjs';
import { LIMITS, measure } from './size.mjs';

const scale = Number(process.argv.find((arg) => arg.startsWith('--scale='))?.slice(8) ?? 1);
let over = 0;
for (const page of await measurePages()) {
  const limit = Math.round(page.ceiling * scale);
  const requests = Math.floor(page.requests * scale);
  const problems = [
    ...(page.gzip > limit ? [`OVER THE CEILING of ${limit} B`] : []),
    ...(page.files.length > requests ? [`${page.files.length} requests, more than ${requests}`] : []),
  ];
  if (problems.length) over++;
  const verdict = problems.length ? problems.join('; ') : `${limit - page.gzip} B of headroom; ${page.gzip > page.target ? `${page.gzip - page.target} B over` : 'within'} the ${page.target} B target`;
  console.log(`size: ${page.name} (demo/pages/${page.page}): ${page.gzip} B gzip in ${page.files.length} requests — ${verdict}`);
}
for (const entry of Object.keys(LIMITS)) {
  const { gzip } = await measure(entry);
  console.log(`size: ${entry === 'ours-core.js' ? 'the core alone' : 'every element in one file'}: ${gzip} B gzip (for reference)`);
}
if (over) {
  console.error(`size: ${over} page(s) grew past their ceiling in bench/pages.mjs`);
  process.exit(1);
}
