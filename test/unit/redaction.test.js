// What the gateway lets the public see of a visit and of the figures (gateway/src/redaction.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIELDS, NAMES_MODES, STATS_FAILED, publicStats, redactName, redactVisit, restShape, socketShape } from '../../gateway/src/redaction.js';
import { readCheckIn } from '../../src/protocol/codec.js';

/** A decoded visit with every field set. */
const VISIT = {
  id: 'v1',
  member: { id: 'm1', full_name: 'Alice Example', email: 'alice@example.org', membership_type: 'premium' },
  location: 'Front desk',
  check_in_time: '2026-11-27T04:37:00.345985+00:00',
  check_out_time: '2026-11-27T05:37:00+00:00',
  notes: 'Knee injury',
};

const policy = (/** @type {string[]} */ fields, names = 'first', anonymousName = 'Member') =>
  /** @type {import('../../gateway/src/redaction.js').RedactionPolicy} */ ({ names, fields: new Set(fields), anonymousName });

describe('redactName', () => {
  it('shows a name as the feed’s `names` rule does', () => {
    assert.equal(redactName('Alice Example', 'full'), 'Alice Example');
    assert.equal(redactName('Alice Example', 'first'), 'Alice E.');
    assert.equal(redactName('Alice Example', 'initials'), 'A. E.');
    assert.equal(redactName('Alice Example', 'none'), 'Member');
    assert.equal(redactName('Alice Example', 'none', 'A member'), 'A member');
    assert.equal(redactName('山田 花子', 'first', 'A member'), 'A member');
  });

  it('knows the modes and the fields', () => {
    assert.deepEqual(NAMES_MODES, ['full', 'first', 'initials', 'none']);
    assert.deepEqual(FIELDS, ['location', 'notes', 'email', 'membership_type', 'member_id']);
  });
});

describe('redactVisit', () => {
  it('removes every optional field that is not listed, and keeps the id and the times', () => {
    assert.deepEqual(redactVisit(VISIT, policy([])), {
      id: 'v1',
      member: { id: '', full_name: 'Alice E.', email: null, membership_type: null },
      location: null,
      check_in_time: VISIT.check_in_time,
      check_out_time: VISIT.check_out_time,
      notes: null,
    });
  });

  it('lets each listed field through, and only that one', () => {
    const none = redactVisit(VISIT, policy([]));
    const passed = {
      location: { location: 'Front desk' },
      notes: { notes: 'Knee injury' },
      email: { member: { ...none.member, email: 'alice@example.org' } },
      membership_type: { member: { ...none.member, membership_type: 'premium' } },
      member_id: { member: { ...none.member, id: 'm1' } },
    };
    for (const [field, change] of Object.entries(passed)) assert.deepEqual(redactVisit(VISIT, policy([field])), { ...none, ...change }, field);
    assert.deepEqual(redactVisit(VISIT, policy([...FIELDS], 'full')), VISIT);
  });

  it('names the member by the policy’s mode and anonymous word', () => {
    assert.equal(redactVisit(VISIT, policy([], 'initials')).member.full_name, 'A. E.');
    assert.equal(redactVisit(VISIT, policy([], 'none', 'A member')).member.full_name, 'A member');
    assert.equal(redactVisit(VISIT, policy([], 'full')).member.full_name, 'Alice Example');
  });

  it('gives null for a listed field the visit does not have, and for a visit not checked out', () => {
    const bare = { ...VISIT, member: { id: 'm1', full_name: 'Alice Example' }, check_out_time: undefined };
    const visit = redactVisit(/** @type {any} */ (bare), policy([...FIELDS]));
    assert.deepEqual(visit.member, { id: 'm1', full_name: 'Alice E.', email: null, membership_type: null });
    assert.equal(visit.check_out_time, null);
    assert.equal(redactVisit({ ...VISIT, check_out_time: null }, policy([])).check_out_time, null);
  });

  it('passes on a location and notes AV-Gym sent as null (a kiosk visit) as null, listed or not: never a word in their place', () => {
    const upstream = readCheckIn({ ...VISIT, member: { id: 'm1', full_name: 'Alice Example', email: null }, location: null, notes: null });
    for (const fields of [[...FIELDS], ['location'], []]) {
      const visit = redactVisit(upstream, policy(fields));
      for (const shape of [socketShape(visit), restShape(visit)]) assert.deepEqual([shape.location, shape.notes], [null, null], `${fields.join(',') || 'none'}`);
    }
  });

  it('copies field by field: a field AV-Gym adds later does not leak', () => {
    const visit = { ...VISIT, phone: '555', member: { ...VISIT.member, address: 'Main St' } };
    const json = JSON.stringify(redactVisit(/** @type {any} */ (visit), policy([...FIELDS], 'full')));
    assert.ok(!json.includes('555') && !json.includes('Main St'), json);
  });
});

describe('socketShape and restShape', () => {
  const everything = () => redactVisit(VISIT, policy([...FIELDS]));

  it('writes the socket shape: check_out_time only once set, membership_type only when there is one', () => {
    const shown = everything();
    assert.deepEqual(socketShape(shown), {
      id: 'v1',
      member: { id: 'm1', full_name: 'Alice E.', email: 'alice@example.org', membership_type: 'premium' },
      location: 'Front desk',
      check_in_time: '2026-11-27T04:37:00.345985+00:00',
      check_out_time: '2026-11-27T05:37:00+00:00',
      notes: 'Knee injury',
    });
    const checkedIn = redactVisit({ ...VISIT, check_out_time: null }, policy(['location']));
    assert.deepEqual(socketShape(checkedIn), {
      id: 'v1',
      member: { id: '', full_name: 'Alice E.', email: null },
      location: 'Front desk',
      check_in_time: '2026-11-27T04:37:00.345985+00:00',
      notes: null,
    });
    assert.deepEqual(Object.keys(socketShape(shown)), ['id', 'member', 'location', 'check_in_time', 'check_out_time', 'notes']);
  });

  it('writes the REST shape: membership_type and never email, UTC times ending in Z', () => {
    assert.deepEqual(restShape(everything()), {
      id: 'v1',
      member: { id: 'm1', full_name: 'Alice E.', membership_type: 'premium' },
      check_in_time: '2026-11-27T04:37:00.345985Z',
      check_out_time: '2026-11-27T05:37:00Z',
      location: 'Front desk',
      notes: 'Knee injury',
    });
    assert.deepEqual(restShape(redactVisit({ ...VISIT, check_out_time: null }, policy([]))), {
      id: 'v1',
      member: { id: '', full_name: 'Alice E.', membership_type: null },
      check_in_time: '2026-11-27T04:37:00.345985Z',
      check_out_time: null,
      location: null,
      notes: null,
    });
  });

  it('rewrites only a trailing +00:00: a time with another offset, or already in Z, stays as it is', () => {
    const shown = everything();
    const visit = { ...shown, check_in_time: '2026-11-27T05:37:00+01:00', check_out_time: '2026-11-27T06:00:00Z' };
    assert.deepEqual([restShape(visit).check_in_time, restShape(visit).check_out_time], ['2026-11-27T05:37:00+01:00', '2026-11-27T06:00:00Z']);
    const odd = { ...shown, check_in_time: '+00:00T04:37:00+00:00' };
    assert.equal(restShape(odd).check_in_time, '+00:00T04:37:00Z');
  });
});

describe('publicStats', () => {
  const stats = { currentlyIn: 3, todayTotal: 17, averageStayMinutes: 52 };

  it('passes the three figures and the time', () => {
    assert.deepEqual(publicStats({ ...stats, timestamp: 't' }), { ...stats, timestamp: 't' });
    assert.deepEqual(publicStats(stats), stats);
    assert.deepEqual(publicStats(/** @type {any} */ ({ ...stats, extra: 'x' })), stats);
  });

  it('replaces whatever error AV-Gym wrote with a fixed word', () => {
    assert.equal(STATS_FAILED, 'Stats calculation failed');
    assert.deepEqual(publicStats({ ...stats, error: 'Traceback: Alice Example …' }), { ...stats, error: 'Stats calculation failed' });
    assert.deepEqual(publicStats({ ...stats, error: '' }), { ...stats, error: 'Stats calculation failed' });
  });
});
