#!/usr/bin/env node
// `npm run test:mutation`, in two parts:
// 1. StrykerJS (stryker.config.mjs) mutates the pure modules and judges every mutant with the Node
//    unit tests of test/unit/: the mutation score, per file and in total.
// 2. The deliberate one-line bugs of test/mutation/mutations.mjs, in code Stryker does not mutate
//    here (the client's sockets and timers, the elements, the tabs): each is applied to a copy of
//    the project and the tests named for it must fail.
// Both run outside the working tree (a sandbox under the system's temp directory), so nothing in
// src/ is ever changed. Prints both results, ending with the Stryker score. Exits 1 when the score
// is below Stryker's break threshold, or a listed bug survives or no longer applies (the list went
// stale). `-- --stryker` runs only part 1; `-- ID…` only those listed bugs.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MUTATIONS } from '../test/mutation/mutations.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const strykerOnly = args.includes('--stryker');
const only = args.filter((arg) => !arg.startsWith('--'));
const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--stryker');
if (unknown.length || (strykerOnly && only.length)) {
  console.error('usage: node scripts/mutation.mjs [--stryker | ID…]');
  process.exit(2);
}
const started = Date.now();
const seconds = (/** @type {number} */ since) => Math.round((Date.now() - since) / 1000);

/** @type {Set<() => void>} what to clean up, also on Ctrl-C */
const cleanups = new Set();
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    for (const cleanup of cleanups) cleanup();
    process.exit(130);
  });
}

/**
 * @typedef {{ file: string, killed: number, timeout: number, survived: number, noCoverage: number, errors: number, ignored: number }} Counts
 * @typedef {{ files: Counts[], total: Counts, threshold: number | undefined, exitCode: number | null }} StrykerResult
 */

/** Stryker's score: detected (killed or timed out) of the valid mutants (errors and ignored ones are not). */
const score = (/** @type {Counts} */ c) => {
  const valid = c.killed + c.timeout + c.survived + c.noCoverage;
  return valid ? (100 * (c.killed + c.timeout)) / valid : 100;
};
const percent = (/** @type {number} */ value) => `${value.toFixed(2)} %`;

/** The colour codes of Stryker's log lines, left out when the output is no terminal. */
const COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[\\d;]*m`, 'g');

/** Part 1: runs Stryker, its output passed through, and reads its JSON report. */
async function runStryker() {
  console.log('mutation: StrykerJS over the pure modules (stryker.config.mjs)\n');
  // A run that ends before its report must not be read as the last run's score.
  const reportFile = join(root, 'reports/mutation/mutation.json');
  rmSync(reportFile, { force: true });
  const stryker = spawn(join(root, 'node_modules/.bin/stryker'), ['run'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  for (const stream of [stryker.stdout, stryker.stderr]) {
    // The mocha runner names the bundled test files, which the build command makes in the sandbox
    // after Stryker listed the project's files: Stryker warns of each, harmlessly.
    createInterface({ input: stream }).on('line', (line) => {
      if (!/Test file ".*" not found in input files/.test(line)) console.log(process.stdout.isTTY ? line : line.replace(COLOURS, ''));
    });
  }
  /** @type {number | null} */
  const exitCode = await new Promise((resolve) => stryker.on('close', resolve));
  /** @type {{ files: Record<string, { mutants: { status: string }[] }>, thresholds?: { break?: number | null } }} */
  let report;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch {
    return /** @type {StrykerResult} */ ({ files: [], total: tally('All files', []), threshold: undefined, exitCode });
  }
  const files = Object.entries(report.files).map(([file, { mutants }]) => tally(file, mutants.map(({ status }) => status)));
  const total = tally('All files', Object.values(report.files).flatMap(({ mutants }) => mutants.map(({ status }) => status)));
  return /** @type {StrykerResult} */ ({ files, total, threshold: report.thresholds?.break ?? undefined, exitCode });
}

/** Counts the mutants of a file by status. */
function tally(/** @type {string} */ file, /** @type {string[]} */ statuses) {
  /** @type {Counts} */
  const c = { file, killed: 0, timeout: 0, survived: 0, noCoverage: 0, errors: 0, ignored: 0 };
  for (const status of statuses) {
    if (status === 'Killed') c.killed++;
    else if (status === 'Timeout') c.timeout++;
    else if (status === 'Survived') c.survived++;
    else if (status === 'NoCoverage') c.noCoverage++;
    else if (status === 'Ignored') c.ignored++;
    else c.errors++;
  }
  return c;
}

/**
 * A copy of the project to mutate (everything but what is built, reported or installed; node_modules
 * linked), so that the working tree, which others may be editing, is never touched.
 */
function makeSandbox() {
  const sandbox = mkdtempSync(join(tmpdir(), 'gym-realtime-widgets-mutation-'));
  cleanups.add(() => rmSync(sandbox, { recursive: true, force: true }));
  const skipped = new Set(['dist', 'gateway/dist', 'storybook-static', 'coverage', 'test-results', 'reports', 'bench/.cache', 'bench/results']);
  const copied = (/** @type {string} */ source) => {
    const path = source.slice(root.length);
    return !skipped.has(path) && !/(^|\/)(node_modules|\.git)$/.test(path);
  };
  cpSync(root, sandbox, { recursive: true, filter: copied });
  symlinkSync(join(root, 'node_modules'), join(sandbox, 'node_modules'), 'dir');
  return sandbox;
}

/** Runs a command in `cwd`; true when it exited 0. */
function passes(/** @type {string} */ cwd, /** @type {string} */ command, /** @type {string[]} */ argv) {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd, stdio: 'ignore', timeout: 5 * 60_000, env: { ...process.env, FORCE_COLOR: '0' } });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

/** Runs the tests named for a mutation in `cwd`; true when they passed. */
async function testsPass(/** @type {string} */ cwd, /** @type {string[]} */ tests) {
  const browser = tests.filter((file) => file.endsWith('.ts'));
  const node = tests.filter((file) => !file.endsWith('.ts'));
  return (browser.length === 0 || (await passes(cwd, join(root, 'node_modules/.bin/web-test-runner'), browser))) && (node.length === 0 || (await passes(cwd, 'node', ['--test', ...node])));
}

/** Listed bugs tried at once, each in a sandbox of its own: the machine is shared. */
const WORKERS = 2;

/**
 * Part 2: the listed one-line bugs, in sandboxes. First the named tests must pass without any bug
 * (or every bug would look caught); then each bug is applied, its tests run, and the file restored.
 */
async function runListed() {
  const chosen = only.length ? MUTATIONS.filter((mutation) => only.includes(mutation.id)) : MUTATIONS;
  console.log(`\nmutation: ${chosen.length} listed one-line bugs (test/mutation/mutations.mjs), in copies of the project\n`);
  const sandboxes = Array.from({ length: Math.min(WORKERS, chosen.length) }, makeSandbox);
  const named = [...new Set(chosen.flatMap(({ tests }) => tests))];
  const since = Date.now();
  if (sandboxes[0] && !(await testsPass(sandboxes[0], named))) {
    console.log(`mutation: the named tests fail without any bug (${seconds(since)} s): ${named.join(' ')}`);
    return chosen.map(({ id, why }) => ({ id, verdict: 'UNTESTED', why }));
  }
  console.log(`mutation: the named tests pass without any bug (${seconds(since)} s)`);
  /** @type {{ id: string, verdict: string, why: string }[]} */
  const results = [];
  const queue = [...chosen];
  const work = async (/** @type {string} */ sandbox) => {
    for (let mutation = queue.shift(); mutation; mutation = queue.shift()) {
      const { id, file, find, replace, tests, why } = mutation;
      const path = join(sandbox, file);
      const text = readFileSync(path, 'utf8');
      const count = text.split(find).length - 1;
      if (count !== 1) {
        results.push({ id, verdict: `STALE (found ${count}× in ${file})`, why });
        console.log(`mutation: ${id}: STALE`);
        continue;
      }
      writeFileSync(path, text.replace(find, replace));
      const since = Date.now();
      let verdict;
      try {
        verdict = (await testsPass(sandbox, tests)) ? 'SURVIVED' : 'killed';
      } finally {
        writeFileSync(path, text);
      }
      results.push({ id, verdict, why });
      console.log(`mutation: ${id}: ${verdict} (${seconds(since)} s)`);
    }
  };
  await Promise.all(sandboxes.map(work));
  // In the list's order.
  return chosen.map(({ id }) => /** @type {(typeof results)[number]} */ (results.find((result) => result.id === id)));
}

const stryker = only.length ? undefined : await runStryker();
const listed = strykerOnly ? [] : await runListed();
for (const cleanup of cleanups) cleanup();

const bad = listed.filter((result) => result.verdict !== 'killed');
if (listed.length) {
  console.log('\nListed one-line bugs:');
  for (const { id, verdict, why } of listed) console.log(`${verdict.padEnd(8)} ${id.padEnd(28)} ${why}`);
  console.log(`listed bugs: ${listed.length - bad.length} killed, ${bad.length} survived or stale`);
}
let strykerFailed = false;
if (stryker) {
  const { files, total, threshold, exitCode } = stryker;
  strykerFailed = exitCode !== 0 || (threshold !== undefined && score(total) < threshold) || files.length === 0;
  console.log('\nStryker, per file (killed + timed out of killed + timed out + survived + no coverage):');
  for (const c of files) console.log(`${percent(score(c)).padStart(9)}  ${c.file}  (${c.killed + c.timeout} of ${c.killed + c.timeout + c.survived + c.noCoverage})`);
  console.log(`\nmutation: ${seconds(started)} s in all`);
  console.log(
    `mutation score (Stryker, pure modules): ${percent(score(total))}: ${total.killed} killed, ${total.timeout} timed out, ${total.survived} survived, ${total.noCoverage} without coverage` +
      (total.errors ? `, ${total.errors} errors` : '') +
      (threshold === undefined ? '' : `; break below ${threshold} %`) +
      (strykerFailed ? ' — FAILED' : ''),
  );
} else {
  console.log(`\nmutation: ${seconds(started)} s in all`);
}
process.exit(strykerFailed || bad.length ? 1 : 0);
