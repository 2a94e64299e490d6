import { expect } from '@open-wc/testing';
import { FIELD_CAP, decodeFrame, encodeBatch, encodeMessage, readCheckIn } from '../../src/protocol/codec.js';
import { isAuthClose } from '../../src/protocol/close-codes.js';

const checkIn = {
  id: 'a29957bc-178e-4a2c-bfb2-0e9e5ff331d2',
  member: { id: '00000000-0000-4000-8000-000000000001', full_name: 'Alice Example', email: null },
  location: 'Front desk',
  check_in_time: '2026-11-27T04:37:00.345985+00:00',
  notes: '',
};
const stats = { currentlyIn: 3, todayTotal: 17, averageStayMinutes: 52, timestamp: '2026-11-27T04:37:00.435369+00:00' };

describe('protocol codec', () => {
  describe('decodeFrame', () => {
    it('decodes stats and check-in messages into validated copies', () => {
      const stat = decodeFrame(JSON.stringify({ type: 'initial_stats', payload: stats }));
      expect(stat).to.deep.equal({ messages: [{ type: 'initial_stats', payload: stats }], errors: [], truncated: [] });
      const visit = decodeFrame(JSON.stringify({ type: 'member_checked_in', payload: checkIn }));
      expect(visit.errors).to.deep.equal([]);
      // `email: null` is absent like any other null: the copy leaves it out.
      const { email: _email, ...member } = checkIn.member;
      expect(visit.messages[0]).to.deep.equal({ type: 'member_checked_in', payload: { ...checkIn, member, check_out_time: null } });
    });

    it('keeps a stats failure flag and drops unknown keys', () => {
      const { messages } = decodeFrame(
        JSON.stringify({ type: 'check_in_stats', payload: { currentlyIn: 0, todayTotal: 0, averageStayMinutes: 0, error: 'Stats calculation failed', extra: 1 } }),
      );
      expect(messages[0]).to.deep.equal({
        type: 'check_in_stats',
        payload: { currentlyIn: 0, todayTotal: 0, averageStayMinutes: 0, error: 'Stats calculation failed' },
      });
    });

    it('keeps an absent location and notes as null: no word is put in their place', () => {
      const { location: _location, notes: _notes, ...bare } = checkIn;
      const { messages } = decodeFrame(JSON.stringify({ type: 'member_checked_out', payload: { ...bare, check_out_time: '2026-11-27T05:00:00+00:00' } }));
      expect(messages[0]).to.deep.include({ type: 'member_checked_out' });
      const { payload } = messages[0] as { payload: { location: string | null; notes: string | null } };
      expect(payload.location).to.equal(null);
      expect(payload.notes).to.equal(null);
    });

    it('treats null in every optional field as absent: the real server sends its nullable columns as null', () => {
      const nulls = { timestamp: null, error: null };
      expect(decodeFrame(JSON.stringify({ type: 'check_in_stats', payload: { ...stats, ...nulls } })).messages).to.deep.equal([
        { type: 'check_in_stats', payload: { currentlyIn: 3, todayTotal: 17, averageStayMinutes: 52 } },
      ]);
      const visit = { ...checkIn, member: { ...checkIn.member, email: null, membership_type: null }, location: null, notes: null, check_out_time: null };
      expect(decodeFrame(JSON.stringify({ type: 'member_checked_out', payload: visit }))).to.deep.equal({
        messages: [{ type: 'member_checked_out', payload: { ...checkIn, member: { id: checkIn.member.id, full_name: 'Alice Example' }, location: null, notes: null, check_out_time: null } }],
        errors: [],
        truncated: [],
      });
      expect(decodeFrame('{"type":"heartbeat_ack","timestamp":null}').messages).to.deep.equal([{ type: 'heartbeat_ack' }]);
      expect(decodeFrame('{"type":"error","message":"busy","retry":null}').messages).to.deep.equal([{ type: 'error', message: 'busy' }]);
      // A null `payload` is absent too, so the documented `data` form is read instead.
      expect(decodeFrame(JSON.stringify({ type: 'initial_stats', payload: null, data: stats })).messages).to.deep.equal([{ type: 'initial_stats', payload: stats }]);
    });

    it('still rejects null in a required field, as a reported error', () => {
      const cases: [object, string][] = [
        [{ type: null }, 'type is not a string'],
        [{ type: 'initial_stats', payload: { ...stats, currentlyIn: null } }, 'currentlyIn is not a number'],
        [{ type: 'initial_stats', payload: null }, 'stats payload is not an object'],
        [{ type: 'member_checked_in', payload: { ...checkIn, id: null } }, 'id is not a string'],
        [{ type: 'member_checked_in', payload: { ...checkIn, member: null } }, 'member is not an object'],
        [{ type: 'member_checked_in', payload: { ...checkIn, member: { ...checkIn.member, full_name: null } } }, 'member.full_name is not a string'],
        [{ type: 'member_checked_in', payload: { ...checkIn, check_in_time: null } }, 'check_in_time is not a string'],
        [{ type: 'check_in_error', payload: { error: null } }, 'error is not a string'],
        [{ type: 'error', message: null }, 'message is not a string'],
      ];
      for (const [frame, error] of cases) expect(decodeFrame(JSON.stringify(frame)), error).to.deep.equal({ messages: [], errors: [error], truncated: [] });
    });

    it('reads `data` where `payload` is expected (tolerant reader)', () => {
      const { messages } = decodeFrame(JSON.stringify({ type: 'check_in_stats', data: stats }));
      expect(messages).to.deep.equal([{ type: 'check_in_stats', payload: stats }]);
    });

    it('accepts the heartbeat_ack and error shapes, which carry no payload', () => {
      expect(decodeFrame('{"type":"heartbeat_ack","timestamp":"2026-11-27T04:37:34.551358+00:00"}').messages).to.deep.equal([
        { type: 'heartbeat_ack', timestamp: '2026-11-27T04:37:34.551358+00:00' },
      ]);
      expect(decodeFrame('{"type":"error","message":"Invalid JSON format"}').messages).to.deep.equal([{ type: 'error', message: 'Invalid JSON format' }]);
      expect(decodeFrame('{"type":"error","message":"busy","retry":true}').messages).to.deep.equal([{ type: 'error', message: 'busy', retry: true }]);
    });

    it('maps check_in_update onto the member_checked_* events', () => {
      const arrived = decodeFrame(JSON.stringify({ type: 'check_in_update', payload: { ...checkIn, status: 'checked_in' } }));
      const left = decodeFrame(JSON.stringify({ type: 'check_in_update', payload: { ...checkIn, status: 'checked_out' } }));
      expect(arrived.messages[0]!.type).to.equal('member_checked_in');
      expect(left.messages[0]!.type).to.equal('member_checked_out');
      expect(decodeFrame(JSON.stringify({ type: 'check_in_update', payload: { ...checkIn, status: 'gone' } })).errors).to.have.length(1);
    });

    it('expands an inbound batch and judges its items one by one', () => {
      const frame = { type: 'batch', payload: { batches: { check_in_stats: [stats, { currentlyIn: 'x' }], member_checked_in: [checkIn] } } };
      const { messages, errors } = decodeFrame(JSON.stringify(frame));
      expect(messages.map((m) => m.type)).to.deep.equal(['check_in_stats', 'member_checked_in']);
      expect(errors).to.deep.equal(['currentlyIn is not a number']);
      expect(decodeFrame('{"type":"batch","payload":{"batches":{"x":[{"type":"batch","batches":{}}]}}}').errors).to.deep.equal([]);
      expect(decodeFrame('{"type":"batch","payload":{"batches":{"batch":[{}]}}}').errors).to.deep.equal(['batch nested in a batch']);
      expect(decodeFrame('{"type":"batch","payload":{"batches":{"check_in_stats":5}}}').errors).to.have.length(1);
    });

    it('passes unknown types through untouched', () => {
      expect(decodeFrame('{"type":"future_thing","payload":{"a":1}}').messages).to.deep.equal([{ type: 'future_thing', payload: { a: 1 } }]);
    });

    it('reports malformed frames instead of throwing', () => {
      const cases: [unknown, string][] = [
        [new ArrayBuffer(3), 'binary frame'],
        ['{not json', 'not JSON'],
        ['[1,2,3]', 'frame is not an object'],
        ['"str"', 'frame is not an object'],
        ['null', 'frame is not an object'],
        ['{"payload":{}}', 'type is not a string'],
        ['{"type":"initial_stats","payload":{"currentlyIn":"3","todayTotal":1,"averageStayMinutes":1}}', 'currentlyIn is not a number'],
        ['{"type":"member_checked_in","payload":{"id":7}}', 'id is not a string'],
        ['{"type":"member_checked_in","payload":{"id":"x","member":"Alice"}}', 'member is not an object'],
        ['{"type":"check_in_error","payload":{"error":{}}}', 'error is not a string'],
        ['{"type":"error"}', 'message is not a string'],
      ];
      for (const [data, error] of cases) {
        expect(decodeFrame(data), String(data)).to.deep.equal({ messages: [], errors: [error], truncated: [] });
      }
    });

    it('copies only known fields, so __proto__ keys cannot pollute', () => {
      const { messages } = decodeFrame('{"type":"initial_stats","payload":{"currentlyIn":1,"todayTotal":1,"averageStayMinutes":1,"__proto__":{"polluted":true}}}');
      expect(({} as { polluted?: boolean }).polluted).to.equal(undefined);
      const { payload } = messages[0] as { payload: object };
      expect(Object.getPrototypeOf(payload)).to.equal(Object.prototype);
      expect('polluted' in payload).to.equal(false);
    });
  });

  describe('field caps', () => {
    const long = (text: string) => `${text}${'x'.repeat(1_000_000)}`;
    const frame = (payload: object) => JSON.stringify({ type: 'member_checked_in', payload });

    it('cuts a member name, location and notes longer than 200 characters with "…", and says which', () => {
      expect(FIELD_CAP).to.equal(200);
      const { messages, errors, truncated } = decodeFrame(
        frame({ ...checkIn, member: { ...checkIn.member, full_name: long('Alice ') }, location: long('Desk '), notes: long('Note ') }),
      );
      const { payload } = messages[0] as { payload: typeof checkIn };
      expect(payload.member.full_name).to.equal(`Alice ${'x'.repeat(194)}…`);
      expect(payload.location).to.equal(`Desk ${'x'.repeat(195)}…`);
      expect(payload.notes).to.have.length(201);
      expect(errors).to.deep.equal([]);
      expect(truncated).to.deep.equal([
        'member.full_name longer than 200 characters: cut',
        'location longer than 200 characters: cut',
        'notes longer than 200 characters: cut',
      ]);
    });

    it('keeps 200 characters as they are, and cuts before a grapheme that would cross the cap', () => {
      const at200 = 'a'.repeat(200);
      expect(decodeFrame(frame({ ...checkIn, member: { ...checkIn.member, full_name: at200 } })).truncated).to.deep.equal([]);
      // A flag is four UTF-16 units, an accented letter two: neither is split in half.
      const name = (tail: string) => (decodeFrame(frame({ ...checkIn, member: { ...checkIn.member, full_name: `${'a'.repeat(198)}${tail}` } })).messages[0] as { payload: typeof checkIn }).payload.member.full_name;
      expect(name('🇳🇴🇳🇴')).to.equal(`${'a'.repeat(198)}…`);
      expect(name('e\u0301e\u0301')).to.equal(`${'a'.repeat(198)}e\u0301…`);
      expect(name(`e${'\u0301'.repeat(100)}`)).to.equal(`${'a'.repeat(198)}…`);
    });

    it('cuts in batch items and in check_in_update too, and says nothing of a check-in dropped as malformed', () => {
      const named = { ...checkIn, member: { ...checkIn.member, full_name: long('') } };
      expect(decodeFrame(JSON.stringify({ type: 'batch', payload: { batches: { member_checked_in: [named, named] } } })).truncated).to.have.length(2);
      expect(decodeFrame(JSON.stringify({ type: 'check_in_update', payload: { ...named, status: 'checked_in' } })).truncated).to.have.length(1);
      const dropped = decodeFrame(frame({ ...named, check_in_time: 7 }));
      expect(dropped).to.deep.equal({ messages: [], errors: ['check_in_time is not a string'], truncated: [] });
    });

    it('readCheckIn cuts the REST shape the same way', () => {
      const cut: string[] = [];
      const visit = readCheckIn({ ...checkIn, member: { ...checkIn.member, full_name: long('Bob ') } }, (line) => cut.push(line));
      expect(visit.member.full_name).to.have.length(201);
      expect(cut).to.deep.equal(['member.full_name longer than 200 characters: cut']);
      expect(readCheckIn({ ...checkIn, notes: long('') }).notes).to.have.length(201);
    });
  });

  it('readCheckIn reads the REST shape too', () => {
    const rest = { id: 'r1', member: { id: 'm1', full_name: 'Bob', membership_type: 'premium' }, check_in_time: '2026-11-27T04:00:00Z', check_out_time: null, location: 'Gym', notes: '' };
    expect(readCheckIn(rest)).to.deep.equal(rest);
  });

  describe('encoding', () => {
    it('sends `payload`, never `data`, and omits it when there is none', () => {
      expect(encodeMessage({ type: 'heartbeat' })).to.equal('{"type":"heartbeat"}');
      expect(JSON.parse(encodeMessage({ type: 'check_in', payload: { memberId: 'm1' } }))).to.deep.equal({ type: 'check_in', payload: { memberId: 'm1' } });
      const withBookkeeping = { type: 'check_in', payload: { memberId: 'm1' }, reply: { resolve() {} } };
      expect(JSON.parse(encodeBatch([withBookkeeping as never]))).to.deep.equal({ type: 'check_in', payload: { memberId: 'm1' } });
    });

    it('sends a lone item as a plain frame and several as one batch frame', () => {
      expect(JSON.parse(encodeBatch([{ type: 'check_out', payload: { checkInId: 'c1' } }]))).to.deep.equal({ type: 'check_out', payload: { checkInId: 'c1' } });
      const batch = JSON.parse(
        encodeBatch([
          { type: 'check_in', payload: { memberId: 'm1' } },
          { type: 'check_out', payload: { checkInId: 'c1' } },
          { type: 'check_in', payload: { memberId: 'm2', location: 'Side door' } },
        ]),
      );
      expect(batch).to.deep.equal({
        type: 'batch',
        batches: { check_in: [{ memberId: 'm1' }, { memberId: 'm2', location: 'Side door' }], check_out: [{ checkInId: 'c1' }] },
      });
    });
  });

  it('classifies the auth close codes', () => {
    expect([4001, 4401, 4403].map(isAuthClose)).to.deep.equal([true, true, true]);
    expect([1000, 1006, 4000].map(isAuthClose)).to.deep.equal([false, false, false]);
  });
});
