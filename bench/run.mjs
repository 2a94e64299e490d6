#!/usr/bin/env node
// `npm run bench`: every benchmark, one table, and bench/results/bench.json.
// Figures, not pass/fail: a missed target is marked "MISSED" in the table.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { batchingBenchmark } from './batching.mjs';
import { browserBenchmarks } from './browser.mjs';
import { median } from './lib/median.mjs';
import { measurePages } from './pages.mjs';
import { LIMITS, byPart, sizeBenchmark } from './size.mjs';
import { SCHEDULES, realStorm, simulate } from './storm.mjs';
import { gatewayBenchmark } from './gateway.mjs';
import { tabsBenchmark } from './tabs.mjs';
import { STAGES, timeToLiveBenchmark } from './time-to-live.mjs';

const SIM_RUNS = 5;
const kb = (/** @type {number} */ bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const pct = (/** @type {number} */ share) => `${(share * 100).toFixed(2)} %`;
const sec = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;
const verdict = (/** @type {boolean} */ met) => (met ? 'met' : 'MISSED');

/** @param {string} title @param {string[]} head @param {(string | number)[][]} rows */
function table(title, head, rows) {
  const cells = [head, ...rows].map((row) => row.map(String));
  const widths = head.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  console.log(`\n${title}`);
  for (const [n, row] of cells.entries()) {
    console.log(`  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}`);
    if (n === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  }
}

const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}`;
console.log(`gym-realtime-widgets benchmarks — ${new Date().toISOString()}\n${machine}`);

const sizes = await sizeBenchmark();
table(
  '1. Size (esbuild, minified, ES2022; gzip -9, brotli -11; 1 KB = 1,024 B)',
  ['bundle', 'minified', 'gzip', 'brotli', 'goal (gzip)'],
  sizes.map((s) => [s.name, kb(s.minified), kb(s.gzip), kb(s.brotli), s.goal ? `${kb(s.goal)} ${verdict(s.gzip <= s.goal)}` : '']),
);
for (const entry of Object.keys(LIMITS)) {
  const row = sizes.find((s) => s.entry === entry);
  if (!row) continue;
  const parts = byPart(row.modules).filter((p) => p.bytes > 0);
  console.log(`  where the minified bytes of ${row.name} go: ${parts.map((p) => `${p.part} ${kb(p.bytes)}`).join(', ')}`);
}

const pages = await measurePages();
table(
  '1b. What a page downloads (the CDN module loads each element on demand; gzip -9 per file, as transferred)',
  ['page', 'script', 'requests', 'target', 'ceiling (npm test)'],
  pages.map((p) => [`${p.name} (${p.page})`, kb(p.gzip), `${p.files.length} (≤ ${p.requests})`, `${kb(p.target)} ${verdict(p.gzip <= p.target)}`, kb(p.ceiling)]),
);

const storms = Object.entries(SCHEDULES).map(([name, schedule]) => {
  const runs = Array.from({ length: SIM_RUNS }, () => simulate(schedule));
  return { name, peakShare: median(runs.map((r) => r.peakShare)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)) };
});
const real = await realStorm();
const stormRows = storms.map((s) => [`${s.name} (simulated)`, pct(s.peakShare), sec(s.p50), sec(s.p99)]);
stormRows.push(['gym-realtime-widgets, 200 real clients (at the server)', pct(real.peakShare), sec(real.p50), sec(real.p99)]);
table(
  `2. Reconnect storm: 10,000 clients, 10 s outage (median of ${SIM_RUNS} simulations); targets peak ≤ 2 %, p99 ≤ 15 s`,
  ['client', 'peak / 100 ms', 'p50', 'p99'],
  stormRows,
);
const ours = /** @type {typeof storms[number]} */ (storms[0]);
console.log(`  ours: peak ${verdict(ours.peakShare <= 0.02)}, p99 ${verdict(ours.p99 <= 15_000)}; real sockets: peak ${verdict(real.peakShare <= 0.02)}, p99 ${verdict(real.p99 <= 15_000)}`);
console.log(`  (with ${real.clients} real clients one client is ${pct(1 / real.clients)} of the fleet: their peak is mostly chance; the simulation judges the schedule)`);

const batching = await batchingBenchmark();
table(
  `3. Outbound: ${batching.requests} check_in requests at once (core over ws, local gym server)`,
  ['mode', 'frames', 'bytes', 'at server', 'fulfilled', 'rejected', 'all settled in'],
  [
    ['batched (defaults)', batching.batched.frames, batching.batched.bytes, batching.batched.framesAtServer, batching.batched.fulfilled, batching.batched.rejected, `${batching.batched.settledMs} ms`],
    ['unbatched (maxBatchSize 1)', batching.unbatched.frames, batching.unbatched.bytes, batching.unbatched.framesAtServer, batching.unbatched.fulfilled, batching.unbatched.rejected, `${batching.unbatched.settledMs} ms`],
  ],
);

const browser = await browserBenchmarks();
const maxPerFrame = (/** @type {Record<string, number>} */ counts) => Math.max(...Object.values(counts));
const throughputRow = (/** @type {string} */ name, /** @type {any} */ run) => [
  name,
  run.framesPerSecond,
  `${run.received.member_checked_in + run.received.check_in_stats} / ${browser.frames}`,
  Object.entries(run.renders).map(([tag, n]) => `${tag.replace('gym-', '')} ${n}`).join(', '),
  maxPerFrame(run.maxRendersPerFrame),
  `${Math.round(run.longestTaskMs)} ms`,
  run.longTasks,
];
table(
  `4. Inbound: ${browser.frames.toLocaleString('en')} frames into provider + status + stats + feed (Chromium ${browser.chromium})`,
  ['variant', 'frames/s', 'delivered', 'renders', 'max renders / element / frame', 'longest task', 'tasks ≥ 50 ms'],
  [throughputRow('ours (one render per animation frame)', browser.batched), throughputRow('naive (a render per message)', browser.naive)],
);
const { feedRender } = browser.batched;
console.log(
  `  feed rendering per animation frame in the flood: median ${feedRender.medianMs.toFixed(2)} ms, p95 ${feedRender.p95Ms.toFixed(2)} ms, max ${feedRender.maxMs.toFixed(1)} ms ` +
    `(target ≤ 4 ms: ${verdict(feedRender.p95Ms <= 4)})`,
);
const { paced } = browser;
console.log(
  `  at ${paced.perSecond.toLocaleString('en')} events/s for ${paced.seconds} s: ${paced.fps.toFixed(1)} fps (target ≥ 30: ${verdict(paced.fps >= 30)}), ` +
    `p95 frame ${paced.p95DeltaMs.toFixed(1)} ms, ${paced.longFrames} long animation frames (longest ${Math.round(paced.longestFrameMs)} ms)`,
);
const lost = browser.batched.newestEntry !== browser.newestVisit || browser.batched.todayTotal !== browser.frames / 2;
console.log(
  `  per-frame client cost: ${browser.cost.clientNsPerFrame} ns, ${browser.cost.ratio.toFixed(2)} × JSON.parse alone (target ≤ 3 ×: ${verdict(browser.cost.ratio <= 3)}); ` +
    `renders per element per frame ≤ 1: ${verdict(maxPerFrame(browser.batched.maxRendersPerFrame) <= 1)}; ` +
    `last entry and figures shown: ${lost ? 'NO — frames lost' : 'yes'}; ours is ${(browser.batched.framesPerSecond / browser.naive.framesPerSecond).toFixed(1)} × the naive rate`,
);

const { before, after } = browser.batched.memory;
const { warm, half, end } = browser.lifecycle;
const growth = after.heapBytes - before.heapBytes;
const cycleGrowth = end.heapBytes - warm.heapBytes;
// "No growth" within measurement noise: less than 16 bytes a cycle, i.e. not one object kept per cycle.
const cycleGrowthMet = cycleGrowth / browser.lifecycle.cycles < 16;
table('5. Memory (Chromium, heap after a forced GC)', ['run', 'heap before', 'heap after', 'growth', 'DOM nodes', 'listeners', 'timers left', 'sockets left', 'target'], [
  [`${browser.frames.toLocaleString('en')} events, feed limit 20`, kb(before.heapBytes), kb(after.heapBytes), kb(growth), `${before.nodes} → ${after.nodes}`, `${before.listeners} → ${after.listeners}`, '', '', `≤ 1 MB, nodes constant: ${verdict(growth <= 2 ** 20 && before.nodes === after.nodes)}`],
  [`${browser.lifecycle.cycles} attach/detach cycles (after ${browser.lifecycle.warmupCycles} warm-up)`, kb(warm.heapBytes), kb(end.heapBytes), `${kb(cycleGrowth)} (${kb(half.heapBytes - warm.heapBytes)} + ${kb(end.heapBytes - half.heapBytes)})`, `${warm.nodes} → ${end.nodes}`, `${warm.listeners} → ${end.listeners}`, browser.lifecycle.liveTimers, browser.lifecycle.openSockets, `< 16 B / cycle, zero left: ${verdict(cycleGrowthMet && browser.lifecycle.liveTimers === 0 && browser.lifecycle.openSockets === 0)}`],
]);

const ttl = await timeToLiveBenchmark();
const ms = (/** @type {number} */ value) => `${Math.round(value)} ms`;
table(
  `6. Time to live on the demo website, by stage (ms from navigation; ${ttl.loads} fresh loads each, local gym server on loopback)`,
  ['stage', 'cold median', 'cold p90', 'warm median', 'warm p90'],
  STAGES.map(([stage, label]) => {
    const cold = ttl.cold[/** @type {string} */ (stage)] ?? { median: NaN, p90: NaN };
    const warm = ttl.warm[/** @type {string} */ (stage)] ?? { median: NaN, p90: NaN };
    return [/** @type {string} */ (label), ms(cold.median), ms(cold.p90), ms(warm.median), ms(warm.p90)];
  }),
);
console.log(
  `  targets (warm median): "Live" ≤ 150 ms: ${verdict((ttl.warm.live?.median ?? Infinity) <= 150)}; first entry ≤ 200 ms: ${verdict((ttl.warm.entry?.median ?? Infinity) <= 200)}`,
);

const tabs = await tabsBenchmark();
table(
  '7. One connection per browser: tabs of the demo website in one browser profile (local gym server)',
  ['tabs', 'sockets before', 'sockets after', 'token fetches before', 'token fetches after'],
  tabs.counts.map((row) => [row.tabs, row.before.sockets, row.after.sockets, row.before.tokenFetches, row.after.tokenFetches]),
);
const { failover } = tabs;
console.log(
  `  failover (close the leading tab → next socket at the server), ${failover.handovers} handovers: median ${Math.round(failover.medianMs)} ms, ` +
    `p99 ${Math.round(failover.p99Ms)} ms (target ≤ 1 s: ${verdict(failover.p99Ms <= 1000)})`,
);

const fanOut = await gatewayBenchmark();
const millis = (/** @type {number} */ value) => `${Math.round(value)} ms`;
table(
  `8. Fan-out: loopback clients on the read-only gateway vs straight to the local gym server (${fanOut.events} check-ins each; ${fanOut.window} handshakes in flight)`,
  ['clients', 'via', 'all connected in', 'event → delivery p50', 'p99', 'fan-out (gateway)', 'RSS / client', 'server RSS'],
  fanOut.runs.map((run) => [
    run.clients.toLocaleString('en'),
    run.via,
    sec(run.connectMs),
    millis(run.p50Ms),
    millis(run.p99Ms),
    run.fanOutMs === undefined ? '' : millis(run.fanOutMs),
    kb(run.rssPerClientBytes),
    `${run.rssAfterMB} MB`,
  ]),
);
const at5000 = fanOut.runs.find((run) => run.clients === 5000 && run.via === 'gateway');
const gatewayRuns = fanOut.runs.filter((run) => run.via === 'gateway');
console.log(
  `  gateway: p99 at 5,000 ≤ 100 ms: ${verdict((at5000?.p99Ms ?? Infinity) <= 100)}; RSS per client ≤ 20 KB: ${verdict(gatewayRuns.every((run) => run.rssPerClientBytes <= 20 * 1024))}; ` +
    `5,000 clients connected in ${sec(at5000?.connectMs ?? NaN)} (the real AV-Gym server: 7.8 s for 50)`,
);
const loads = fanOut.runs.flatMap((run) => run.loadAverage);
console.log(
  `  medians of ${fanOut.repeats} runs each; the machine's 1-minute load during them: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} ` +
    `(above 2 on 2 cores, other work competed)${fanOut.runs.some((run) => run.missed) ? '; SOME CLIENTS MISSED EVENTS' : ''}`,
);

const results = {
  date: new Date().toISOString(),
  machine,
  sizes: sizes.map(({ modules, ...size }) => ({ ...size, parts: byPart(modules).filter((p) => p.bytes > 0) })),
  pages: pages.map(({ name, page, gzip, files, target, ceiling }) => ({ name, page, gzip, requests: files.length, files, target, ceiling })),
  storm: { simulated: storms, runs: SIM_RUNS, real },
  batching,
  browser,
  timeToLive: ttl,
  tabs,
  gateway: fanOut,
};
writeFileSync(new URL('results/bench.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log('\nSaved to bench/results/bench.json');
