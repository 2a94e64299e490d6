// The core in Node with `ws` as its WebSocket (as the README shows): a refused
// or dropped connection must lead to `reconnecting`, never to an unhandled
// `error` event that would end the process.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import WebSocket from 'ws';
import { core } from '../../bench/lib/core.mjs';
import { startGymServer } from '../../demo/server/gym-server.js';

/** A port nothing listens on. */
async function closedPort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
  await new Promise((resolve) => probe.close(() => resolve(undefined)));
  return port;
}

const nextState = (/** @type {InstanceType<typeof core.RealtimeClient>} */ client, /** @type {string} */ state) =>
  new Promise((resolve) => {
    const stop = client.on('state', (change) => {
      if (change.state === state) {
        stop();
        resolve(change);
      }
    });
  });

test('core over ws: a refused connection is retried, the process lives on', { timeout: 10_000 }, async () => {
  const client = new core.RealtimeClient({ url: `ws://127.0.0.1:${await closedPort()}/ws/checkins/`, token: 't', WebSocket: /** @type {any} */ (WebSocket) });
  const reconnecting = nextState(client, 'reconnecting');
  client.connect();
  assert.equal(/** @type {any} */ (await reconnecting).reason, 'handshake-failed');
  client.dispose();
});

test('core over ws: a server that goes away mid-handshake or mid-link is retried', { timeout: 10_000 }, async () => {
  const server = await startGymServer();
  const token = await server.tokens.issue('1');
  const client = new core.RealtimeClient({ url: server.socketUrl, token, WebSocket: /** @type {any} */ (WebSocket) });
  const open = nextState(client, 'open');
  client.connect();
  await open;
  const reconnecting = nextState(client, 'reconnecting');
  await server.close();
  assert.equal(/** @type {any} */ (await reconnecting).reason, 'connection-lost');
  client.dispose();
});
