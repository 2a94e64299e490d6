import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { RealtimeClient } from '../../src/core/client.js';
import type { ConnectionState } from '../../src/core/client.js';
import { decodeFrame } from '../../src/protocol/codec.js';
import { FakeNetwork } from '../helpers/mock-gym.js';
import { until } from '../helpers/wait.js';

/**
 * 5,000 frames within `npm test`; `npm run test:fuzz` runs this file alone with 100,000
 * (`FUZZ_RUNS=n npm run test:fuzz` for another count): web-test-runner.fuzz.config.mjs
 * sets `FUZZ_RUNS` on the test page. The seed is fixed, so the short run is the first
 * 5,000 frames of the long one and a failure replays exactly.
 */
const RUNS = (globalThis as { FUZZ_RUNS?: number }).FUZZ_RUNS ?? 5_000;
const SEED = 20261127;

const visit = { id: 'v', member: { id: 'm', full_name: 'A', email: null }, location: 'L', check_in_time: '2026-11-27T08:00:00+00:00', notes: '' };
const stats = { currentlyIn: 1, todayTotal: 2, averageStayMinutes: 3 };
const TYPES = ['initial_stats', 'check_in_stats', 'member_checked_in', 'member_checked_out', 'check_in_success', 'check_out_success', 'check_in_error', 'check_out_error', 'check_in_update', 'heartbeat_ack', 'error', 'batch', 'unknown_type'];

/** A value that is sometimes right and often of the wrong type. */
const field = (right: unknown) => fc.oneof(fc.constant(right), fc.anything({ maxDepth: 2 }), fc.constantFrom(null, undefined, '', 0, -1, Number.MAX_VALUE, true, [], {}));

/** Frames shaped like real ones, with fields of random types. */
const nearlyValid = fc
  .record({
    type: fc.oneof(fc.constantFrom(...TYPES), fc.anything({ maxDepth: 1 })),
    key: fc.constantFrom('payload', 'data', 'batches'),
    payload: fc.oneof(
      fc.record({ currentlyIn: field(1), todayTotal: field(2), averageStayMinutes: field(3), timestamp: field('t'), error: field('e') }, { requiredKeys: [] }),
      fc.record(
        { id: field('v'), member: fc.oneof(field(visit.member), fc.record({ id: field('m'), full_name: field('A') })), check_in_time: field('t'), check_out_time: field(null), location: field('L'), notes: field(''), status: field('checked_in') },
        { requiredKeys: [] },
      ),
      fc.record({ error: field('nope') }),
      fc.record({ batches: fc.dictionary(fc.constantFrom(...TYPES), fc.oneof(fc.array(fc.oneof(fc.constant(stats), fc.constant(visit), fc.anything({ maxDepth: 2 })), { maxLength: 4 }), fc.anything({ maxDepth: 1 }))) }),
    ),
    message: field('m'),
    timestamp: field('t'),
  })
  .map(({ type, key, payload, message, timestamp }) => JSON.stringify({ type, [key]: payload, message, timestamp }));

/** JSON text with keys that pollute prototypes when copied carelessly. */
const hostileKeys = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.constantFrom(...TYPES))
  .map(([key, type]) => `{"type":"${type}","payload":{"${key}":{"polluted":true},"currentlyIn":1,"todayTotal":1,"averageStayMinutes":1,"id":"x","member":{"${key}":{"polluted":true},"id":"m","full_name":"n"},"check_in_time":"t"},"${key}":{"polluted":true}}`);

/** A valid batch cut off anywhere. */
const batch = JSON.stringify({ type: 'batch', payload: { batches: { member_checked_in: [visit, visit], check_in_stats: [stats] } } });
const truncatedBatch = fc.nat({ max: batch.length - 1 }).map((end) => batch.slice(0, end));

const deepNesting = fc.nat({ max: 5000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
const hugeString = fc.nat({ max: 200_000 }).map((length) => JSON.stringify({ type: 'error', message: 'x'.repeat(length) }));
const binary = fc.uint8Array({ maxLength: 64 }).map((bytes) => bytes.buffer as ArrayBuffer);

const frames = fc.oneof(
  { arbitrary: fc.json({ maxDepth: 4 }), weight: 3 },
  { arbitrary: nearlyValid, weight: 6 },
  { arbitrary: hostileKeys, weight: 1 },
  { arbitrary: truncatedBatch, weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: deepNesting, weight: 1 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: binary, weight: 1 },
);

/** A socket the test drives directly: frames go straight to the client's handler. */
class DirectSocket {
  static current: DirectSocket | undefined;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  readyState = 1;
  constructor() {
    DirectSocket.current = this;
    queueMicrotask(() => this.onopen?.());
  }
  send(): void {}
  close(): void {
    this.readyState = 3;
  }
}

const STATES: ConnectionState[] = ['idle', 'connecting', 'open', 'reconnecting', 'offline', 'unauthorized', 'closed'];

describe('fuzzing the decoder and a live client', function () {
  this.timeout(120_000);

  it(`survives ${RUNS.toLocaleString('en')} generated frames: nothing thrown, nothing polluted, every bad frame counted`, async () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).join();
    const client = new RealtimeClient({ url: 'ws://fuzz.test/ws/checkins/', token: 't', WebSocket: DirectSocket as never, environment: new FakeNetwork(), heartbeatInterval: 3_600_000 });
    let delivered = 0;
    let reportedErrors = 0;
    client.subscribe('*', () => delivered++);
    client.on('protocol-error', () => reportedErrors++);
    client.connect();
    await until(() => client.state === 'open', 'the direct socket to open');
    const socket = DirectSocket.current!;

    let expectedErrors = 0;
    let decodedMessages = 0;
    let runs = 0;
    fc.assert(
      fc.property(frames, (data) => {
        runs++;
        const decoded = decodeFrame(data);
        for (const message of decoded.messages) expect(typeof message.type).to.equal('string');
        for (const error of decoded.errors) expect(error).to.be.a('string');
        // A field cut at the cap is reported like a malformed frame.
        expectedErrors += decoded.errors.length + decoded.truncated.length;
        decodedMessages += decoded.messages.length;
        socket.onmessage!({ data });
      }),
      { numRuns: RUNS, seed: SEED },
    );

    expect(runs).to.equal(RUNS);
    expect(Object.getOwnPropertyNames(Object.prototype).join()).to.equal(prototypeKeys);
    expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
    expect(STATES).to.include(client.state);
    expect(client.state).to.equal('open');
    expect(client.metrics.framesIn).to.equal(RUNS);
    expect(client.metrics.protocolErrors).to.equal(expectedErrors);
    expect(reportedErrors).to.equal(expectedErrors);
    expect(expectedErrors).to.be.greaterThan(RUNS / 4);
    // Every decoded message reached subscribers, except repeats of the same check-in (delivered once).
    expect(delivered).to.be.at.most(decodedMessages).and.greaterThan(decodedMessages / 4);
    client.dispose();
  });
});
