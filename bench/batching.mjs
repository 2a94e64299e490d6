// Outbound batching: 1,000 `check_in` requests issued at once by the core
// (over `ws`) to the local gym server, batched (the defaults) and unbatched
// (`maxBatchSize: 1`): frames and bytes on the wire, and every reply settled.
import WebSocket from 'ws';
import { Gym } from '../demo/server/gym.js';
import { startGymServer } from '../demo/server/gym-server.js';
import { core } from './lib/core.mjs';

const REQUESTS = 1000;

const members = Array.from({ length: REQUESTS }, (_, i) => ({
  id: `10000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
  full_name: `Member ${i + 1}`,
  email: null,
  membership_type: 'standard',
}));

/** @param {{ maxBatchSize?: number }} timings */
async function burst(timings) {
  const server = await startGymServer({ gym: new Gym({ members }) });
  const token = await server.tokens.issue('1');
  const client = new core.RealtimeClient({ url: server.socketUrl, token, WebSocket: /** @type {any} */ (WebSocket), ...timings });
  await new Promise((resolve) => {
    const stop = client.on('state', ({ state }) => state === 'open' && (stop(), resolve(undefined)));
    client.connect();
  });
  const before = client.metrics;
  const started = performance.now();
  const results = await Promise.allSettled(members.map(({ id }) => client.request('check_in', { memberId: id, location: 'Bench' })));
  const settledMs = performance.now() - started;
  const after = client.metrics;
  const state = /** @type {{ framesIn: number, requestsIn: number }} */ (await (await fetch(`${server.origin}/control/state`)).json());
  client.dispose();
  await server.close();
  return {
    frames: after.framesOut - before.framesOut,
    bytes: after.bytesOut - before.bytesOut,
    framesAtServer: state.framesIn,
    fulfilled: results.filter((r) => r.status === 'fulfilled').length,
    rejected: results.filter((r) => r.status === 'rejected').length,
    settledMs: Math.round(settledMs),
  };
}

export async function batchingBenchmark() {
  return { requests: REQUESTS, batched: await burst({}), unbatched: await burst({ maxBatchSize: 1 }) };
}
