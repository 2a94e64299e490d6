// Redaction, decided server-side: every field of every visit, in every names mode, in live frames
// and in the history the gateway serves. Nothing the policy removes may appear anywhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Gym } from '../../demo/server/gym.js';
import { connect, gateway, startGateway, startGym } from './helpers.js';

const ALICE = { id: '00000000-0000-4000-8000-000000000001', full_name: 'Alice Example', email: 'alice@example.org', membership_type: 'premium' };
const BOB = { id: '00000000-0000-4000-8000-000000000002', full_name: 'Bob Builder-Smith', email: 'bob@example.org', membership_type: 'standard' };

describe('redactName', () => {
  const cases = [
    // name, first, initials
    ['Alice Example', 'Alice E.', 'A. E.'],
    ['Zoë Ångström', 'Zoë Å.', 'Z. Å.'],
    ['Maximilian Alexander von Hohenzollern-Sigmaringen', 'Maximilian H.', 'M. H.'],
    ['Madonna', 'Madonna', 'M.'],
    ['  Spaced   Out  ', 'Spaced O.', 'S. O.'],
    ['E\u0301mile Zola', 'E\u0301mile Z.', 'E\u0301. Z.'], // a combining accent stays with its letter
    ['\u202EAlice Example', 'Alice E.', 'A. E.'], // a bidi override is no initial
    ['', '', ''],
    // Fails closed (src/protocol/names.ts): every separator cuts, a comma or an East Asian script hides the surname.
    ['Alice_Example', 'Alice E.', 'A. E.'],
    ['Alice\u200BExample', 'Alice E.', 'A. E.'],
    ['Alice\u3164Example', 'Alice E.', 'A. E.'],
    ['Example, Alice', 'E. A.', 'E. A.'],
    ['山田 花子', 'Member', 'Member'],
  ];
  for (const [name, first, initials] of cases) {
    it(`${JSON.stringify(name)} in every mode`, () => {
      assert.equal(gateway.redactName(name, 'full'), name);
      assert.equal(gateway.redactName(name, 'first'), first);
      assert.equal(gateway.redactName(name, 'initials'), initials);
      assert.equal(gateway.redactName(name, 'none', 'Member'), 'Member');
    });
  }
});

describe('redaction through the gateway, live and in history', { timeout: 30_000 }, () => {
  /** Each gateway under test: its names mode and fields. */
  const SETUPS = /** @type {const} */ ([
    { names: 'full', fields: ['location'] },
    { names: 'first', fields: ['location'] },
    { names: 'initials', fields: ['location'] },
    { names: 'none', fields: ['location'], anonymousName: 'A member' },
    { names: 'full', fields: ['location', 'notes', 'email', 'membership_type', 'member_id'] },
    { names: 'first', fields: [] },
  ]);
  const NAMES = { full: 'Alice Example', first: 'Alice E.', initials: 'A. E.', none: 'A member' };
  /** @type {Awaited<ReturnType<typeof startGym>>} */
  let gym;
  /** @type {any[]} */
  const runs = [];
  /** @type {any} */
  let earlier;
  /** @type {any} */
  let live;

  before(async () => {
    gym = await startGym({ gym: new Gym({ members: [ALICE, BOB] }) });
    // A visit from before the gateways started: they learn it from the REST history.
    const first = gym.act('check_in', { memberId: ALICE.id, location: 'Pool entrance', notes: 'Guest pass' });
    assert.ok(first.ok);
    gym.act('check_out', { checkInId: /** @type {any} */ (first).visit.id, notes: 'left early' });
    earlier = gym.gym.visits.get(/** @type {any} */ (first).visit.id);
    for (const setup of SETUPS) {
      const instance = await startGateway(gym.socketUrl, setup);
      runs.push({ setup, instance, client: await connect(instance.url) });
    }
    // A visit while they run: they learn it from the socket.
    const checkIn = /** @type {any} */ (gym.act('check_in', { memberId: ALICE.id, location: 'Front desk', notes: 'Knee injury, no squats' }));
    for (const { client } of runs) await client.next((/** @type {any} */ f) => f.type === 'member_checked_in', 'the check-in');
    gym.act('check_out', { checkInId: checkIn.visit.id, notes: 'bye' });
    for (const { client } of runs) await client.next((/** @type {any} */ f) => f.type === 'member_checked_out', 'the check-out');
    live = gym.gym.visits.get(checkIn.visit.id);
  });
  after(async () => {
    for (const { client, instance } of runs) {
      client.ws.close();
      await instance.close();
    }
    await gym.close();
  });

  /**
   * The public copy of a visit, built here from the policy's words, not from the gateway's code.
   * @param {any} raw a visit of the local gym @param {any} setup @param {'socket' | 'rest'} shape
   */
  function expected(raw, setup, shape, out = raw.check_out_time !== null) {
    const fields = new Set(setup.fields);
    const time = (/** @type {string} */ t) => (shape === 'rest' ? t.replace('+00:00', 'Z') : t);
    const member = { id: fields.has('member_id') ? ALICE.id : '', full_name: NAMES[/** @type {keyof typeof NAMES} */ (setup.names)] };
    return {
      id: raw.id,
      member:
        shape === 'socket'
          ? { ...member, email: fields.has('email') ? ALICE.email : null }
          : // AV-Gym's REST member carries membership_type (never email); a visit first seen on the socket has none to pass.
            { ...member, membership_type: fields.has('membership_type') && raw === earlier ? ALICE.membership_type : null },
      location: fields.has('location') ? raw.location : null,
      check_in_time: time(raw.check_in_time),
      ...(shape === 'rest' ? { check_out_time: raw.check_out_time && time(raw.check_out_time) } : out ? { check_out_time: raw.check_out_time } : {}),
      notes: fields.has('notes') ? raw.notes : null,
    };
  }

  it('redacts every field of live check-ins and check-outs, in every mode', () => {
    for (const { setup, client } of runs) {
      const [checkedIn] = client.of('member_checked_in');
      const [checkedOut] = client.of('member_checked_out');
      // The check-in as it was broadcast: not checked out yet, the check-in's notes.
      assert.deepEqual(checkedIn.payload, expected({ ...live, check_out_time: null, notes: 'Knee injury, no squats' }, setup, 'socket'), `${setup.names} ${setup.fields}`);
      assert.deepEqual(checkedOut.payload, expected(live, setup, 'socket'), `${setup.names} ${setup.fields}`);
    }
  });

  it('serves the same redaction in the history, in the REST shape, newest first', async () => {
    for (const { setup, instance } of runs) {
      const response = await fetch(instance.historyUrl);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.equal(response.headers.get('access-control-allow-credentials'), null);
      assert.deepEqual(await response.json(), [expected(live, setup, 'rest'), expected(earlier, setup, 'rest')], `${setup.names} ${setup.fields}`);
    }
  });

  it('lets nothing removed through anywhere: names, emails, ids, notes, membership', async () => {
    for (const { setup, instance, client } of runs) {
      const everything = JSON.stringify(client.received) + (await (await fetch(instance.historyUrl)).text());
      const fields = new Set(setup.fields);
      const leaks = [
        ...(setup.names === 'full' ? [] : ['Example']),
        ...(fields.has('email') ? [] : ['alice@example.org']),
        ...(fields.has('member_id') ? [] : [ALICE.id]),
        ...(fields.has('notes') ? [] : ['Knee injury', 'bye', 'Guest pass', 'left early']),
        ...(fields.has('membership_type') ? [] : ['premium']),
        ...(fields.has('location') ? [] : ['Front desk', 'Pool entrance']),
      ].filter((secret) => everything.includes(secret));
      assert.deepEqual(leaks, [], `${setup.names} ${setup.fields}`);
    }
  });

  it('sends valid check-in objects the widgets decode', async () => {
    const { core } = await import('../../bench/lib/core.mjs');
    for (const { client } of runs) {
      for (const frame of [...client.of('member_checked_in'), ...client.of('member_checked_out')]) {
        assert.deepEqual(core.decodeFrame(JSON.stringify(frame)).errors, []);
      }
    }
  });
});
