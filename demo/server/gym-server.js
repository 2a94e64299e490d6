import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { TokenIssuer } from './auth.js';
import { Gym } from './gym.js';
import { handleFrame } from './socket-protocol.js';
import { serveStatic } from './static-files.js';

/** @typedef {import('ws').WebSocket} WebSocket */
/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

const SOCKET_PATH = '/ws/checkins/';
const MAX_FRAME_BYTES = 64 * 1024;
const MAX_BODY_BYTES = 16 * 1024;

/** Seeded staff accounts of the local gym (development only). */
export const DEMO_USERS = [{ id: '1', username: 'frontdesk', password: 'frontdesk' }];

/** The raw `token` query value: the real server reads it without URL-decoding. */
function rawToken(/** @type {string} */ requestUrl) {
  const match = /[?&]token=([^&]*)/.exec(requestUrl);
  return match ? match[1] : undefined;
}

function refuseUpgrade(/** @type {import('node:stream').Duplex} */ socket, status = 403) {
  socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Service Unavailable'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

/** @returns {Promise<unknown>} the JSON body, or undefined when absent, too large or unreadable */
function readJson(/** @type {IncomingMessage} */ request) {
  return new Promise((resolve) => {
    let size = 0;
    /** @type {Buffer[]} */
    const chunks = [];
    request.on('data', (/** @type {Buffer} */ chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
    request.on('error', () => resolve(undefined));
  });
}

function sendJson(/** @type {ServerResponse} */ response, /** @type {number} */ status, /** @type {unknown} */ body) {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

/**
 * The signed-in user of a REST request, as AV-Gym's simplejwt answers: 401 without a Bearer token,
 * 401 `token_not_valid` for a token it refuses. Undefined once it has answered.
 * @param {IncomingMessage} request @param {ServerResponse} response @param {TokenIssuer} tokens
 */
async function signedIn(request, response, tokens) {
  const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  const userId = await tokens.verify(bearer);
  if (userId) return userId;
  response.setHeader('WWW-Authenticate', 'Bearer realm="api"');
  sendJson(
    response,
    401,
    bearer
      ? { detail: 'Given token not valid for any token type', code: 'token_not_valid', messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }] }
      : { detail: 'Authentication credentials were not provided.' },
  );
  return undefined;
}

/** Lets pages on another origin (the test runner, a dev server) call the API with credentials. */
function allowCors(/** @type {IncomingMessage} */ request, /** @type {ServerResponse} */ response) {
  const origin = request.headers.origin;
  if (!origin) return;
  response.setHeader('Access-Control-Allow-Origin', origin);
  response.setHeader('Access-Control-Allow-Credentials', 'true');
  response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
  response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  response.setHeader('Vary', 'Origin');
}

/**
 * @typedef {object} GymServerOptions
 * @property {number} [port] 0 picks a free port
 * @property {boolean} [nextFreePort] when `port` is taken, try the next ones
 * @property {string} [host]
 * @property {number} [accessLifetimeSeconds] lifetime of access tokens (short ones exercise refresh)
 * @property {Gym} [gym]
 * @property {boolean} [servePages] serve the demo pages and the built bundle from the same origin
 * @property {TokenIssuer} [tokens] keeps tokens valid across a restart (benchmarks stop and start the server)
 * @property {(accepted: boolean) => void} [onHandshake] called at each socket handshake, for measurements at the server
 * @property {GymServerExtension} [extension] requests and upgrades it takes before the server's own routes (the demo mounts the gateway)
 */

/**
 * @typedef {object} GymServerExtension
 * @property {(request: IncomingMessage, response: ServerResponse, url: URL) => boolean} [request] true: it answered
 * @property {(request: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => boolean} [upgrade] true: it took the socket
 */

/**
 * A local stand-in for the AV-Gym check-in backend: the same socket protocol,
 * auth behaviour and REST endpoints, plus control endpoints (`/control/…`)
 * that let tests and the demo break things on purpose. Development only.
 *
 * @param {GymServerOptions} [options]
 */
export async function startGymServer({
  port = 0,
  nextFreePort = false,
  host = '127.0.0.1',
  accessLifetimeSeconds = 300,
  gym: initialGym = new Gym(),
  servePages = false,
  tokens = new TokenIssuer({ accessLifetimeSeconds }),
  onHandshake,
  extension,
} = {}) {
  let gym = initialGym;
  let latencyMs = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, handleProtocols: () => false });
  /** @type {Set<WebSocket>} */
  const clients = new Set();
  let refuseUntil = 0;
  /** Status the demo token endpoint answers with instead of a token (tests of "sign-in required"). */
  let demoTokenStatus = 200;
  const counts = { handshakes: 0, refusedHandshakes: 0, framesIn: 0, requestsIn: 0 };

  /** Runs `send` now, or after the latency set through `/control/latency`. */
  const later = (/** @type {() => void} */ send) => (latencyMs ? setTimeout(send, latencyMs) : send());

  /** @param {object} frame */
  const broadcast = (frame) => {
    const text = JSON.stringify(frame);
    for (const client of clients) if (client.readyState === client.OPEN) client.send(text);
  };

  /**
   * A check-in or check-out made at another desk (the simulator, the control
   * panel): the same broadcasts a socket client's request would cause.
   * @param {'check_in' | 'check_out'} type @param {object} payload
   */
  const act = (type, payload) => {
    const result = type === 'check_in' ? gym.checkIn(payload) : gym.checkOut(payload);
    if (!result.ok) return result;
    const visit = gym.toSocket(result.visit);
    later(() => {
      broadcast({ type: type === 'check_in' ? 'member_checked_in' : 'member_checked_out', payload: visit });
      broadcast({ type: 'check_in_stats', payload: gym.stats() });
    });
    return { ok: /** @type {const} */ (true), visit };
  };

  const dropAll = () => {
    for (const client of clients) client.terminate();
  };

  wss.on('connection', (/** @type {WebSocket} */ ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => ws.terminate());
    ws.send(JSON.stringify({ type: 'initial_stats', payload: gym.stats() }));
    ws.on('message', (data, isBinary) => {
      counts.framesIn++;
      const outcome = handleFrame(gym, /** @type {Buffer} */ (data), isBinary);
      counts.requestsIn += outcome.replies.filter((reply) => /^check_(in|out)_(success|error)$/.test(reply.type)).length;
      if (outcome.close) {
        ws.close(outcome.close);
        return;
      }
      later(() => {
        for (const reply of outcome.replies) if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
        if (outcome.broadcasts.length) setImmediate(() => outcome.broadcasts.forEach(broadcast));
      });
    });
  });

  const server = createServer(async (request, response) => {
    if (extension?.request?.(request, response, new URL(request.url ?? '/', 'http://localhost'))) return;
    allowCors(request, response);
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const route = `${request.method} ${url.pathname}`;
    // A restart (POST /control/refuse): the API is down with the socket, as behind a proxy whose
    // upstream stopped: the token URL and the REST API answer 502 until it is back.
    if (Date.now() < refuseUntil && (url.pathname.startsWith('/api/') || url.pathname === '/demo/token')) {
      return sendJson(response, 502, { detail: 'Bad Gateway' });
    }
    try {
      switch (route) {
        case 'POST /api/auth/token/': {
          const body = /** @type {{ username?: unknown, password?: unknown } | undefined} */ (await readJson(request));
          const user = DEMO_USERS.find((u) => u.username === body?.username && u.password === body?.password);
          if (!user) return sendJson(response, 401, { detail: 'No active account found with the given credentials' });
          return sendJson(response, 200, { refresh: await tokens.issue(user.id, 'refresh'), access: await tokens.issue(user.id) });
        }
        case 'POST /api/auth/token/refresh/': {
          const body = /** @type {{ refresh?: unknown } | undefined} */ (await readJson(request));
          const userId = await tokens.verify(typeof body?.refresh === 'string' ? body.refresh : undefined, 'refresh');
          if (!userId) return sendJson(response, 401, { detail: 'Token is invalid or expired', code: 'token_not_valid' });
          return sendJson(response, 200, { access: await tokens.issue(userId) });
        }
        case 'GET /api/checkins/recent/': {
          const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
          if (!(await tokens.verify(bearer))) return sendJson(response, 401, { detail: 'Authentication credentials were not provided.' });
          return sendJson(response, 200, gym.recent());
        }
        case 'GET /api/members/search/': {
          if (!(await signedIn(request, response, tokens))) return;
          return sendJson(response, 200, gym.searchMembers(url.searchParams.get('q') ?? '', `http://${request.headers.host}`));
        }
        case 'GET /api/checkins/checkins/': {
          if (!(await signedIn(request, response, tokens))) return;
          const visits = gym.visitsOf(url.searchParams.get('member'), url.searchParams.get('date'));
          // Django's ValidationError for a malformed id or date is no DRF error: the real server answers its 500 page.
          if (!visits) return response.writeHead(500, { 'Content-Type': 'text/html' }).end('<!doctype html>\n<title>Server Error (500)</title>\n<h1>Server Error (500)</h1><p></p>\n');
          return sendJson(response, 200, visits);
        }
        case 'GET /demo/token':
          // The demo page's `token-url`: a development convenience standing in for a signed-in session.
          if (demoTokenStatus !== 200) return sendJson(response, demoTokenStatus, { detail: 'Sign-in required' });
          return sendJson(response, 200, { access: await tokens.issue(DEMO_USERS[0].id) });
        case 'POST /control/drop':
          dropAll();
          return sendJson(response, 200, { dropped: true });
        case 'POST /control/refuse': {
          const ms = Math.min(Number(url.searchParams.get('ms') ?? 5000) || 0, 120_000);
          refuseUntil = Date.now() + ms;
          dropAll();
          return sendJson(response, 200, { refusingForMs: ms });
        }
        case 'POST /control/reset':
          // A fresh gym, counters and token endpoint; open connections, the clock and the time zone stay.
          gym = new Gym({ now: gym.now, timeZone: gym.timeZone });
          demoTokenStatus = 200;
          refuseUntil = 0;
          latencyMs = 0;
          Object.assign(counts, { handshakes: 0, refusedHandshakes: 0, framesIn: 0, requestsIn: 0 });
          return sendJson(response, 200, { reset: true });
        case 'POST /control/check-in': {
          // A member arrives at another desk.
          const memberId = url.searchParams.get('memberId') ?? gym.absentMembers()[0]?.id;
          const result = act('check_in', { memberId, location: url.searchParams.get('location') ?? 'Side door' });
          return result.ok ? sendJson(response, 200, result.visit) : sendJson(response, 409, { error: result.error });
        }
        case 'POST /control/check-out': {
          const checkInId = url.searchParams.get('checkInId') ?? gym.openVisits()[0]?.id;
          const result = act('check_out', { checkInId });
          return result.ok ? sendJson(response, 200, result.visit) : sendJson(response, 409, { error: result.error });
        }
        case 'POST /control/latency':
          latencyMs = Math.min(Math.max(Number(url.searchParams.get('ms')) || 0, 0), 10_000);
          return sendJson(response, 200, { latencyMs });
        case 'POST /control/flood': {
          const count = Math.min(Math.max(Number(url.searchParams.get('count')) || 0, 0), 200_000);
          flood(count);
          return sendJson(response, 200, { flooding: count });
        }
        case 'POST /control/expire-tokens':
          tokens.expireAll();
          return sendJson(response, 200, { expired: true });
        case 'POST /control/demo-token-status':
          demoTokenStatus = Number(url.searchParams.get('status')) || 200;
          return sendJson(response, 200, { status: demoTokenStatus });
        case 'GET /control/visits':
          // Every visit, for tests that compare a page with the server's truth.
          return sendJson(response, 200, [...gym.visits.values()].map(({ id, memberId, check_out_time }) => ({ id, memberId, out: check_out_time !== null })));
        case 'GET /control/state':
          return sendJson(response, 200, { connections: clients.size, ...counts, stats: gym.stats() });
        default: {
          // Member photos, where Django serves MEDIA_URL.
          const photo = request.method === 'GET' && url.pathname.startsWith('/media/') ? gym.photo(url.pathname.slice(7)) : undefined;
          if (photo) return response.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=3600' }).end(photo);
          if (servePages && request.method === 'GET' && (await serveStatic(url.pathname, response, request))) return;
          return sendJson(response, 404, { detail: 'Not found.' });
        }
      }
    } catch {
      if (!response.headersSent) sendJson(response, 500, { detail: 'Internal server error' });
    }
  });

  server.on('upgrade', async (request, socket, head) => {
    if (extension?.upgrade?.(request, socket, head)) return;
    socket.on('error', () => socket.destroy());
    counts.handshakes++;
    const requestUrl = request.url ?? '';
    if (Date.now() < refuseUntil) {
      counts.refusedHandshakes++;
      onHandshake?.(false);
      socket.destroy();
      return;
    }
    // Every auth or routing failure is an HTTP 403 on the upgrade, as on the real server.
    const path = requestUrl.split('?')[0];
    const userId = path === SOCKET_PATH ? await tokens.verify(rawToken(requestUrl)) : undefined;
    if (!userId) {
      counts.refusedHandshakes++;
      onHandshake?.(false);
      refuseUpgrade(socket);
      return;
    }
    onHandshake?.(true);
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  /**
   * `count` real check-ins and check-outs as fast as the socket takes them
   * (in chunks, so the server stays responsive), each with its broadcasts.
   * @param {number} count
   */
  function flood(count) {
    let left = count;
    const chunk = () => {
      for (let i = 0; i < 500 && left > 0; i++, left--) {
        const absent = gym.absentMembers();
        if (absent.length > 0 && (i % 2 === 0 || gym.openVisits().length === 0)) act('check_in', { memberId: absent[0]?.id, location: 'Flood' });
        else act('check_out', { checkInId: gym.openVisits()[0]?.id });
      }
      if (left > 0) setImmediate(chunk);
    };
    chunk();
  }

  await listen(server, port, host, nextFreePort);
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const origin = `http://${host}:${address.port}`;

  return {
    get gym() {
      return gym;
    },
    tokens,
    origin,
    port: address.port,
    socketUrl: `ws://${host}:${address.port}${SOCKET_PATH}`,
    dropAll,
    broadcast,
    act,
    async close() {
      dropAll();
      wss.close();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/**
 * Listens on `port`, or on the next free one when asked to.
 * @param {import('node:http').Server} server @param {number} port @param {string} host @param {boolean} nextFreePort
 */
async function listen(server, port, host, nextFreePort) {
  for (let candidate = port; ; candidate++) {
    try {
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(candidate, host, () => {
          server.off('error', reject);
          resolve(undefined);
        });
      });
      return;
    } catch (error) {
      const code = /** @type {NodeJS.ErrnoException} */ (error).code;
      if (!nextFreePort || code !== 'EADDRINUSE' || candidate >= port + 20) throw error;
    }
  }
}
