// More than one machine: N gateways behind a load balancer, each with its own upstream socket,
// share nothing; every browser gets every event once, whichever instance it is on, and losing one
// instance touches only its own browsers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { member } from '../server/helpers.js';
import { connect, startGateway, startGym, until, visitEvents } from './helpers.js';

describe('two gateway instances on one AV-Gym', { timeout: 20_000 }, () => {
  it('each holds one upstream socket; a check-in reaches the browsers of both, once each', async (t) => {
    const gym = await startGym();
    const a = await startGateway(gym.socketUrl);
    const b = await startGateway(gym.socketUrl);
    const onA = /** @type {any} */ (await connect(a.url));
    const onB = /** @type {any} */ (await connect(b.url));
    t.after(async () => {
      onA.ws.close();
      onB.ws.close();
      await a.close();
      await b.close();
      await gym.close();
    });
    const connections = async () => /** @type {{ connections: number }} */ (await (await fetch(`${gym.origin}/control/state`)).json()).connections;
    assert.equal(await connections(), 2, 'one upstream socket per instance, however many browsers');

    const first = /** @type {any} */ (gym.act('check_in', { memberId: member(1) })).visit;
    gym.act('check_out', { checkInId: first.id });
    for (const client of [onA, onB]) await until(() => client.of('member_checked_out').length === 1, 'the check-out on both');
    assert.deepEqual(visitEvents(onA.received), [`member_checked_in ${first.id}`, `member_checked_out ${first.id}`]);
    assert.deepEqual(visitEvents(onB.received), visitEvents(onA.received));
    // Both serve the same history, each from its own state.
    assert.deepEqual(await (await fetch(a.historyUrl)).json(), await (await fetch(b.historyUrl)).json());

    // One instance goes (a deploy): its browsers are told to go elsewhere; the other's are untouched.
    await a.close();
    assert.equal((await onA.closing()).code, 1001);
    await until(async () => (await connections()) === 1, 'the closed instance to leave upstream');
    const second = /** @type {any} */ (gym.act('check_in', { memberId: member(2) })).visit;
    await until(() => onB.of('member_checked_in').length === 2, 'the next check-in on the other instance');
    assert.equal(onB.of('member_checked_in')[1].payload.id, second.id);
    assert.equal(onB.closed, undefined);
    assert.equal(onB.of('gateway_status').length, 0, 'the other instance never went stale');
  });
});
