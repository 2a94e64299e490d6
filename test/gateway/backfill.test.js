// No gaps: when the gateway's own upstream link comes back, the visits it missed are pushed to
// the browsers from AV-Gym's REST history, once each and oldest first, before "up"; browsers stay
// connected throughout and are told the data is stale while it is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenIssuer } from '../../demo/server/auth.js';
import { Gym } from '../../demo/server/gym.js';
import { connect, fakeUpstream, readMetrics, startGateway, startGym, until, visit, visitEvents } from './helpers.js';

const member = (/** @type {number} */ n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The types of a session's frames, with the visit id where there is one, for order. */
const story = (/** @type {any[]} */ frames, /** @type {Record<string, string>} */ names) =>
  frames
    .filter((frame) => frame.type !== 'check_in_stats' && frame.type !== 'initial_stats')
    .map((frame) => (frame.type === 'gateway_status' ? `status ${frame.payload.upstream}` : `${frame.type} ${names[frame.payload?.id] ?? frame.payload?.id}`));

describe('an upstream restart', { timeout: 30_000 }, () => {
  it('pushes every visit missed while AV-Gym was down once, in order, between "down" and "up"', async (t) => {
    // The gym's clock moves a second each time it is read, so the order of events is beyond doubt.
    let now = Date.now() - 3600_000;
    const gym = new Gym({ now: () => new Date((now += 1000)) });
    const tokens = new TokenIssuer();
    let server = await startGym({ gym, tokens });
    const instance = await startGateway(server.socketUrl);
    const client = /** @type {any} */ (await connect(instance.url));
    t.after(async () => {
      client.ws.close();
      await instance.close();
      await server.close();
    });
    /** @type {Record<string, string>} */
    const names = {};
    const checkIn = (/** @type {number} */ n, /** @type {string} */ name) => {
      const result = /** @type {any} */ (gym.checkIn({ memberId: member(n), location: 'Front desk' }));
      names[result.visit.id] = name;
      return result.visit.id;
    };

    // Before the outage, live: two visits.
    const v1 = /** @type {any} */ (server.act('check_in', { memberId: member(1) })).visit.id;
    const v2 = /** @type {any} */ (server.act('check_in', { memberId: member(2) })).visit.id;
    Object.assign(names, { [v1]: 'v1', [v2]: 'v2' });
    await until(() => client.of('member_checked_in').length === 2, 'the live check-ins');

    // AV-Gym goes away (a deploy); life at the desk goes on without any broadcast reaching the gateway.
    const { port } = server;
    await server.close();
    await client.next((/** @type {any} */ frame) => frame.type === 'gateway_status' && frame.payload.upstream === 'down', 'the stale notice');
    checkIn(3, 'v3');
    gym.checkOut({ checkInId: v1 });
    const v4 = checkIn(4, 'v4');
    gym.checkOut({ checkInId: v4 });

    // Back on the same port, same gym and keys.
    server = await startGym({ gym, tokens, port });
    await client.next((/** @type {any} */ frame) => frame.type === 'gateway_status' && frame.payload.upstream === 'up', 'live again', 10_000);
    const v5 = /** @type {any} */ (server.act('check_in', { memberId: member(5) })).visit.id;
    names[v5] = 'v5';
    await until(() => client.of('member_checked_in').length === 4, 'the check-in after the restart');

    assert.deepEqual(story(client.received, names), [
      'member_checked_in v1',
      'member_checked_in v2',
      'status down',
      // Missed, oldest event first; v4 came and went while the gateway was away: one frame.
      'member_checked_in v3',
      'member_checked_out v1',
      'member_checked_out v4',
      'status up',
      'member_checked_in v5',
    ]);
    const events = visitEvents(client.received);
    assert.equal(new Set(events).size, events.length, 'no event twice');
    assert.equal(client.closed, undefined, 'the browser stayed connected');
    assert.equal(instance.clients, 1);
    // The figures after the restart reached the browser too.
    assert.equal(client.of('check_in_stats').at(-1).payload.currentlyIn, 3);
    // The history the gateway serves agrees with the gym.
    const history = /** @type {any[]} */ (await (await fetch(instance.historyUrl)).json());
    assert.deepEqual(
      history.map((item) => `${names[item.id]} ${item.check_out_time ? 'out' : 'in'}`),
      ['v5 in', 'v4 out', 'v3 in', 'v2 in', 'v1 out'],
    );
    const metrics = await readMetrics(instance);
    assert.equal(metrics.value('gym_gateway_upstream_reconnects_total'), 1);
    assert.equal(metrics.value('gym_gateway_backfilled_visits_total'), 3);
  });
});

describe('catching up', { timeout: 20_000 }, () => {
  const missed1 = visit({ id: 'a0000000-0000-4000-8000-000000000001', check_in_time: '2026-11-27T08:01:00.000000+00:00' });
  const missed2 = visit({ id: 'a0000000-0000-4000-8000-000000000002', check_in_time: '2026-11-27T08:02:00.000000+00:00', check_out_time: '2026-11-27T08:04:00.000000+00:00' });
  const live = visit({ id: 'a0000000-0000-4000-8000-000000000009', check_in_time: '2026-11-27T08:05:00.000000+00:00' });
  const names = { [missed1.id]: 'missed1', [missed2.id]: 'missed2', [live.id]: 'live' };

  /** A gateway in front of a fake AV-Gym, with a browser; all closed after the test. */
  async function setUp(/** @type {import('node:test').TestContext} */ t, /** @type {object} */ options = {}) {
    const upstream = await fakeUpstream();
    const instance = await startGateway(upstream.url, { credentials: { token: 'service-token' }, ...options });
    const client = /** @type {any} */ (await connect(instance.url));
    t.after(async () => {
      client.ws.close();
      await instance.close();
      await upstream.close();
    });
    return { upstream, instance, client };
  }

  it('holds live frames that come before the history, then sends them after the missed visits, each once', async (t) => {
    const { upstream, instance, client } = await setUp(t);
    upstream.setHistory([missed2, missed1]);
    const release = upstream.holdHistory();
    upstream.drop();
    await until(() => upstream.connections === 1 && upstream.historyRequests === 2, 'the gateway to reconnect and ask for the history');
    // Live while the history is on its way: a new visit, and one the history also has.
    const framesIn = async () => /** @type {number} */ ((await readMetrics(instance)).value('gym_gateway_upstream_frames_total'));
    const before = await framesIn();
    upstream.push({ type: 'member_checked_in', payload: live });
    upstream.push({ type: 'member_checked_in', payload: missed1 });
    await until(async () => (await framesIn()) === before + 2, 'the gateway to receive both');
    assert.deepEqual(story(client.received, names), ['status down'], 'nothing live goes out before the history');
    release();
    await client.next((/** @type {any} */ frame) => frame.type === 'gateway_status' && frame.payload.upstream === 'up', 'live again');
    assert.deepEqual(story(client.received, names), ['status down', 'member_checked_in missed1', 'member_checked_out missed2', 'member_checked_in live', 'status up']);
  });

  it('goes live without the history when it does not come in time (counted), sending what was held', async (t) => {
    const { upstream, instance, client } = await setUp(t, { timings: { backfillTimeout: 300 } });
    upstream.holdHistory();
    upstream.drop();
    await until(() => upstream.connections === 1 && upstream.historyRequests === 2, 'the gateway to reconnect');
    upstream.push({ type: 'member_checked_in', payload: live });
    await client.next((/** @type {any} */ frame) => frame.type === 'gateway_status' && frame.payload.upstream === 'up', 'live again');
    assert.deepEqual(story(client.received, names), ['status down', 'member_checked_in live', 'status up']);
    assert.equal((await readMetrics(instance)).value('gym_gateway_backfill_failures_total'), 1);
  });

  it('tells a browser that connects while the upstream is down, right after the figures it has', async (t) => {
    const upstream = await fakeUpstream();
    const instance = await startGateway(upstream.url, { credentials: { token: 'service-token' } });
    t.after(async () => {
      await instance.close();
      await upstream.close();
    });
    instance.stopUpstream();
    await until(() => !instance.live, 'the upstream to be down');
    const client = /** @type {any} */ (await connect(instance.url));
    await until(() => client.received.length === 2, 'the greeting');
    assert.deepEqual(
      client.received.map((/** @type {any} */ frame) => frame.type === 'gateway_status' ? `status ${frame.payload.upstream}` : frame.type),
      ['initial_stats', 'status down'],
    );
    assert.match(client.received[1].payload.since, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    instance.startUpstream();
    await client.next((/** @type {any} */ frame) => frame.type === 'gateway_status' && frame.payload.upstream === 'up', 'live again');
    client.ws.close();
  });
});

describe('an outage with more visits than the recent list holds', { timeout: 30_000 }, () => {
  it('backfills all 50 from AV-Gym\'s visits by day, once each and in order, and none from before the outage', async (t) => {
    const iso = (/** @type {number} */ ms) => new Date(ms).toISOString().replace('Z', '000+00:00');
    const id = (/** @type {number} */ n) => `00000000-0000-4000-9400-${String(n).padStart(12, '0')}`;
    // Visits of the morning, long before the outage: the gateway has the newest of them, and none
    // is news to anyone after the outage (the older one is not even in the recent list).
    const morning = [visit({ id: id(998), check_in_time: iso(Date.now() - 4 * 3600_000) }), visit({ id: id(999), check_in_time: iso(Date.now() - 3 * 3600_000) })];
    const upstream = await fakeUpstream();
    upstream.setHistory([morning[1]]);
    const instance = await startGateway(upstream.url, { credentials: { token: 'service-token' } });
    const client = /** @type {any} */ (await connect(instance.url));
    t.after(async () => {
      client.ws.close();
      await instance.close();
      await upstream.close();
    });
    upstream.drop();
    await client.next((/** @type {any} */ frame) => frame.type === 'gateway_status' && frame.payload.upstream === 'down', 'the stale notice');
    // While the gateway is away: 50 check-ins, a second apart (its reconnect comes 50–200 ms later,
    // before the test could make them, so the test sets what AV-Gym will answer instead).
    const start = Date.now();
    const outage = Array.from({ length: 50 }, (_, i) => visit({ id: id(i), member: { id: id(100 + i), full_name: `Member ${i}`, email: null }, check_in_time: iso(start + i * 1000) }));
    upstream.setDays([...morning, ...outage]);
    // AV-Gym's recent list holds only the newest 20, newest first.
    upstream.setHistory(outage.slice(-20).reverse());
    await client.next((/** @type {any} */ frame) => frame.type === 'gateway_status' && frame.payload.upstream === 'up', 'live again', 10_000);
    assert.deepEqual(
      client.of('member_checked_in').map((/** @type {any} */ frame) => frame.payload.id),
      outage.map((v) => v.id),
      'all 50, once each, oldest first; not the morning\'s',
    );
    assert.ok(upstream.dayRequests.length >= 1 && upstream.dayRequests.length <= 4, `a few day lists read: ${upstream.dayRequests.join(', ')}`);
    assert.equal((await readMetrics(instance)).value('gym_gateway_backfilled_visits_total'), 50);
  });
});

