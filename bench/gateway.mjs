// Fan-out: 1,000 / 5,000 / 10,000 loopback clients on the read-only gateway (in a process of its
// own, run by its command line) in front of the local gym server, against the same clients
// connected straight to the gym server. For each: the time for all clients to connect, p50 and
// p99 from the upstream event (a check-in at the gym server) to its delivery at every client, and
// the server's RSS per client. The gym server, the gateway and the clients each run in a process
// of their own; times are wall-clock ms, which every process reads from the same clock.
import { fork, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { gatewayCli } from './lib/gateway.mjs';
import { median } from './lib/median.mjs';

export const CLIENTS = [1000, 5000, 10_000];
/** Check-ins per run, one at a time: each waits until every client has it. */
const EVENTS = 20;
/** Handshakes in flight at once while connecting (what a reconnect storm after a restart looks like). */
const WINDOW = 1000;
const EVENT_TIMEOUT_MS = 20_000;
/** Runs of each configuration; the machine is shared, so one run alone can be an outlier. */
const REPEATS = 3;

/** @param {number[]} sorted @param {number} q */
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/**
 * A helper process driven over IPC: `ask(message)` resolves with its next answer.
 * @param {string} script relative to this file
 */
async function helperProcess(script) {
  const child = fork(new URL(script, import.meta.url), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  /** @type {((message: any) => void)[]} */
  const waiting = [];
  child.on('message', (message) => waiting.shift()?.(message));
  const reply = () => /** @type {Promise<any>} */ (new Promise((resolve) => waiting.push(resolve)));
  const ready = await reply();
  return {
    ready,
    /** @param {object} message */
    ask(message) {
      const answer = reply();
      child.send(message);
      return answer;
    },
    close() {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.send({ type: 'close' });
      return exited;
    },
  };
}

/** The gateway's command line in its own process; resolves once it is live, with its address and a reader of its RSS. */
async function gatewayProcess(/** @type {string} */ upstream) {
  const child = spawn(
    process.execPath,
    [gatewayCli, '--upstream', upstream, '--username', 'frontdesk', '--port', '0', '--max-clients', '20000', '--max-clients-per-ip', '20000', '--log-level', 'info'],
    { env: { ...process.env, GYM_GATEWAY_PASSWORD: 'frontdesk' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const lines = () => out.split('\n').filter(Boolean).map((line) => JSON.parse(line));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not go live: ${out}`)), 15_000);
    child.on('exit', (code) => reject(new Error(`the gateway exited (${code}): ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('"event":"gateway.live"')) {
        clearTimeout(timer);
        resolve(undefined);
      }
    });
  });
  const { url, history } = lines().find((line) => line.event === 'gateway.listening');
  return {
    url,
    async rss() {
      const text = await (await fetch(new URL('/metrics', history))).text();
      return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1]);
    },
    /** Mean time the gateway took to hand one frame to every socket, in ms. */
    async fanOutMs() {
      const text = await (await fetch(new URL('/metrics', history))).text();
      const sum = Number(/^gym_gateway_fanout_seconds_sum (\S+)/m.exec(text)?.[1]);
      const count = Number(/^gym_gateway_fanout_seconds_count (\S+)/m.exec(text)?.[1]);
      return (sum / count) * 1000;
    },
    stop() {
      child.kill('SIGTERM');
      return new Promise((resolve) => child.on('exit', resolve));
    },
  };
}

/**
 * One run: `count` clients on `via` ('gateway' or 'direct'), then EVENTS check-ins, one at a time.
 * @param {number} count @param {'gateway' | 'direct'} via
 */
async function run(count, via) {
  const gym = await helperProcess('./lib/gym-process.mjs');
  const gateway = via === 'gateway' ? await gatewayProcess(gym.ready.socketUrl) : undefined;
  const clients = await helperProcess('./lib/fanout-clients.mjs');
  try {
    const url = gateway ? gateway.url : `${gym.ready.socketUrl}?token=${gym.ready.token}`;
    const rss = gateway ? () => gateway.rss() : async () => /** @type {number} */ ((await gym.ask({ type: 'rss' })).rss);
    const rssBefore = await rss();
    const { connectMs, failed } = await clients.ask({ type: 'connect', url, count, window: WINDOW });
    if (failed) throw new Error(`${failed} of ${count} clients could not connect ${via}`);
    const rssAfter = await rss();
    /** @type {number[]} */
    const latencies = [];
    let missed = 0;
    for (let i = 0; i < EVENTS; i++) {
      // Let the previous event's figures drain: each event starts on quiet sockets.
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The location marks the event in both shapes (names are redacted, ids random).
      const location = `Bench ${i}`;
      await clients.ask({ type: 'expect', marker: JSON.stringify({ location }).slice(1, -1), timeoutMs: EVENT_TIMEOUT_MS });
      const { at, ok } = await gym.ask({ type: 'act', location });
      if (!ok) throw new Error('the check-in failed');
      const { times } = await clients.ask({ type: 'collect' });
      for (const time of /** @type {number[]} */ (times)) {
        if (Number.isNaN(time)) missed++;
        else latencies.push(time - at);
      }
    }
    latencies.sort((a, b) => a - b);
    const fanOutMs = gateway ? await gateway.fanOutMs() : undefined;
    return {
      // The machine is shared: what else ran shows in the load (2 cores: above 2, something else competed).
      loadAverage: Number(/** @type {number} */ (loadavg()[0]).toFixed(2)),
      clients: count,
      via,
      connectMs: Math.round(connectMs),
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      maxMs: latencies.at(-1) ?? Number.NaN,
      missed,
      fanOutMs,
      rssPerClientBytes: Math.round((rssAfter - rssBefore) / count),
      rssAfterMB: Math.round(rssAfter / 2 ** 20),
    };
  } finally {
    await clients.close();
    await gateway?.stop();
    await gym.close();
  }
}

/**
 * Every client count through the gateway and straight to the gym server, each `repeats` times
 * (alternating, so that a burst of other work on the shared machine hits both alike); the figures
 * are the medians of the repeats, with every repeat kept in `repeats`.
 */
export async function gatewayBenchmark(counts = CLIENTS, repeats = REPEATS) {
  const runs = [];
  for (const count of counts) {
    /** @type {Record<'gateway' | 'direct', Awaited<ReturnType<typeof run>>[]>} */
    const each = { gateway: [], direct: [] };
    for (let i = 0; i < repeats; i++) {
      for (const via of /** @type {const} */ (['gateway', 'direct'])) each[via].push(await run(count, via));
    }
    for (const via of /** @type {const} */ (['gateway', 'direct'])) {
      const all = each[via];
      const mid = (/** @type {(r: (typeof all)[number]) => number} */ pick) => median(all.map(pick));
      runs.push({
        clients: count,
        via,
        connectMs: mid((r) => r.connectMs),
        p50Ms: mid((r) => r.p50Ms),
        p99Ms: mid((r) => r.p99Ms),
        maxMs: mid((r) => r.maxMs),
        missed: all.reduce((sum, r) => sum + r.missed, 0),
        fanOutMs: via === 'gateway' ? mid((r) => /** @type {number} */ (r.fanOutMs)) : undefined,
        rssPerClientBytes: mid((r) => r.rssPerClientBytes),
        rssAfterMB: mid((r) => r.rssAfterMB),
        loadAverage: all.map((r) => r.loadAverage),
        repeats: all,
      });
    }
  }
  return { events: EVENTS, window: WINDOW, repeats, runs };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // Alone: `node bench/gateway.mjs [counts…]` prints the figures; with every count, it also keeps them.
  const counts = process.argv.slice(2).map(Number).filter(Boolean);
  const results = { date: new Date().toISOString(), ...(await gatewayBenchmark(counts.length ? counts : CLIENTS)) };
  const text = `${JSON.stringify(results, null, 2)}\n`;
  if (!counts.length) writeFileSync(new URL('results/gateway.json', import.meta.url), text);
  process.stdout.write(text);
}
