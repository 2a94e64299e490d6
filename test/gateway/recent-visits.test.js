// The gateway's memory of visits: what counts as news to browsers, what a catch-up pushes and in
// which order, what the history endpoint serves, and that it stays bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gateway } from './helpers.js';

const HOUR = 3600_000;
const now = Date.parse('2026-11-27T12:00:00Z');
const iso = (/** @type {number} */ ms) => new Date(ms).toISOString().replace('Z', '000+00:00');

/** A redacted visit checked in `hoursAgo`, checked out `outHoursAgo` (if given). */
function visit(/** @type {string} */ id, /** @type {number} */ hoursAgo, /** @type {number | undefined} */ outHoursAgo = undefined) {
  return {
    id,
    member: { id: '', full_name: 'Alice E.', email: null, membership_type: null },
    location: 'Front desk',
    check_in_time: iso(now - hoursAgo * HOUR),
    check_out_time: outHoursAgo === undefined ? null : iso(now - outHoursAgo * HOUR),
    notes: null,
  };
}

describe('RecentVisits', () => {
  it('takes a new visit and a check-out as news; a repeat, or a check-in after its check-out, is not', () => {
    const visits = new gateway.RecentVisits(50);
    assert.equal(visits.record(visit('a', 2)), true);
    assert.equal(visits.record(visit('a', 2)), false);
    assert.equal(visits.record(visit('a', 2, 1)), true);
    assert.equal(visits.record(visit('a', 2, 1)), false);
    assert.equal(visits.record(visit('a', 2)), false, 'an older state');
  });

  it('catches up with what was missed, once each, oldest event first; a visit named twice counts once', () => {
    const visits = new gateway.RecentVisits(50);
    visits.record(visit('known-open', 5));
    visits.record(visit('known-closed', 6, 5.5));
    const missed = visits.catchUp([
      visit('new-open', 1),
      visit('known-open', 5, 2), // checked out while away
      visit('known-closed', 6, 5.5),
      visit('came-and-went', 4, 3),
      visit('came-and-went', 4),
    ]);
    assert.deepEqual(missed.map((v) => `${v.id} ${v.check_out_time ? 'out' : 'in'}`), ['came-and-went out', 'known-open out', 'new-open in']);
    assert.deepEqual(visits.catchUp([visit('new-open', 1)]), [], 'already pushed');
  });

  it('serves at most 20 visits of the last 24 h, newest check-in first', () => {
    const visits = new gateway.RecentVisits(100);
    for (let i = 0; i < 30; i++) visits.record(visit(`v${i}`, i));
    visits.record(visit('yesterday', 25));
    const recent = visits.recent(now);
    assert.equal(recent.length, 20);
    assert.deepEqual(recent.slice(0, 3).map((v) => v.id), ['v0', 'v1', 'v2']);
    assert.ok(!recent.some((v) => v.id === 'yesterday'));
  });

  it('stays within its capacity, forgetting the oldest check-ins first', () => {
    const visits = new gateway.RecentVisits(20);
    for (let i = 0; i < 25; i++) visits.record(visit(`v${i}`, 30 - i));
    assert.equal(visits.size, 20);
    assert.equal(visits.record(visit('v24', 6)), false, 'the newest are kept');
    assert.equal(visits.record(visit('v0', 30)), true, 'the oldest were forgotten');
  });
});
