import { startGymServer } from '../../demo/server/gym-server.js';
import { startCountingServer } from './counting-server.js';

/**
 * Starts the local gym server on a free loopback port for the whole test run
 * and tells the browser where it is: `GET /__gym-server` answers
 * `{ origin, socketUrl }`. Beside it, on an origin of its own, a server that
 * counts what reaches it (a host a page must not send its token to):
 * `GET /__counting-server` answers `{ origin, socketUrl, requests }`, and
 * `?reset` forgets the requests first, `?drop` closes its sockets. Both answers come from the test
 * runner's own origin, so asking never reaches the counting server.
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function gymServerPlugin() {
  /** @type {Awaited<ReturnType<typeof startGymServer>> | undefined} */
  let server;
  /** @type {Awaited<ReturnType<typeof startCountingServer>> | undefined} */
  let counting;
  return {
    name: 'gym-server',
    async serverStart() {
      [server, counting] = await Promise.all([startGymServer({ port: 0 }), startCountingServer()]);
    },
    serve(context) {
      if (context.path === '/__gym-server' && server) {
        return { type: 'json', body: JSON.stringify({ origin: server.origin, socketUrl: server.socketUrl }) };
      }
      if (context.path === '/__counting-server' && counting) {
        if (context.querystring === 'reset') counting.requests.length = 0;
        if (context.querystring === 'drop') counting.dropAll();
        return { type: 'json', body: JSON.stringify({ origin: counting.origin, socketUrl: counting.socketUrl, requests: counting.requests }) };
      }
      return undefined;
    },
    async serverStop() {
      await Promise.all([server?.close(), counting?.close()]);
    },
  };
}
