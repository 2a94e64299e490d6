// Reconnect storm: how hard a fleet of clients hits a gym server that comes
// back after a 10 s outage. (a) A simulation of 10,000 clients with our backoff
// and, side by side, the published default schedules of other clients; (b) 200
// real Node clients (the core over `ws`) against the local gym server, stopped
// for 10 s and restarted, measured at the server.
import WebSocket from 'ws';
import { startGymServer } from '../demo/server/gym-server.js';
import { TokenIssuer } from '../demo/server/auth.js';
import { core } from './lib/core.mjs';

const OUTAGE_MS = 10_000;
const WINDOW_MS = 100;

/** @typedef {(attempt: number, random: () => number) => number} Schedule delay before retry `attempt` (0 = first after the drop) */

const ours = /** @type {() => Schedule} */ () => (attempt, random) =>
  core.backoffDelay(attempt, { initialDelay: core.DEFAULT_TIMINGS.initialRetryDelay, maxDelay: core.DEFAULT_TIMINGS.maxRetryDelay }, random);

/** Published defaults, read from each package's source (versions in package-lock.json). */
export const SCHEDULES = {
  'gym-realtime-widgets': ours,
  // partysocket 1.3 (ws.js): 3000 · 1.3^n, at most 10 s, no jitter.
  partysocket: () => (/** @type {number} */ attempt) => Math.min(10_000, 3000 * 1.3 ** attempt),
  // reconnecting-websocket 4.4: min = 1000 + random·4000 (drawn once per page), · 1.3^n, at most 10 s.
  'reconnecting-websocket': () => {
    const min = 1000 + Math.random() * 4000;
    return (/** @type {number} */ attempt) => Math.min(10_000, min * 1.3 ** attempt);
  },
  // socket.io-client 4.8 (contrib/backo2.js): 1000 · 2^n ± up to 50 %, at most 5 s.
  'socket.io-client': () => (/** @type {number} */ attempt, /** @type {() => number} */ random) => {
    const ms = 1000 * 2 ** attempt;
    const r = random();
    const deviation = Math.floor(r * 0.5 * ms);
    return Math.min((Math.floor(r * 10) & 1) === 0 ? ms - deviation : ms + deviation, 5000) | 0;
  },
  // phoenix 1.8 (socket.js reconnectAfterMs): a fixed ladder, then 5 s, no jitter.
  phoenix: () => (/** @type {number} */ attempt) => [10, 50, 100, 150, 200, 250, 500, 1000, 2000][attempt] ?? 5000,
};

/**
 * Peak share of the clients that hit the server in one 100 ms window once it
 * is back (attempts during the outage are refused by the host without reaching
 * the application), and when each client got through.
 * @param {number[]} hits ms after the server came back, one per attempt that reached it
 * @param {number[]} reconnected ms after the server came back, one per client
 * @param {number} clients
 */
function stormFigures(hits, reconnected, clients) {
  /** @type {Map<number, number>} */
  const windows = new Map();
  for (const at of hits) {
    const w = Math.floor(at / WINDOW_MS);
    windows.set(w, (windows.get(w) ?? 0) + 1);
  }
  const sorted = [...reconnected].sort((a, b) => a - b);
  const pick = (/** @type {number} */ q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    clients,
    peakShare: Math.max(...windows.values()) / clients,
    p50: pick(0.5),
    p99: pick(0.99),
    reconnected: sorted.length,
  };
}

/**
 * Every client loses its link at t = 0; attempts before the server is back fail
 * at once; the first attempt after it succeeds.
 * @param {() => Schedule} makeSchedule @param {number} clients
 */
export function simulate(makeSchedule, clients = 10_000) {
  const reconnected = [];
  for (let c = 0; c < clients; c++) {
    const schedule = makeSchedule();
    let t = 0;
    for (let attempt = 0; ; attempt++) {
      t += schedule(attempt, Math.random);
      if (t >= OUTAGE_MS) break;
    }
    reconnected.push(t - OUTAGE_MS);
  }
  // Here the one attempt that reaches the server is also the one that gets through.
  return stormFigures(reconnected, reconnected, clients);
}

/** (b) Real sockets: 200 clients, the server stopped for 10 s, measured at the server. */
export async function realStorm(clients = 200) {
  const tokens = new TokenIssuer({ accessLifetimeSeconds: 3600 });
  const token = await tokens.issue('1');
  /** @type {number[]} */
  let handshakes = [];
  const onHandshake = () => handshakes.push(Date.now());
  let server = await startGymServer({ tokens, onHandshake });
  const port = server.port;
  const fleet = Array.from({ length: clients }, () => new core.RealtimeClient({ url: server.socketUrl, token, WebSocket: /** @type {any} */ (WebSocket) }));
  const openCount = () => fleet.filter((client) => client.state === 'open').length;
  for (const client of fleet) client.connect();
  await waitFor(() => openCount() === clients, 30_000);
  // Let the links become stable, so the backoff starts from its first step as after a real incident.
  await new Promise((resolve) => setTimeout(resolve, core.DEFAULT_TIMINGS.stableAfter + 500));
  await server.close();
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  handshakes = [];
  const backAt = Date.now();
  server = await startGymServer({ port, tokens, onHandshake });
  /** @type {number[]} */
  const reconnected = [];
  for (const client of fleet) {
    const stop = client.on('state', ({ state }) => {
      if (state === 'open') {
        reconnected.push(Date.now() - backAt);
        stop();
      }
    });
  }
  await waitFor(() => openCount() === clients, 60_000);
  const figures = stormFigures(handshakes.map((at) => at - backAt), reconnected, clients);
  for (const client of fleet) client.dispose();
  await server.close();
  return figures;
}

async function waitFor(/** @type {() => boolean} */ condition, /** @type {number} */ timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('storm: clients did not reconnect in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
