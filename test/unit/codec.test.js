// The wire format (src/protocol/codec.ts, close-codes.ts): frames in, validated messages and the
// lines that say what was wrong out; requests in, frames out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FIELD_CAP, decodeFrame, encodeBatch, encodeMessage, readCheckIn } from '../../src/protocol/codec.js';
import { CloseCode, isAuthClose } from '../../src/protocol/close-codes.js';

const MEMBER = { id: 'm1', full_name: 'Alice Example' };
/** A check-in as the socket sends it. */
const CHECK_IN = { id: 'c1', member: MEMBER, location: 'Front desk', check_in_time: '2026-11-27T04:37:00+00:00', notes: 'Guest' };
/** The same, decoded: absent fields filled in. */
const DECODED = { ...CHECK_IN, check_out_time: null };
const STATS = { currentlyIn: 3, todayTotal: 17, averageStayMinutes: 52 };
const CHECK_IN_TYPES = ['member_checked_in', 'member_checked_out', 'check_in_success', 'check_out_success'];

const decode = (/** @type {unknown} */ frame) => decodeFrame(JSON.stringify(frame));
const ok = (/** @type {unknown[]} */ ...messages) => ({ messages, errors: [], truncated: [] });
const bad = (/** @type {string[]} */ ...errors) => ({ messages: [], errors, truncated: [] });

describe('decodeFrame: stats', () => {
  it('decodes both stats types into a copy of the three figures', () => {
    for (const type of ['initial_stats', 'check_in_stats']) {
      assert.deepEqual(decode({ type, payload: { ...STATS, extra: 1 } }), ok({ type, payload: STATS }), type);
    }
  });

  it('keeps the timestamp and the failure text when they are there, leaves them out when absent or null', () => {
    const payload = { ...STATS, timestamp: '2026-11-27T04:37:00+00:00', error: 'Stats calculation failed' };
    assert.deepEqual(decode({ type: 'initial_stats', payload }), ok({ type: 'initial_stats', payload }));
    assert.deepEqual(decode({ type: 'initial_stats', payload: { ...STATS, timestamp: null, error: null } }), ok({ type: 'initial_stats', payload: STATS }));
    assert.deepEqual(decode({ type: 'initial_stats', payload: { ...STATS, timestamp: 't' } }), ok({ type: 'initial_stats', payload: { ...STATS, timestamp: 't' } }));
    assert.deepEqual(decode({ type: 'initial_stats', payload: { ...STATS, error: 'e' } }), ok({ type: 'initial_stats', payload: { ...STATS, error: 'e' } }));
  });

  it('says which figure is missing, not a number, or not finite', () => {
    for (const key of ['currentlyIn', 'todayTotal', 'averageStayMinutes']) {
      assert.deepEqual(decode({ type: 'check_in_stats', payload: { ...STATS, [key]: '3' } }), bad(`${key} is not a number`));
      assert.deepEqual(decode({ type: 'check_in_stats', payload: { ...STATS, [key]: undefined } }), bad(`${key} is not a number`));
    }
    // JSON has no Infinity, but 1e999 parses to it.
    assert.deepEqual(decodeFrame('{"type":"initial_stats","payload":{"currentlyIn":1e999,"todayTotal":1,"averageStayMinutes":1}}'), bad('currentlyIn is not a number'));
    assert.deepEqual(decode({ type: 'initial_stats', payload: { ...STATS, timestamp: 5 } }), bad('timestamp is not a string'));
    assert.deepEqual(decode({ type: 'initial_stats', payload: { ...STATS, error: true } }), bad('error is not a string'));
    assert.deepEqual(decode({ type: 'initial_stats', payload: [1] }), bad('stats payload is not an object'));
  });
});

describe('decodeFrame: check-ins', () => {
  it('decodes every check-in type into a copy with the server’s defaults', () => {
    for (const type of CHECK_IN_TYPES) {
      assert.deepEqual(decode({ type, payload: { ...CHECK_IN, status: 'x', extra: 1 } }), ok({ type, payload: DECODED }), type);
      assert.deepEqual(decode({ type, payload: { ...CHECK_IN, id: 7 } }), bad('id is not a string'), type);
    }
  });

  it('keeps an absent or null location, notes and check-out time as null: absent, with no word put in their place', () => {
    const { location: _location, notes: _notes, ...bare } = CHECK_IN;
    const absent = { ...DECODED, location: null, notes: null };
    assert.deepEqual(decode({ type: 'member_checked_in', payload: bare }), ok({ type: 'member_checked_in', payload: absent }));
    assert.deepEqual(decode({ type: 'member_checked_in', payload: { ...bare, location: null, notes: null, check_out_time: null } }), ok({ type: 'member_checked_in', payload: absent }));
    // The REST history reads the same way (the feed's history, the gateway's catch-up).
    assert.deepEqual(readCheckIn({ ...bare, location: null, notes: null }), absent);
  });

  it('keeps an empty location and notes as the server sent them, and each absent one on its own', () => {
    for (const [key, value, expected] of /** @type {const} */ ([
      ['location', '', ''],
      ['location', null, null],
      ['notes', '', ''],
      ['notes', null, null],
    ])) {
      assert.deepEqual(decode({ type: 'member_checked_out', payload: { ...CHECK_IN, [key]: value } }), ok({ type: 'member_checked_out', payload: { ...DECODED, [key]: expected } }), `${key}: ${value}`);
    }
  });

  it('puts no placeholder word anywhere in a check-in whose optional fields are all absent', () => {
    const member = { ...MEMBER, email: null, membership_type: null };
    const payload = { ...CHECK_IN, member, location: null, notes: null, check_out_time: null };
    const [message] = decode({ type: 'member_checked_in', payload }).messages;
    assert.doesNotMatch(JSON.stringify(message), /Unknown|n\/a|—|–|"undefined"|"null"/);
    assert.deepEqual(message, { type: 'member_checked_in', payload: { ...DECODED, member: MEMBER, location: null, notes: null } });
  });

  it('keeps the check-out time, the email and the membership type when they are there', () => {
    const member = { ...MEMBER, email: 'a@example.org', membership_type: 'premium' };
    const payload = { ...CHECK_IN, member, check_out_time: '2026-11-27T05:00:00+00:00' };
    assert.deepEqual(decode({ type: 'member_checked_out', payload }), ok({ type: 'member_checked_out', payload }));
    assert.deepEqual(decode({ type: 'member_checked_out', payload: { ...CHECK_IN, member: { ...MEMBER, email: 'e' } } }).messages, [
      { type: 'member_checked_out', payload: { ...DECODED, member: { ...MEMBER, email: 'e' } } },
    ]);
    assert.deepEqual(decode({ type: 'member_checked_out', payload: { ...CHECK_IN, member: { ...MEMBER, membership_type: 't', extra: 1 } } }).messages, [
      { type: 'member_checked_out', payload: { ...DECODED, member: { ...MEMBER, membership_type: 't' } } },
    ]);
  });

  it('says which field of a check-in is wrong', () => {
    const cases = [
      [{ ...CHECK_IN, check_in_time: null }, 'check_in_time is not a string'],
      [{ ...CHECK_IN, check_out_time: 5 }, 'check_out_time is not a string'],
      [{ ...CHECK_IN, location: 5 }, 'location is not a string'],
      [{ ...CHECK_IN, notes: {} }, 'notes is not a string'],
      [{ ...CHECK_IN, member: 'Alice' }, 'member is not an object'],
      [{ ...CHECK_IN, member: { ...MEMBER, id: 1 } }, 'member.id is not a string'],
      [{ ...CHECK_IN, member: { ...MEMBER, full_name: null } }, 'member.full_name is not a string'],
      [{ ...CHECK_IN, member: { ...MEMBER, email: 1 } }, 'member.email is not a string'],
      [{ ...CHECK_IN, member: { ...MEMBER, membership_type: 1 } }, 'member.membership_type is not a string'],
      [null, 'check-in payload is not an object'],
    ];
    for (const [payload, error] of cases) assert.deepEqual(decode({ type: 'check_in_success', payload }), bad(/** @type {string} */ (error)), String(error));
  });

  it('maps check_in_update onto the member_checked_* events by its status', () => {
    assert.deepEqual(decode({ type: 'check_in_update', payload: { ...CHECK_IN, status: 'checked_in' } }), ok({ type: 'member_checked_in', payload: DECODED }));
    assert.deepEqual(decode({ type: 'check_in_update', payload: { ...CHECK_IN, status: 'checked_out' } }), ok({ type: 'member_checked_out', payload: DECODED }));
    for (const status of ['gone', '', undefined]) assert.deepEqual(decode({ type: 'check_in_update', payload: { ...CHECK_IN, status } }), bad('check_in_update status is unknown'));
    assert.deepEqual(decode({ type: 'check_in_update', payload: 'x' }), bad('check_in_update payload is not an object'));
    assert.deepEqual(decode({ type: 'check_in_update', payload: { ...CHECK_IN, status: 'checked_in', id: null } }), bad('id is not a string'));
  });
});

describe('decodeFrame: replies and control frames', () => {
  it('decodes both error replies into their text', () => {
    for (const type of ['check_in_error', 'check_out_error']) {
      assert.deepEqual(decode({ type, payload: { error: 'Member not found', extra: 1 } }), ok({ type, payload: { error: 'Member not found' } }));
      assert.deepEqual(decode({ type, payload: { error: 1 } }), bad('error is not a string'));
      assert.deepEqual(decode({ type, payload: 'Member not found' }), bad('error payload is not an object'));
    }
  });

  it('decodes a heartbeat_ack with or without its timestamp', () => {
    assert.deepEqual(decode({ type: 'heartbeat_ack', timestamp: 't', payload: 1 }), ok({ type: 'heartbeat_ack', timestamp: 't' }));
    assert.deepEqual(decode({ type: 'heartbeat_ack' }), ok({ type: 'heartbeat_ack' }));
    assert.deepEqual(decode({ type: 'heartbeat_ack', timestamp: null }), ok({ type: 'heartbeat_ack' }));
    assert.deepEqual(decode({ type: 'heartbeat_ack', timestamp: 5 }), bad('timestamp is not a string'));
  });

  it('decodes an error frame, keeping `retry` only when it is true', () => {
    assert.deepEqual(decode({ type: 'error', message: 'busy', retry: true }), ok({ type: 'error', message: 'busy', retry: true }));
    for (const retry of [false, null, 'true', 1, undefined]) assert.deepEqual(decode({ type: 'error', message: 'busy', retry }), ok({ type: 'error', message: 'busy' }), String(retry));
    assert.deepEqual(decode({ type: 'error', payload: { message: 'busy' } }), bad('message is not a string'));
  });

  it('passes an unknown type through with its payload as it came', () => {
    assert.deepEqual(decode({ type: 'future_thing', payload: { a: 1 } }), ok({ type: 'future_thing', payload: { a: 1 } }));
    assert.deepEqual(decode({ type: 'future_thing', data: [1] }), ok({ type: 'future_thing', payload: [1] }));
    assert.deepEqual(decode({ type: 'future_thing' }), ok({ type: 'future_thing', payload: undefined }));
  });

  it('reads `data` where `payload` is absent or null (the documented form), `payload` first', () => {
    assert.deepEqual(decode({ type: 'check_in_stats', data: STATS }), ok({ type: 'check_in_stats', payload: STATS }));
    assert.deepEqual(decode({ type: 'check_in_stats', payload: null, data: STATS }), ok({ type: 'check_in_stats', payload: STATS }));
    assert.deepEqual(decode({ type: 'check_in_stats', payload: STATS, data: { ...STATS, currentlyIn: 9 } }), ok({ type: 'check_in_stats', payload: STATS }));
  });
});

describe('decodeFrame: batches', () => {
  it('expands a batch in key order, judging each item on its own', () => {
    const frame = { type: 'batch', payload: { batches: { check_in_stats: [STATS, { currentlyIn: 'x' }], member_checked_in: [CHECK_IN] } } };
    assert.deepEqual(decode(frame), {
      messages: [
        { type: 'check_in_stats', payload: STATS },
        { type: 'member_checked_in', payload: DECODED },
      ],
      errors: ['currentlyIn is not a number'],
      truncated: [],
    });
  });

  it('reads the batches beside `type` too (the shape the client sends)', () => {
    assert.deepEqual(decode({ type: 'batch', batches: { check_in_stats: [STATS] } }), ok({ type: 'check_in_stats', payload: STATS }));
    assert.deepEqual(decode({ type: 'batch', payload: 5, batches: { check_in_stats: [STATS] } }), ok({ type: 'check_in_stats', payload: STATS }));
    assert.deepEqual(decode({ type: 'batch', payload: { batches: { check_in_stats: [STATS] } }, batches: {} }), ok({ type: 'check_in_stats', payload: STATS }));
  });

  it('says what is wrong with a batch: no batches, an entry that is no list, a batch inside a batch', () => {
    assert.deepEqual(decode({ type: 'batch', payload: {} }), bad('batches is not an object'));
    assert.deepEqual(decode({ type: 'batch', payload: { batches: { check_in_stats: 5, member_checked_in: [CHECK_IN] } } }), {
      messages: [{ type: 'member_checked_in', payload: DECODED }],
      errors: ['batch entry "check_in_stats" is not a list'],
      truncated: [],
    });
    assert.deepEqual(decode({ type: 'batch', payload: { batches: { batch: [{}, { batches: {} }] } } }), bad('batch nested in a batch', 'batch nested in a batch'));
    // An item's own `type` key is its payload's business: the batch key decides.
    assert.deepEqual(decode({ type: 'batch', payload: { batches: { x: [{ type: 'batch', batches: {} }] } } }), ok({ type: 'x', payload: { type: 'batch', batches: {} } }));
  });
});

describe('decodeFrame: frames that are no message', () => {
  it('reports them instead of throwing', () => {
    assert.deepEqual(decodeFrame(new ArrayBuffer(3)), bad('binary frame'));
    assert.deepEqual(decodeFrame(undefined), bad('binary frame'));
    assert.deepEqual(decodeFrame('{not json'), bad('not JSON'));
    assert.deepEqual(decodeFrame(''), bad('not JSON'));
    for (const data of ['[1,2,3]', '"str"', 'null', '7']) assert.deepEqual(decodeFrame(data), bad('frame is not an object'), data);
    assert.deepEqual(decode({ payload: {} }), bad('type is not a string'));
    assert.deepEqual(decode({ type: 7 }), bad('type is not a string'));
  });

  it('copies only known fields, so a __proto__ key pollutes nothing', () => {
    const { messages } = decodeFrame('{"type":"initial_stats","payload":{"currentlyIn":1,"todayTotal":1,"averageStayMinutes":1,"__proto__":{"polluted":true}}}');
    assert.equal(/** @type {any} */ ({}).polluted, undefined);
    const { payload } = /** @type {any} */ (messages[0]);
    assert.equal(Object.getPrototypeOf(payload), Object.prototype);
    assert.equal('polluted' in payload, false);
  });
});

describe('field caps', () => {
  const long = (/** @type {string} */ text) => `${text}${'x'.repeat(100_000)}`;
  const named = (/** @type {string} */ full_name) => ({ ...CHECK_IN, member: { ...MEMBER, full_name } });
  const shownName = (/** @type {string} */ full_name) => /** @type {any} */ (decode({ type: 'member_checked_in', payload: named(full_name) }).messages[0]).payload.member.full_name;

  it(`cuts a name, location and notes longer than ${FIELD_CAP} characters with "…", and says which`, () => {
    assert.equal(FIELD_CAP, 200);
    const decoded = decode({ type: 'member_checked_in', payload: { ...named(long('Alice ')), location: long('Desk '), notes: long('Note ') } });
    assert.deepEqual(decoded, {
      messages: [
        {
          type: 'member_checked_in',
          payload: { ...DECODED, member: { ...MEMBER, full_name: `Alice ${'x'.repeat(194)}…` }, location: `Desk ${'x'.repeat(195)}…`, notes: `Note ${'x'.repeat(195)}…` },
        },
      ],
      errors: [],
      truncated: ['member.full_name longer than 200 characters: cut', 'location longer than 200 characters: cut', 'notes longer than 200 characters: cut'],
    });
  });

  it('keeps 200 characters as they are, and cuts 201', () => {
    assert.deepEqual(decode({ type: 'member_checked_in', payload: named('a'.repeat(200)) }), ok({ type: 'member_checked_in', payload: { ...DECODED, member: { ...MEMBER, full_name: 'a'.repeat(200) } } }));
    assert.equal(shownName('a'.repeat(201)), `${'a'.repeat(200)}…`);
    assert.equal(shownName('a'.repeat(250)), `${'a'.repeat(200)}…`);
  });

  it('never cuts inside a grapheme: a flag, an accented letter, a letter with many marks', () => {
    // A flag is four UTF-16 units, an accented letter two.
    assert.equal(shownName(`${'a'.repeat(198)}🇳🇴🇳🇴`), `${'a'.repeat(198)}…`);
    assert.equal(shownName(`${'a'.repeat(196)}🇳🇴🇳🇴`), `${'a'.repeat(196)}🇳🇴…`);
    assert.equal(shownName(`${'a'.repeat(198)}e\u0301e\u0301`), `${'a'.repeat(198)}e\u0301…`);
    assert.equal(shownName(`${'a'.repeat(198)}e${'\u0301'.repeat(100)}`), `${'a'.repeat(198)}…`);
  });

  it('cuts in batch items and in check_in_update too, and says nothing of a check-in dropped as malformed', () => {
    const longName = named(long(''));
    assert.deepEqual(decode({ type: 'batch', payload: { batches: { member_checked_in: [longName, longName] } } }).truncated, [
      'member.full_name longer than 200 characters: cut',
      'member.full_name longer than 200 characters: cut',
    ]);
    assert.deepEqual(decode({ type: 'check_in_update', payload: { ...longName, status: 'checked_in' } }).truncated, ['member.full_name longer than 200 characters: cut']);
    assert.deepEqual(decode({ type: 'member_checked_in', payload: { ...longName, check_in_time: 7 } }), bad('check_in_time is not a string'));
  });
});

describe('readCheckIn', () => {
  it('reads the REST shape, as it is', () => {
    const rest = { id: 'r1', member: { id: 'm1', full_name: 'Bob', membership_type: 'premium' }, check_in_time: '2026-11-27T04:00:00Z', check_out_time: null, location: 'Gym', notes: '' };
    assert.deepEqual(readCheckIn(rest), rest);
  });

  it('cuts long fields the same way, telling the callback of each, and works without one', () => {
    /** @type {string[]} */
    const cut = [];
    const visit = readCheckIn({ ...CHECK_IN, member: { ...MEMBER, full_name: 'B'.repeat(300) }, notes: 'n'.repeat(201) }, (line) => cut.push(line));
    assert.equal(visit.member.full_name, `${'B'.repeat(200)}…`);
    assert.equal(visit.notes, `${'n'.repeat(200)}…`);
    assert.deepEqual(cut, ['member.full_name longer than 200 characters: cut', 'notes longer than 200 characters: cut']);
    assert.equal(readCheckIn({ ...CHECK_IN, location: 'l'.repeat(300) }).location, `${'l'.repeat(200)}…`);
  });

  it('throws on a malformed one (its caller decides what that means)', () => {
    assert.throws(() => readCheckIn({ ...CHECK_IN, id: 1 }), { message: 'id is not a string' });
  });
});

describe('encoding', () => {
  it('sends `payload`, never `data`, and leaves it out when there is none', () => {
    assert.equal(encodeMessage({ type: 'heartbeat' }), '{"type":"heartbeat"}');
    assert.equal(encodeMessage(/** @type {any} */ ({ type: 'check_in', payload: { memberId: 'm1' } })), '{"type":"check_in","payload":{"memberId":"m1"}}');
  });

  it('sends a lone item as a plain frame, without the client’s bookkeeping', () => {
    const item = /** @type {any} */ ({ type: 'check_out', payload: { checkInId: 'c1' }, reply: { resolve() {} } });
    assert.equal(encodeBatch([item]), '{"type":"check_out","payload":{"checkInId":"c1"}}');
  });

  it('sends several items as one batch frame, grouped by type in the order the types first come', () => {
    const items = /** @type {any[]} */ ([
      { type: 'check_out', payload: { checkInId: 'c1' } },
      { type: 'check_in', payload: { memberId: 'm1' } },
      { type: 'check_out', payload: { checkInId: 'c2' } },
    ]);
    assert.equal(encodeBatch(items), '{"type":"batch","batches":{"check_out":[{"checkInId":"c1"},{"checkInId":"c2"}],"check_in":[{"memberId":"m1"}]}}');
    assert.equal(encodeBatch(items.slice(0, 2)), '{"type":"batch","batches":{"check_out":[{"checkInId":"c1"}],"check_in":[{"memberId":"m1"}]}}');
  });

  it('gives back what it encoded when the frame is decoded again (property)', () => {
    const payload = fc.record({ memberId: fc.string({ maxLength: 8 }), location: fc.string({ maxLength: 8 }) }, { requiredKeys: ['memberId'], noNullPrototype: true });
    fc.assert(
      fc.property(fc.array(payload, { minLength: 2, maxLength: 6 }), (payloads) => {
        const frame = JSON.parse(encodeBatch(payloads.map((p) => /** @type {any} */ ({ type: 'check_in', payload: p }))));
        assert.deepEqual(frame, { type: 'batch', batches: { check_in: payloads } });
        assert.deepEqual(
          decodeFrame(JSON.stringify(frame)).messages,
          payloads.map((p) => ({ type: 'check_in', payload: p })),
        );
      }),
      { seed: 26, numRuns: 100 },
    );
  });
});

describe('the tolerant reader (properties)', () => {
  const nullable = (/** @type {fc.Arbitrary<string>} */ valid) => fc.option(valid, { nil: null });
  const text = fc.string({ maxLength: 12 });
  const member = fc.record({ id: text, full_name: text, email: nullable(text), membership_type: nullable(text) }, { requiredKeys: ['id', 'full_name'] });
  const checkIn = fc.record({ id: text, member, location: nullable(text), check_in_time: text, check_out_time: nullable(text), notes: nullable(text) }, { requiredKeys: ['id', 'member', 'check_in_time'] });
  /** The fields that are there and not null. */
  const present = (/** @type {object} */ value) => Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null && field !== undefined));

  it('accepts every check-in whose optional fields are absent, null or valid, keeping absent and null as null', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CHECK_IN_TYPES), fc.constantFrom('payload', 'data'), checkIn, (type, key, payload) => {
        const expected = {
          id: payload.id,
          member: present(payload.member),
          location: payload.location ?? null,
          check_in_time: payload.check_in_time,
          check_out_time: payload.check_out_time ?? null,
          notes: payload.notes ?? null,
        };
        assert.deepEqual(decode({ type, [key]: payload }), ok({ type, payload: expected }));
      }),
      { seed: 26, numRuns: 200 },
    );
  });
});

describe('close codes', () => {
  it('takes 4001, 4401 and 4403 as auth closes, and nothing else', () => {
    assert.deepEqual([CloseCode.Unauthorized, CloseCode.AuthRequired, CloseCode.Forbidden], [4001, 4401, 4403]);
    assert.deepEqual([4001, 4401, 4403].map(isAuthClose), [true, true, true]);
    assert.deepEqual([CloseCode.Normal, CloseCode.Abnormal, CloseCode.HeartbeatTimeout, 4002, 4400, 4404, 403, 401].map(isAuthClose), [false, false, false, false, false, false, false, false]);
    assert.deepEqual([CloseCode.Normal, CloseCode.Abnormal, CloseCode.HeartbeatTimeout], [1000, 1006, 4000]);
  });
});
