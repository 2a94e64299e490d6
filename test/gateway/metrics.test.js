// What operators watch: /healthz, /readyz (ready = upstream open and caught up), and /metrics in
// the Prometheus text format, read here with a parser library as Prometheus would read it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { member } from '../server/helpers.js';
import { connect, FAST_UPSTREAM, gateway, readMetrics, roundTrip, startGateway, startGym, until } from './helpers.js';

describe('health, readiness and metrics', { timeout: 20_000 }, () => {
  it('/healthz answers while the process runs; /readyz only while the upstream is open', async (t) => {
    const gym = await startGym();
    const instance = await startGateway(gym.socketUrl);
    t.after(async () => {
      await instance.close();
      await gym.close();
    });
    const get = async (/** @type {string} */ path) => {
      const response = await fetch(new URL(path, instance.historyUrl));
      return { status: response.status, body: await response.json() };
    };
    assert.deepEqual(await get('/healthz'), { status: 200, body: { status: 'ok' } });
    assert.deepEqual(await get('/readyz'), { status: 200, body: { ready: true, upstream: 'open' } });
    instance.stopUpstream();
    assert.deepEqual(await get('/readyz'), { status: 503, body: { ready: false, upstream: 'closed', reason: 'not connected to AV-Gym (closed)' } });
    assert.deepEqual(await get('/healthz'), { status: 200, body: { status: 'ok' } });
    instance.startUpstream();
    await until(async () => (await get('/readyz')).status === 200, 'ready again');
  });

  it('/api/checkins/recent/ is public and read-only: a preflight is answered, a write is not allowed', async (t) => {
    const gym = await startGym();
    const instance = await startGateway(gym.socketUrl);
    t.after(async () => {
      await instance.close();
      await gym.close();
    });
    const preflight = await fetch(instance.historyUrl, { method: 'OPTIONS', headers: { Origin: 'https://www.gym.example', 'Access-Control-Request-Headers': 'authorization' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(String(preflight.headers.get('access-control-allow-headers')), /Authorization/);
    assert.equal(preflight.headers.get('access-control-allow-credentials'), null);
    const write = await fetch(instance.historyUrl, { method: 'POST', body: '{}' });
    assert.equal(write.status, 405);
    const unknown = await fetch(new URL('/api/members/', instance.historyUrl));
    assert.equal(unknown.status, 404);
    assert.equal((await readMetrics(instance)).value('gym_gateway_history_requests_total'), 0, 'neither is a read of the history');
  });

  it('with --allow-origin, the history\'s CORS follows the list: a listed Origin is echoed, any other gets no Access-Control-Allow-Origin', async (t) => {
    const gym = await startGym();
    const instance = await startGateway(gym.socketUrl, { allowOrigins: ['https://www.gym.example'] });
    t.after(async () => {
      await instance.close();
      await gym.close();
    });
    for (const method of ['GET', 'OPTIONS']) {
      const listed = await fetch(instance.historyUrl, { method, headers: { Origin: 'https://www.gym.example' } });
      assert.equal(listed.headers.get('access-control-allow-origin'), 'https://www.gym.example', method);
      assert.match(String(listed.headers.get('vary')), /Origin/, `${method}: a cache must keep the answers per Origin`);
      const other = await fetch(instance.historyUrl, { method, headers: { Origin: 'https://evil.example' } });
      assert.equal(other.headers.get('access-control-allow-origin'), null, method);
      const none = await fetch(instance.historyUrl, { method });
      assert.equal(none.headers.get('access-control-allow-origin'), null, `${method} without Origin`);
    }
  });

  it('/metrics: Prometheus text with clients, frames in and out, drops, upstream state, reconnects and event age', async (t) => {
    const gym = await startGym();
    const instance = await startGateway(gym.socketUrl);
    const client = /** @type {any} */ (await connect(instance.url));
    t.after(async () => {
      client.ws.close();
      await instance.close();
      await gym.close();
    });
    await roundTrip(client);
    client.ws.send('{"type":"check_in","payload":{}}');
    await roundTrip(client);
    gym.act('check_in', { memberId: member(1) });
    await until(() => client.of('member_checked_in').length === 1, 'the check-in');

    const metrics = await readMetrics(instance);
    assert.match(String(metrics.contentType), /^text\/plain; version=0\.0\.4/);
    const types = Object.fromEntries(metrics.families.map((family) => [family.name, family.type]));
    assert.deepEqual(
      Object.fromEntries(Object.entries(types).filter(([name]) => name.startsWith('gym_gateway_'))),
      {
        gym_gateway_clients: 'GAUGE',
        gym_gateway_sockets: 'GAUGE',
        gym_gateway_client_frames_total: 'COUNTER',
        gym_gateway_client_frames_refused_total: 'COUNTER',
        gym_gateway_frames_out_total: 'COUNTER',
        gym_gateway_fanout_seconds: 'HISTOGRAM',
        gym_gateway_clients_dropped_total: 'COUNTER',
        gym_gateway_connections_refused_total: 'COUNTER',
        gym_gateway_upstream_up: 'GAUGE',
        gym_gateway_upstream_frames_total: 'COUNTER',
        gym_gateway_upstream_reconnects_total: 'COUNTER',
        gym_gateway_upstream_last_event_age_seconds: 'GAUGE',
        gym_gateway_backfilled_visits_total: 'COUNTER',
        gym_gateway_backfill_failures_total: 'COUNTER',
        gym_gateway_history_requests_total: 'COUNTER',
      },
    );
    for (const family of metrics.families) assert.ok(family.help, `${family.name} says what it is`);
    assert.equal(metrics.value('gym_gateway_clients'), 1);
    assert.equal(metrics.value('gym_gateway_client_frames_total', { result: 'answered' }), 2);
    assert.equal(metrics.value('gym_gateway_client_frames_total', { result: 'refused' }), 1);
    assert.equal(metrics.value('gym_gateway_client_frames_refused_total', { kind: 'request' }), 1);
    // initial_stats, 2 acks, 1 refusal, the check-in and its figures.
    assert.equal(metrics.value('gym_gateway_frames_out_total'), 6);
    const fanOut = metrics.families.find((family) => family.name === 'gym_gateway_fanout_seconds')?.metrics[0];
    assert.ok(Number(fanOut?.count) >= 1, 'each fan-out is timed');
    assert.equal(metrics.value('gym_gateway_upstream_up'), 1);
    assert.equal(metrics.value('gym_gateway_upstream_reconnects_total'), 0);
    const age = /** @type {number} */ (metrics.value('gym_gateway_upstream_last_event_age_seconds'));
    assert.ok(age >= 0 && age < 5, `last event ${age} s ago`);
    assert.ok(/** @type {number} */ (metrics.value('process_resident_memory_bytes')) > 0, 'the process figures are there too');

    // The upstream drops: the gauge says so until it is back, and the reconnect is counted.
    gym.dropAll();
    await until(async () => (await readMetrics(instance)).value('gym_gateway_upstream_reconnects_total') === 1, 'the reconnect to be counted');
    await until(() => instance.live, 'live again');
    const after = await readMetrics(instance);
    assert.equal(after.value('gym_gateway_upstream_up'), 1);
    assert.ok(/** @type {number} */ (after.value('gym_gateway_upstream_frames_total')) > /** @type {number} */ (metrics.value('gym_gateway_upstream_frames_total')));
  });

  it('before AV-Gym ever answered: not ready, and the event age is NaN ("none yet"), not a fresh zero', async (t) => {
    // Port 9 (discard): nothing listens there on this machine.
    const instance = await new gateway.Gateway({ upstream: 'ws://127.0.0.1:9/ws/checkins/', credentials: { token: 't' }, port: 0, logLevel: 'silent', upstreamTimings: FAST_UPSTREAM }).start();
    t.after(() => instance.close());
    const ready = await fetch(new URL('/readyz', instance.historyUrl));
    assert.equal(ready.status, 503);
    const metrics = await readMetrics(instance);
    assert.ok(Number.isNaN(metrics.value('gym_gateway_upstream_last_event_age_seconds')));
    assert.equal(metrics.value('gym_gateway_upstream_up'), 0);
  });

  it('a refused service account: /readyz says so in AV-Gym\'s words, and one log line names the status and the words, never the password', async (t) => {
    const gym = await startGym();
    /** @type {string[]} */
    const lines = [];
    const instance = await new gateway.Gateway({
      upstream: gym.socketUrl,
      credentials: { username: 'staff', password: 'wrong-password-1234' },
      port: 0,
      logLevel: 'info',
      logWrite: (line) => lines.push(line),
      upstreamTimings: FAST_UPSTREAM,
    }).start();
    t.after(async () => {
      await instance.close();
      await gym.close();
    });
    await until(() => lines.some((line) => line.includes('upstream.sign-in-refused')), 'the refusal in the log');
    const refusal = JSON.parse(/** @type {string} */ (lines.find((line) => line.includes('upstream.sign-in-refused'))));
    assert.deepEqual({ level: refusal.level, username: refusal.username, status: refusal.status, detail: refusal.detail }, { level: 'error', username: 'staff', status: 401, detail: 'No active account found with the given credentials' });
    assert.ok(!lines.some((line) => line.includes('wrong-password-1234')), 'no line holds the password');
    const ready = await fetch(new URL('/readyz', instance.historyUrl));
    assert.equal(ready.status, 503);
    assert.equal((await ready.json()).reason, "AV-Gym refused the gateway's credentials (401: No active account found with the given credentials)");
  });
});
