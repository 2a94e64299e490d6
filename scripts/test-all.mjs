#!/usr/bin/env node
// `npm test`: every check and every test of the project, run as jobs in two lanes (two at a
// time), and one closing line for CI, `total: N passed, N failed`, summed over every runner.
//
//   node scripts/test-all.mjs            everything (`npm test`)
//   node scripts/test-all.mjs quick      typecheck, lint and the Node unit tests (`npm run test:quick`)
//   node scripts/test-all.mjs node       the builds, then the node:test suites and the end-to-end files (`npm run test:node`)
//   node scripts/test-all.mjs --lanes=1  one job at a time (also TEST_LANES=1)
//   node scripts/test-all.mjs --list     the jobs, their order and what each waits for, without running them
//
// Why lanes: most jobs are one busy process (tsc, ESLint, one Chromium page at a time), so on the
// 2-core machines CI uses, two at a time keep both cores busy. More than two makes the tests that
// measure time (a render within 400 ms, a reconnect within its backoff) fail by chance.
//
// What is built once and shared (each is a job the others wait for):
// - `build`: `npm run build` (the browser package: dist/lib, dist/types, dist/bundle, dist/editor,
//   custom-elements.json; and the gateway's, gateway/dist) and the host pages of `build:demo`
//   (dist/hosts). Nothing writes dist/, gateway/dist/ or custom-elements.json after it, so jobs
//   that read them can run side by side.
// - `storybook`: one `storybook build` (without STORYBOOK_GYM_URL) that both Storybook test files
//   open; its folder reaches them as GYM_TEST_STORYBOOK.
// - `pack`: one `npm pack` of each package of that build, the browser package and the gateway
//   (`npm pack -w gateway`; the `prepack` builds have just run as `build`), that the packed-install
//   test installs; their folder reaches it as GYM_TEST_PACK_DIR.
// A test file run on its own (`node --test test/e2e/storybook.test.js`) builds or packs for itself.
//
// Each job's output is printed whole when it ends (never interleaved), then a table of every
// job with its lane, its time and its counts, then the closing line. A check (typecheck, lint,
// size, a build) counts as one test: passed, or failed. A runner that exits non-zero without a
// failure in its own count, or prints no closing line, counts one failure more. The exit code is
// 1 when anything failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (/** @type {string} */ name) => join(root, 'node_modules/.bin', name);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const args = process.argv.slice(2);
const group = args.find((arg) => !arg.startsWith('--')) ?? 'all';
const lanes = Number(args.find((arg) => arg.startsWith('--lanes='))?.slice(8) ?? process.env.TEST_LANES ?? 2);
const listOnly = args.includes('--list');
if (!['all', 'quick', 'node'].includes(group) || !(lanes >= 1)) {
  console.error('usage: node scripts/test-all.mjs [all|quick|node] [--lanes=N] [--list]');
  process.exit(2);
}

/** Folders for what is built once: the Storybook and the tarball, removed at the end. */
const work = mkdtempSync(join(tmpdir(), 'gym-test-all-'));
const storybookDir = join(work, 'storybook-static');
const packDir = join(work, 'pack');
mkdirSync(packDir);

/** The node:test reporter that prints one line per test and `node: N passed, N failed`. */
const nodeTest = (/** @type {string[]} */ paths) => [
  process.execPath,
  '--test',
  '--test-concurrency=1',
  '--test-reporter=./test/node/node-closing-line-reporter.js',
  '--test-reporter-destination=stdout',
  ...paths,
];

/**
 * @typedef {object} Job
 * @property {string} name
 * @property {string[][]} commands run one after another, in the project's folder; the first to fail ends the job
 * @property {'check' | 'test'} kind a check counts as one test; a test runner prints its own closing line
 * @property {string[]} [after] jobs this one waits for (and does not run without)
 * @property {number} seconds about how long it takes on a 2-core machine, to start the longest chains first
 * @property {Record<string, string>} [env]
 */

/**
 * About how long each end-to-end file takes alone on a 2-core machine, in seconds (a file not
 * listed: 30; measured on an otherwise quiet machine): the longest start first, so that the two lanes end together.
 * @type {Record<string, number>}
 */
const E2E_SECONDS = {
  'storybook.test.js': 135,
  'demo.test.js': 80,
  'restart.test.js': 60,
  'demo-a11y.test.js': 65,
  'package.test.js': 38,
  'persist-tabs.test.js': 25,
  'storybook-playground.test.js': 20,
  'layout-stability.test.js': 16,
  'tab-sharing.test.js': 12,
  'front-desk.test.js': 10,
  'gateway-demo.test.js': 5,
};
/** The end-to-end files that open the shared Storybook, or install the shared tarball. */
const NEEDS = /** @type {Record<string, string[]>} */ ({
  'storybook.test.js': ['storybook'],
  'storybook-playground.test.js': ['storybook'],
  'package.test.js': ['pack'],
});

/** @type {Job[]} */
const jobs = [];
const add = (/** @type {Job} */ job) => jobs.push(job);

if (group === 'all' || group === 'node') {
  add({
    name: 'build',
    kind: 'check',
    seconds: 15,
    // The package as `npm pack` builds it (`prepack`), and the host pages `build:demo` adds.
    commands: [
      ['npm', 'run', 'build', '--silent'],
      [bin('vite'), 'build', '--config', 'demo/hosts/vite.config.ts', '--logLevel', 'warn'],
    ],
  });
  add({
    name: 'storybook',
    kind: 'check',
    seconds: 10,
    after: ['build'],
    // The build the Storybook tests open: the default gym server (the playground's fallback), whatever the shell says.
    env: { STORYBOOK_GYM_URL: '' },
    commands: [[bin('storybook'), 'build', '-o', storybookDir, '--quiet']],
  });
  add({
    name: 'pack',
    kind: 'check',
    seconds: 5,
    after: ['build'],
    // Each `prepack` builds what `npm run build` (the `build` job) has just built on this tree:
    // the root's is `npm run build`, the gateway's its `vite build --mode gateway` step.
    commands: [
      ['npm', 'pack', '--ignore-scripts', '--pack-destination', packDir, '--loglevel=error'],
      ['npm', 'pack', '--workspace', 'gateway', '--ignore-scripts', '--pack-destination', packDir, '--loglevel=error'],
    ],
  });
}
if (group === 'all' || group === 'quick') {
  add({
    name: 'typecheck',
    kind: 'check',
    seconds: 35,
    // After `build`, which writes custom-elements.json and the editor data the projects import;
    // in `quick` there is no build job, so the typecheck makes them itself.
    ...(group === 'all'
      ? { after: ['build'], commands: [[bin('tsc'), '-b', 'tsconfig.check.json']] }
      : { commands: [['npm', 'run', 'typecheck', '--silent']] }),
  });
  add({ name: 'lint', kind: 'check', seconds: 15, commands: [['npm', 'run', 'lint', '--silent']] });
  // The Node unit tests (test/unit/), when the project has them.
  if (pkg.scripts['test:unit']) add({ name: 'unit', kind: 'test', seconds: 15, commands: [['npm', 'run', 'test:unit', '--silent']] });
}
if (group === 'all') {
  add({ name: 'size', kind: 'check', seconds: 5, commands: [['npm', 'run', 'size', '--silent']] });
  add({ name: 'browser', kind: 'test', seconds: 85, commands: [[bin('web-test-runner')]] });
}
if (group === 'all' || group === 'node') {
  // The node:test suites without a browser, one job per folder (each waits for the built files some of them read).
  for (const [folder, seconds] of /** @type {const} */ ([
    ['static', 10],
    ['server', 5],
    ['gateway', 30],
  ])) {
    add({ name: `node ${folder}`, kind: 'test', seconds, after: ['build'], commands: [nodeTest([`test/${folder}/`])] });
  }
  // Every end-to-end file is a job of its own, so the two lanes share them out.
  for (const file of readdirSync(join(root, 'test/e2e'))
    .filter((name) => name.endsWith('.test.js'))
    .sort()) {
    add({
      name: `e2e ${file.replace(/\.test\.js$/, '')}`,
      kind: 'test',
      seconds: E2E_SECONDS[file] ?? 30,
      after: ['build', ...(NEEDS[file] ?? [])],
      env: { GYM_TEST_STORYBOOK: storybookDir, GYM_TEST_PACK_DIR: packDir },
      commands: [nodeTest([`test/e2e/${file}`])],
    });
  }
}

/** How long the longest chain that starts with `job` takes: the job to start first is the one with the longest. @returns {number} */
const chain = (/** @type {Job} */ job) => {
  const dependents = jobs.filter((other) => other.after?.includes(job.name));
  return job.seconds + Math.max(0, ...dependents.map(chain));
};
const priority = new Map(jobs.map((job) => [job.name, chain(job)]));

if (listOnly) {
  for (const job of [...jobs].sort((a, b) => /** @type {number} */ (priority.get(b.name)) - /** @type {number} */ (priority.get(a.name)))) {
    console.log(`${job.name.padEnd(28)} ~${String(job.seconds).padStart(3)} s, chain ~${priority.get(job.name)} s${job.after ? `, after ${job.after.join(', ')}` : ''}`);
  }
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

/** @typedef {{ job: Job, lane: number, started: number, seconds: number, code: number, passed: number, failed: number, skipped: number, counted: boolean, note: string }} Result */
/** @type {Map<string, Result>} */
const results = new Map();
/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();
const startedAt = Date.now();
const elapsed = () => ((Date.now() - startedAt) / 1000).toFixed(0).padStart(4);
const CLOSING = /^(?:[\w-]+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/;
// eslint-disable-next-line no-control-regex -- the colours and cursor moves of the runners' own output
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** Runs one command of a job, its output (stdout and stderr, in order) collected. */
function run(/** @type {string[]} */ command, /** @type {Job} */ job) {
  return new Promise((resolve) => {
    const [file, ...rest] = /** @type {[string, ...string[]]} */ (command);
    const child = spawn(file, rest, {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', ...job.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that stopping the run stops what it started (Chromium, servers) too.
      detached: true,
    });
    running.add(child);
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => (output += `\n${error.message}\n`));
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code: code ?? (signal ? 1 : 0), output: signal ? `${output}\n(stopped by ${signal})\n` : output });
    });
  });
}

/** Runs a job's commands in turn and reads its closing line. @returns {Promise<Result>} */
async function runJob(/** @type {Job} */ job, /** @type {number} */ lane) {
  const started = Date.now();
  console.log(`[${elapsed()} s] lane ${lane} ▶ ${job.name}`);
  let output = '';
  let code = 0;
  for (const command of job.commands) {
    const step = /** @type {{ code: number, output: string }} */ (await run(command, job));
    output += step.output;
    code = step.code;
    if (code !== 0) break;
  }
  const seconds = (Date.now() - started) / 1000;
  const lines = output.replace(ANSI, '').replace(/\r/g, '\n').split('\n').map((line) => line.trim());
  const closing = lines.map((line) => CLOSING.exec(line)).filter(Boolean).at(-1);
  /** @type {Result} */
  const result = { job, lane, started: (started - startedAt) / 1000, seconds, code, passed: 0, failed: 0, skipped: 0, counted: false, note: '' };
  if (job.kind === 'test' && closing) {
    result.passed = Number(closing[1]);
    result.failed = Number(closing[2]);
    result.skipped = Number(closing[3] ?? 0);
    result.counted = true;
    if (code !== 0 && result.failed === 0) {
      result.failed = 1;
      result.note = `exited ${code} with no failed test in its count: counted as one failure`;
    }
  } else if (job.kind === 'test') {
    result.failed = 1;
    result.note = code === 0 ? 'printed no closing line: counted as one failure' : `exited ${code} with no closing line: counted as one failure`;
  } else if (code === 0) {
    result.passed = 1;
  } else {
    result.failed = 1;
  }
  const verdict = result.failed ? 'FAILED' : 'ok';
  console.log(`\n──── ${job.name} (lane ${lane}, ${seconds.toFixed(1)} s): ${verdict} ────`);
  // Without the runners' colours and cursor moves: the output is printed once, as a log.
  if (output.trim()) console.log(output.replace(ANSI, '').replace(/\s+$/, ''));
  if (result.note) console.log(`(${result.note})`);
  console.log(`──── end of ${job.name} ────\n`);
  return result;
}

/** Jobs not started yet, the longest chain first. */
const waiting = [...jobs].sort((a, b) => /** @type {number} */ (priority.get(b.name)) - /** @type {number} */ (priority.get(a.name)));
/** @type {Set<string>} */
const finished = new Set();

/** The next job whose prerequisites are done, or undefined; a job whose prerequisite failed is not run and counts as failed. */
function next() {
  for (;;) {
    const blocked = waiting.findIndex((job) => (job.after ?? []).some((name) => results.get(name)?.failed));
    if (blocked === -1) break;
    const job = /** @type {Job} */ (waiting.splice(blocked, 1)[0]);
    const note = `not run: ${(job.after ?? []).find((name) => results.get(name)?.failed)} failed`;
    console.log(`[${elapsed()} s] ✗ ${job.name}: ${note}`);
    results.set(job.name, { job, lane: 0, started: 0, seconds: 0, code: 1, passed: 0, failed: 1, skipped: 0, counted: false, note });
    finished.add(job.name);
  }
  const ready = waiting.findIndex((job) => (job.after ?? []).every((name) => finished.has(name)));
  return ready === -1 ? undefined : waiting.splice(ready, 1)[0];
}

/** Wakes the lanes that wait for a prerequisite to finish. @type {(() => void)[]} */
let wakers = [];
async function lane(/** @type {number} */ number) {
  for (;;) {
    const job = next();
    if (job) {
      const result = await runJob(job, number);
      results.set(job.name, result);
      finished.add(job.name);
      const woken = wakers;
      wakers = [];
      woken.forEach((wake) => wake());
      continue;
    }
    if (waiting.length === 0) return;
    await new Promise((resolve) => wakers.push(() => resolve(undefined)));
  }
}

function stopAll(/** @type {NodeJS.Signals} */ signal) {
  for (const child of running) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true });
  process.exit(signal === 'SIGINT' ? 130 : 143);
}
process.once('SIGINT', stopAll);
process.once('SIGTERM', stopAll);

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
console.log(`test-all: ${jobs.length} jobs (${group}) in ${lanes} lane${lanes > 1 ? 's' : ''}; load average ${load()}`);
await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i + 1)));
rmSync(work, { recursive: true, force: true });

const total = { passed: 0, failed: 0, skipped: 0 };
const rows = [...results.values()].sort((a, b) => a.started - b.started || a.job.name.localeCompare(b.job.name));
console.log(`test-all: ${((Date.now() - startedAt) / 1000).toFixed(1)} s in ${lanes} lane${lanes > 1 ? 's' : ''}; load average ${load()}`);
console.log('  job                          lane  start   time  result');
for (const row of rows) {
  total.passed += row.passed;
  total.failed += row.failed;
  total.skipped += row.skipped;
  const counts = row.counted
    ? `${row.passed} passed, ${row.failed} failed${row.skipped ? `, ${row.skipped} skipped` : ''}`
    : row.failed
      ? 'FAILED'
      : 'ok';
  console.log(
    `  ${row.job.name.padEnd(28)} ${String(row.lane || '-').padStart(4)} ${row.started.toFixed(0).padStart(5)} s ${row.seconds.toFixed(1).padStart(6)} s  ${counts}${row.note ? ` (${row.note})` : ''}`,
  );
}
if (existsSync(work)) rmSync(work, { recursive: true, force: true });
console.log(`\ntotal: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exitCode = total.failed ? 1 : 0;
