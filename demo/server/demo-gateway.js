// The read-only gateway in front of the local gym server, as public pages use it: reachable on a
// port of its own (as in production) and, for the demo pages, under /gateway/ on the gym server's
// origin, so a page needs no other origin in its CSP: url="/gateway/ws/checkins/".
import { DEMO_USERS } from './gym-server.js';

/** Where the demo pages reach the gateway on the gym server's origin. */
export const GATEWAY_PREFIX = '/gateway';

/** @typedef {import('../../gateway/src/index.js').Gateway} Gateway */
/** @typedef {typeof import('../../gateway/src/index.js').startGateway} StartGateway */

/**
 * The gym server's extension (pass it as `extension` to `startGymServer`) and the gateway behind
 * it, started once the gym server listens. Control endpoints for the control panel:
 * - `POST /control/gateway-upstream?state=down` closes the gateway's upstream link (public pages
 *   show "Live · delayed"), `?state=up` opens it again (the missed visits are pushed, then "Live");
 * - `GET /control/gateway`: `{ live, clients, port }`.
 * @param {StartGateway} startGateway
 */
export function demoGateway(startGateway) {
  /** @type {Gateway | undefined} */
  let gateway;
  const status = () => ({ live: gateway?.live ?? false, clients: gateway?.clients ?? 0, port: gateway?.port });
  const answer = (/** @type {import('node:http').ServerResponse} */ response, /** @type {number} */ code, /** @type {unknown} */ body) => {
    response.writeHead(code, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  /** @type {import('./gym-server.js').GymServerExtension} */
  const extension = {
    request(request, response, url) {
      if (url.pathname === '/control/gateway-upstream' && request.method === 'POST') {
        const state = url.searchParams.get('state');
        if (!gateway || (state !== 'up' && state !== 'down')) {
          answer(response, gateway ? 400 : 503, { error: gateway ? 'state must be up or down' : 'the gateway is not running' });
          return true;
        }
        if (state === 'down') gateway.stopUpstream();
        else gateway.startUpstream();
        answer(response, 200, { upstream: state, ...status() });
        return true;
      }
      if (url.pathname === '/control/gateway' && request.method === 'GET') {
        answer(response, 200, status());
        return true;
      }
      if (!gateway || !url.pathname.startsWith(`${GATEWAY_PREFIX}/`)) return false;
      request.url = (request.url ?? '').slice(GATEWAY_PREFIX.length);
      gateway.handleRequest(request, response);
      return true;
    },
    upgrade(request, socket, head) {
      if (!gateway || !(request.url ?? '').startsWith(`${GATEWAY_PREFIX}/`)) return false;
      request.url = (request.url ?? '').slice(GATEWAY_PREFIX.length);
      gateway.handleUpgrade(request, socket, head);
      return true;
    },
  };

  return {
    extension,
    /**
     * Starts the gateway on `port` (or the next free one), signed in upstream as the demo's staff
     * account, names shown as "Alice E.".
     * @param {{ socketUrl: string }} gymServer
     * @param {Partial<import('../../gateway/src/index.js').GatewayOptions>} [options]
     */
    async start(gymServer, { port = 0, ...options } = {}) {
      const { username, password } = DEMO_USERS[0];
      for (let candidate = port; ; candidate++) {
        try {
          gateway = await startGateway({ upstream: gymServer.socketUrl, credentials: { username, password }, port: candidate, logLevel: 'warn', ...options });
          return gateway;
        } catch (error) {
          if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EADDRINUSE' || port === 0 || candidate >= port + 20) throw error;
        }
      }
    },
    close: () => gateway?.close(),
  };
}
