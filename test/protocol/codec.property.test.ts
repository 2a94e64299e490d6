import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { decodeFrame } from '../../src/protocol/codec.js';
import { createHarness } from '../helpers/client-harness.js';

/**
 * Property tests of the tolerant reader on valid shapes: every optional field
 * is, independently, left out, `null` (the real server's nullable columns) or
 * a valid value. The seed is random on purpose; fast-check prints it on failure.
 */

/** Left out (fc.record's optional keys), `null`, or valid. */
const nullable = <T>(valid: fc.Arbitrary<T>) => fc.option(valid, { nil: null });
const text = fc.string({ maxLength: 12 });
const time = fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((date) => date.toISOString());

const member = fc.record({ id: fc.uuid(), full_name: text, email: nullable(text), membership_type: nullable(text) }, { requiredKeys: ['id', 'full_name'] });
const checkIn = fc.record(
  { id: fc.uuid(), member, location: nullable(text), check_in_time: time, check_out_time: nullable(time), notes: nullable(text) },
  { requiredKeys: ['id', 'member', 'check_in_time'] },
);
const stats = fc.record(
  { currentlyIn: fc.nat(), todayTotal: fc.nat(), averageStayMinutes: fc.nat(), timestamp: nullable(time), error: nullable(text) },
  { requiredKeys: ['currentlyIn', 'todayTotal', 'averageStayMinutes'] },
);
const CHECK_IN_TYPES = ['member_checked_in', 'member_checked_out', 'check_in_success', 'check_out_success'] as const;
/** Both envelopes the reader accepts. */
const envelope = fc.constantFrom('payload', 'data');

/** The fields that are there and not null: what "null means absent" leaves. */
const present = (value: object) => Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null && field !== undefined));

const RUNS = { numRuns: 300 };

describe('protocol codec: properties of the tolerant reader', () => {
  it('accepts every check-in whose optional fields are absent, null or valid, keeping absent and null as null', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CHECK_IN_TYPES), envelope, checkIn, (type, key, payload) => {
        const expected = {
          id: payload.id,
          member: present(payload.member),
          location: payload.location ?? null,
          check_in_time: payload.check_in_time,
          check_out_time: payload.check_out_time ?? null,
          notes: payload.notes ?? null,
        };
        expect(decodeFrame(JSON.stringify({ type, [key]: payload }))).to.deep.equal({ messages: [{ type, payload: expected }], errors: [], truncated: [] });
      }),
      RUNS,
    );
  });

  it('accepts every stats object whose timestamp and error are absent, null or valid, leaving out the absent and null ones', () => {
    fc.assert(
      fc.property(fc.constantFrom('initial_stats', 'check_in_stats'), envelope, stats, (type, key, payload) => {
        expect(decodeFrame(JSON.stringify({ type, [key]: payload }))).to.deep.equal({ messages: [{ type, payload: present(payload) }], errors: [], truncated: [] });
      }),
      RUNS,
    );
  });

  it('accepts heartbeat_ack and error frames whose optional fields are absent, null or valid', () => {
    const ack = fc.record({ type: fc.constant('heartbeat_ack'), timestamp: nullable(time) }, { requiredKeys: ['type'] });
    const error = fc.record({ type: fc.constant('error'), message: text, retry: fc.constantFrom(null, true, false) }, { requiredKeys: ['type', 'message'] });
    fc.assert(
      fc.property(fc.oneof(ack, error), (frame) => {
        // `retry` is kept only when true: false, null and absent all mean "do not retry".
        const { retry } = frame as { retry?: boolean | null };
        const expected = present({ ...frame, retry: retry === true ? true : undefined });
        expect(decodeFrame(JSON.stringify(frame))).to.deep.equal({ messages: [expected], errors: [], truncated: [] });
      }),
      RUNS,
    );
  });

  it('rejects a required field set to null as one error the client counts, never a throw', async () => {
    const requiredNull = fc.oneof(
      fc.tuple(fc.constantFrom(...CHECK_IN_TYPES), checkIn, fc.constantFrom('id', 'member', 'check_in_time')).map(([type, payload, key]) => ({
        frame: { type, payload: { ...payload, [key]: null } },
        error: key === 'member' ? 'member is not an object' : `${key} is not a string`,
      })),
      fc.tuple(fc.constantFrom(...CHECK_IN_TYPES), checkIn, fc.constantFrom('id', 'full_name')).map(([type, payload, key]) => ({
        frame: { type, payload: { ...payload, member: { ...payload.member, [key]: null } } },
        error: `member.${key} is not a string`,
      })),
      fc.tuple(fc.constantFrom('initial_stats', 'check_in_stats'), stats, fc.constantFrom('currentlyIn', 'todayTotal', 'averageStayMinutes')).map(([type, payload, key]) => ({
        frame: { type, payload: { ...payload, [key]: null } },
        error: `${key} is not a number`,
      })),
    );
    const h = createHarness();
    try {
      await h.open();
      let delivered = 0;
      h.client.subscribe('*', () => delivered++);
      let runs = 0;
      fc.assert(
        fc.property(requiredNull, ({ frame, error }) => {
          runs++;
          expect(decodeFrame(JSON.stringify(frame))).to.deep.equal({ messages: [], errors: [error], truncated: [] });
          h.gym.send(frame);
        }),
        RUNS,
      );
      await h.tick(4);
      expect(runs).to.equal(RUNS.numRuns);
      expect(h.client.metrics.protocolErrors).to.equal(runs);
      expect(delivered).to.equal(0);
      expect(h.client.state).to.equal('open');
    } finally {
      h.restore();
    }
  });
});
