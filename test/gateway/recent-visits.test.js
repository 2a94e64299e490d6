// The gateway's memory of visits: what counts as news to browsers, what a catch-up pushes and in
// which order, what the history endpoint serves, and that it stays bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
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

  it('keeps, in any order of arrival, exactly the newest check-ins a plain model keeps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 30 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 500 }), fc.boolean()), { maxLength: 120 }), (capacity, events) => {
        const visits = new gateway.RecentVisits(capacity);
        /** @type {Map<string, number>} id → minutes ago of its check-in, as a plain model */
        const model = new Map();
        for (const [n, minutesAgo, out] of events) {
          const id = `v${n}`;
          // One visit has one check-in time: the first one seen.
          const at = model.get(id) ?? minutesAgo;
          visits.record(visit(id, at / 60, out ? at / 120 : undefined));
          if (!model.has(id)) {
            model.set(id, at);
            if (model.size > capacity) {
              // The oldest check-in goes; of equals, any one, so compare only the times kept.
              const oldest = [...model].reduce((a, b) => (b[1] > a[1] ? b : a));
              model.delete(oldest[0]);
            }
          }
        }
        assert.equal(visits.size, model.size);
        const kept = visits.recent(now + 0).map((v) => v.check_in_time);
        const expected = [...model.values()].sort((a, b) => a - b).slice(0, 20).map((minutes) => iso(now - (minutes / 60) * HOUR));
        assert.deepEqual(kept, expected);
      }),
    );
  });

  it('forgets its oldest without reading every visit again: a bounded number of date parses per event', () => {
    const visits = new gateway.RecentVisits(200);
    for (let i = 0; i < 200; i++) visits.record(visit(`warm${i}`, 20 - i / 100));
    const parse = Date.parse;
    let parses = 0;
    Date.parse = (text) => (parses++, parse(text));
    try {
      for (let i = 0; i < 1000; i++) visits.record(visit(`v${i}`, 10 - i / 1000));
    } finally {
      Date.parse = parse;
    }
    // Two a visit (its event time and its check-in); a scan of the 200 kept would be 400.
    assert.ok(parses <= 2 * 1000, `${parses} date parses for 1,000 events`);
    assert.equal(visits.size, 200);
  });
});
