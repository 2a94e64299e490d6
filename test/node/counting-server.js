import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

/**
 * @typedef {object} CountedRequest
 * @property {'http' | 'ws'} kind
 * @property {string} method
 * @property {string} path without the query
 * @property {boolean} token a `token=` in the query
 * @property {boolean} authorization an `Authorization` header
 */

/**
 * A server on an origin of its own that answers anything and records every request that reaches
 * it: the stand-in for a host a page's author points a widget at. It lets everyone in (CORS for any
 * origin, with credentials; any socket), so that a request it never saw is one the page never made,
 * not one the browser blocked. Answers a token at `/token`, `[]` elsewhere.
 * @param {{ host?: string }} [options]
 */
export async function startCountingServer({ host = '127.0.0.1' } = {}) {
  /** @type {CountedRequest[]} */
  const requests = [];
  const record = (/** @type {'http' | 'ws'} */ kind, /** @type {import('node:http').IncomingMessage} */ request) => {
    const url = request.url ?? '/';
    requests.push({ kind, method: request.method ?? 'GET', path: url.split('?')[0], token: /[?&]token=/.test(url), authorization: Boolean(request.headers.authorization) });
  };
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => {
    ws.on('error', () => ws.terminate());
    ws.on('message', (data) => {
      if (String(data) === '{"type":"heartbeat"}') ws.send('{"type":"heartbeat_ack"}');
    });
  });
  const server = createServer((request, response) => {
    record('http', request);
    const origin = request.headers.origin;
    if (origin) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      response.setHeader('Vary', 'Origin');
    }
    if (request.method === 'OPTIONS') return void response.writeHead(204).end();
    const body = request.url?.startsWith('/token') ? { access: 'a-token-from-the-counting-server' } : [];
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  server.on('upgrade', (request, socket, head) => {
    record('ws', request);
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  await new Promise((resolve) => server.listen(0, host, () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    origin: `http://${host}:${port}`,
    socketUrl: `ws://${host}:${port}/ws/checkins/`,
    requests,
    dropAll() {
      for (const ws of wss.clients) ws.terminate();
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
