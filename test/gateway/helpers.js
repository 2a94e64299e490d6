// Shared by the gateway's tests: the gateway built from gateway/src/, the local gym server, a fake AV-Gym
// that records every frame it receives, and a browser-like client that records what it gets.
import { createServer } from 'node:http';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import WebSocket, { WebSocketServer } from 'ws';
import { gateway } from '../../bench/lib/gateway.mjs';
import { DEMO_USERS, startGymServer } from '../../demo/server/gym-server.js';
import { until } from '../server/helpers.js';

export { gateway, until };

/** @typedef {import('../../gateway/src/index.js').Gateway} Gateway */
/** @typedef {import('../../gateway/src/index.js').GatewayOptions} GatewayOptions */
/** @typedef {Awaited<ReturnType<typeof startGymServer>>} GymServer */

/** Quick retries, so an upstream restart is over in well under a second. */
export const FAST_UPSTREAM = { initialRetryDelay: 50, maxRetryDelay: 200 };

/** A fresh local gym server on a free loopback port. */
export const startGym = (/** @type {Parameters<typeof startGymServer>[0]} */ options = {}) => startGymServer({ port: 0, ...options });

/**
 * A gateway on a free port in front of `upstreamUrl`, signed in as the demo's staff account, its
 * log lines kept in `lines` (none reach the console); resolves once it is live.
 * @param {string} upstreamUrl
 * @param {Partial<GatewayOptions>} [options]
 */
export async function startGateway(upstreamUrl, options = {}) {
  /** @type {string[]} */
  const lines = [];
  const { username, password } = DEMO_USERS[0];
  const instance = await gateway.startGateway({
    upstream: upstreamUrl,
    credentials: { username, password },
    port: 0,
    logLevel: 'debug',
    logWrite: (line) => lines.push(line),
    upstreamTimings: FAST_UPSTREAM,
    ...options,
  });
  await until(() => instance.live, 'the gateway to be live');
  return Object.assign(instance, { lines });
}

/**
 * A browser-like client of a gateway: records every frame (parsed) and how it closed.
 * @param {string} url
 * @param {import('ws').ClientOptions} [options]
 */
export function connect(url, options = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    /** @type {any[]} */
    const received = [];
    /** @type {{ code: number, reason: string } | undefined} */
    let closed;
    ws.on('message', (data, isBinary) => received.push(isBinary ? { binary: data } : JSON.parse(String(data))));
    ws.on('close', (code, reason) => (closed = { code, reason: String(reason) }));
    ws.on('unexpected-response', (_request, response) => reject(Object.assign(new Error(`HTTP ${response.statusCode}`), { status: response.statusCode })));
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        ws,
        received,
        get closed() {
          return closed;
        },
        /** Frames of one type, in order. */
        of: (/** @type {string} */ type) => received.filter((frame) => frame.type === type),
        /** Waits until a frame matching `match` has arrived; returns it. */
        async next(/** @type {(frame: any) => boolean} */ match, what = 'a frame', timeout = 5000) {
          await until(() => received.some(match), what, timeout);
          return received.find(match);
        },
        /** Waits for the socket to close; returns its code and reason. */
        async closing(timeout = 5000) {
          await until(() => closed !== undefined, 'the socket to close', timeout);
          return /** @type {{ code: number, reason: string }} */ (closed);
        },
      }),
    );
  });
}

/** @typedef {Awaited<ReturnType<typeof connect>> extends infer T ? T : never} Client */

/** The HTTP status a handshake was refused with, or 'opened'. */
export async function handshake(/** @type {string} */ url, /** @type {import('ws').ClientOptions} */ options = {}) {
  try {
    const client = /** @type {any} */ (await connect(url, options));
    client.ws.close();
    return 'opened';
  } catch (error) {
    return /** @type {{ status?: number, message: string }} */ (error).status ?? /** @type {Error} */ (error).message;
  }
}

/** Sends a heartbeat and waits for its ack: everything sent before it on this socket has been answered. */
export async function roundTrip(/** @type {any} */ client) {
  const acks = client.of('heartbeat_ack').length;
  client.ws.send('{"type":"heartbeat"}');
  await until(() => client.of('heartbeat_ack').length > acks, 'the heartbeat ack');
}

export const visit = (/** @type {Partial<Record<string, unknown>>} */ fields = {}) => ({
  id: '7a1b5d0e-0000-4000-8000-000000000001',
  member: { id: '00000000-0000-4000-8000-000000000001', full_name: 'Alice Example', email: 'alice@example.org', membership_type: 'premium' },
  location: 'Front desk',
  check_in_time: '2026-11-27T04:37:00.345985+00:00',
  notes: 'Knee injury, no squats',
  ...fields,
});

/**
 * A fake AV-Gym: a socket that records every frame a client sends it, lets the test push frames
 * and drop connections, and a history endpoint whose answer the test sets (and may hold back).
 */
export async function fakeUpstream() {
  /** @type {any[]} */
  const frames = [];
  /** The Origin header of each upgrade. @type {(string | undefined)[]} */
  const origins = [];
  /** @type {Set<WebSocket>} */
  const sockets = new Set();
  /** @type {any[]} */
  let history = [];
  /** @type {Promise<void> | undefined} */
  let historyGate;
  let openGate = () => {};
  let historyRequests = 0;
  /** What `?date=` answers from (filtered by the day of the check-in), and the requests for it. @type {any[]} */
  let days = [];
  /** @type {string[]} */
  const dayRequests = [];
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer(async (request, response) => {
    if (request.url?.startsWith('/api/checkins/checkins/')) {
      dayRequests.push(request.url);
      const date = new URL(request.url, 'http://x').searchParams.get('date') ?? '';
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(days.filter((visit) => String(visit.check_in_time).startsWith(date))));
      return;
    }
    if (request.url?.startsWith('/api/checkins/recent/')) {
      historyRequests++;
      await historyGate;
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(history));
      return;
    }
    response.writeHead(404).end();
  });
  server.on('upgrade', (request, socket, head) =>
    wss.handleUpgrade(request, socket, head, (ws) => {
      origins.push(request.headers.origin);
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => frames.push(JSON.parse(String(data))));
      ws.send(JSON.stringify({ type: 'initial_stats', payload: { currentlyIn: 1, todayTotal: 2, averageStayMinutes: 30, timestamp: '2026-11-27T04:37:00.435369+00:00' } }));
    }),
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `ws://127.0.0.1:${port}/ws/checkins/`,
    frames,
    origins,
    get connections() {
      return sockets.size;
    },
    get historyRequests() {
      return historyRequests;
    },
    setHistory(/** @type {any[]} */ visits) {
      history = visits;
    },
    /** Sets AV-Gym's visits by day (`/api/checkins/checkins/?date=`). */
    setDays(/** @type {any[]} */ visits) {
      days = visits;
    },
    dayRequests,
    /** Holds history answers back until the returned function is called. */
    holdHistory() {
      /** @type {() => void} */
      let release = () => {};
      historyGate = new Promise((resolve) => (release = () => resolve(undefined)));
      openGate = () => {
        historyGate = undefined;
        release();
      };
      return openGate;
    },
    push(/** @type {object} */ frame) {
      for (const ws of sockets) ws.send(JSON.stringify(frame));
    },
    drop() {
      for (const ws of sockets) ws.terminate();
    },
    async close() {
      openGate();
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
      // The gateway's fetches keep their connections alive: close them rather than wait.
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The frames of a session that carry visits, as `type id` strings (for order and duplicates). */
export const visitEvents = (/** @type {any[]} */ frames) =>
  frames.filter((frame) => frame.type === 'member_checked_in' || frame.type === 'member_checked_out').map((frame) => `${frame.type} ${frame.payload.id}`);

/**
 * A gateway's /metrics, read with a Prometheus text-format parser: `value(name, labels)` is the
 * sample's number (undefined when absent), `families` what the parser made of the text.
 * @param {{ historyUrl: string }} instance
 */
export async function readMetrics(instance) {
  const response = await fetch(new URL('/metrics', instance.historyUrl));
  const text = await response.text();
  const families = parsePrometheusTextFormat(text);
  return {
    contentType: response.headers.get('content-type'),
    families,
    value(/** @type {string} */ name, /** @type {Record<string, string>} */ labels = {}) {
      const sample = families
        .find((family) => family.name === name)
        ?.metrics.find((metric) => Object.entries(labels).every(([key, wanted]) => metric.labels?.[key] === wanted));
      return sample?.value === undefined ? undefined : Number(sample.value);
    },
  };
}
