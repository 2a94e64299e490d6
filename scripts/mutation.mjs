#!/usr/bin/env node
// `npm run test:mutation`: applies each deliberate one-line bug listed in
// test/mutation/mutations.mjs to src/, runs the tests named for it, and
// reports the mutations no test noticed ("survived"). Exits 1 when one
// survives or no longer applies (the list went stale). Restores every file,
// also on Ctrl-C. `-- ID…` runs only those mutations.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MUTATIONS } from '../test/mutation/mutations.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);
const chosen = only.length ? MUTATIONS.filter((mutation) => only.includes(mutation.id)) : MUTATIONS;

/** @type {Map<string, string>} original text of each file mutated now */
const originals = new Map();
const restore = () => {
  for (const [file, text] of originals) writeFileSync(`${root}${file}`, text);
  originals.clear();
};
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    restore();
    process.exit(130);
  });
}

/** Runs the tests named for a mutation; true when they passed. */
function testsPass(/** @type {string[]} */ tests) {
  const browser = tests.filter((file) => file.endsWith('.ts'));
  const node = tests.filter((file) => !file.endsWith('.ts'));
  const run = (/** @type {string} */ command, /** @type {string[]} */ args) =>
    spawnSync(command, args, { cwd: root, stdio: 'pipe', timeout: 5 * 60_000, env: { ...process.env, FORCE_COLOR: '0' } }).status === 0;
  return (browser.length === 0 || run('npx', ['web-test-runner', ...browser])) && (node.length === 0 || run('node', ['--test', ...node]));
}

const results = [];
for (const { id, file, find, replace, tests, why } of chosen) {
  const text = readFileSync(`${root}${file}`, 'utf8');
  const count = text.split(find).length - 1;
  if (count !== 1) {
    results.push({ id, verdict: `STALE (found ${count}× in ${file})`, why });
    continue;
  }
  originals.set(file, text);
  writeFileSync(`${root}${file}`, text.replace(find, replace));
  const started = Date.now();
  let verdict;
  try {
    verdict = testsPass(tests) ? 'SURVIVED' : 'killed';
  } finally {
    restore();
  }
  results.push({ id, verdict, why, seconds: Math.round((Date.now() - started) / 1000) });
  console.log(`mutation: ${id}: ${verdict} (${results.at(-1)?.seconds} s)`);
}

const bad = results.filter((result) => result.verdict !== 'killed');
console.log('');
for (const { id, verdict, why } of results) console.log(`${verdict.padEnd(8)} ${id.padEnd(28)} ${why}`);
console.log(`\nmutation: ${results.length - bad.length} killed, ${bad.length} survived or stale`);
console.log(`${results.length - bad.length} passed, ${bad.length} failed`);
process.exit(bad.length ? 1 : 0);
