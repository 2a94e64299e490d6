// `npm start`'s gateway: in front of the local gym server, on a port of its own and under /gateway/
// on the gym server's origin (so public demo pages need no other origin), with control endpoints
// that stop and start its upstream link for the control panel.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoGateway } from '../../demo/server/demo-gateway.js';
import { member } from '../server/helpers.js';
import { connect, gateway, handshake, startGym, until } from './helpers.js';

describe('the demo gateway', { timeout: 20_000 }, () => {
  it('serves under /gateway/ on the gym server, and its upstream can be stopped and started from the control panel', async (t) => {
    const mount = demoGateway(gateway.startGateway);
    const gym = await startGym({ extension: mount.extension });
    const instance = await mount.start(gym, { logLevel: 'silent', upstreamTimings: { initialRetryDelay: 50, maxRetryDelay: 200 } });
    t.after(async () => {
      await mount.close();
      await gym.close();
    });
    await until(() => instance.live, 'the gateway to be live');
    const control = async (/** @type {string} */ path, method = 'POST') => (await fetch(`${gym.origin}/control/${path}`, { method })).json();

    const client = /** @type {any} */ (await connect(`${gym.origin.replace('http', 'ws')}/gateway/ws/checkins/`));
    await client.next((/** @type {any} */ frame) => frame.type === 'initial_stats', 'the figures');
    assert.equal(instance.clients, 1, 'the same gateway as on its own port');
    const history = await fetch(`${gym.origin}/gateway/api/checkins/recent/`);
    assert.equal(history.status, 200);
    assert.equal(history.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(await control('gateway', 'GET'), { live: true, clients: 1, port: instance.port });

    assert.deepEqual(await control('gateway-upstream?state=down'), { upstream: 'down', live: false, clients: 1, port: instance.port });
    await client.next((/** @type {any} */ frame) => frame.type === 'gateway_status' && frame.payload.upstream === 'down', '"Live · delayed"');
    const missed = /** @type {any} */ (gym.act('check_in', { memberId: member(1) })).visit;
    await control('gateway-upstream?state=up');
    await client.next((/** @type {any} */ frame) => frame.type === 'gateway_status' && frame.payload.upstream === 'up', 'live again');
    const tail = client.received.slice(client.received.findIndex((/** @type {any} */ frame) => frame.payload?.upstream === 'down'));
    assert.deepEqual(
      tail.filter((/** @type {any} */ frame) => frame.type !== 'check_in_stats').map((/** @type {any} */ frame) => frame.payload.upstream ?? `${frame.type} ${frame.payload.id}`),
      ['down', `member_checked_in ${missed.id}`, 'up'],
    );
    assert.deepEqual(await control('gateway-upstream?state=sideways'), { error: 'state must be up or down' });
    // The gym server's own routes are untouched.
    assert.equal(/** @type {{ connections: number }} */ (await control('state', 'GET')).connections, 1, 'the gateway is its only socket client');
    client.ws.close();
  });

  it('shutting down: not ready at once, newcomers refused (503), browsers closed with 1001', async (t) => {
    const mount = demoGateway(gateway.startGateway);
    const gym = await startGym({ extension: mount.extension });
    const instance = await mount.start(gym, { logLevel: 'silent', timings: { shutdownGrace: 10_000 } });
    t.after(async () => {
      await mount.close();
      await gym.close();
    });
    await until(() => instance.live, 'the gateway to be live');
    const socketUrl = `${gym.origin.replace('http', 'ws')}/gateway/ws/checkins/`;
    // A browser that does not read yet: the gateway waits for its goodbye.
    const slow = /** @type {any} */ (await connect(socketUrl));
    slow.ws.pause();
    const closing = instance.close();
    assert.equal((await fetch(`${gym.origin}/gateway/readyz`)).status, 503);
    assert.equal(await handshake(socketUrl), 503);
    slow.ws.resume();
    assert.equal((await slow.closing()).code, 1001);
    await closing;
    const refused = (await instance.metrics.refusedConnections.get()).values.find((sample) => sample.labels.reason === 'draining');
    assert.equal(refused?.value, 1);
  });
});
