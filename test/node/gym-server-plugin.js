import { startGymServer } from '../../demo/server/gym-server.js';

/**
 * Starts the local gym server on a free loopback port for the whole test run
 * and tells the browser where it is: `GET /__gym-server` answers
 * `{ origin, socketUrl }`.
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
export function gymServerPlugin() {
  /** @type {Awaited<ReturnType<typeof startGymServer>> | undefined} */
  let server;
  return {
    name: 'gym-server',
    async serverStart() {
      server = await startGymServer({ port: 0 });
    },
    serve(context) {
      if (context.path !== '/__gym-server' || !server) return undefined;
      return { type: 'json', body: JSON.stringify({ origin: server.origin, socketUrl: server.socketUrl }) };
    },
    async serverStop() {
      await server?.close();
    },
  };
}
