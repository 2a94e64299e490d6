// The gateway's per-client limits as plain values (gateway/src/downstream.ts: take, keepsUp).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { keepsUp, take } from '../../gateway/src/downstream.js';

describe('take (token bucket)', () => {
  it('takes the cost from a full bucket, and refuses what is not there', () => {
    const bucket = { level: 10, at: 1000 };
    assert.equal(take(bucket, 4, 1, 10, 1000), true);
    assert.deepEqual(bucket, { level: 6, at: 1000 });
    assert.equal(take(bucket, 6, 1, 10, 1000), true);
    assert.deepEqual(bucket, { level: 0, at: 1000 });
    assert.equal(take(bucket, 1, 1, 10, 1000), false);
    assert.deepEqual(bucket, { level: 0, at: 1000 });
  });

  it('refills at `rate` a second since it was last used, up to `burst`', () => {
    const bucket = { level: 0, at: 10_000 };
    assert.equal(take(bucket, 3, 2, 10, 11_000), false);
    assert.deepEqual(bucket, { level: 2, at: 11_000 });
    assert.equal(take(bucket, 3, 2, 10, 11_500), true);
    assert.deepEqual(bucket, { level: 0, at: 11_500 });
    assert.equal(take(bucket, 1, 2, 10, 100_000), true);
    assert.deepEqual(bucket, { level: 9, at: 100_000 });
  });

  it('never holds more than `burst` (property)', () => {
    fc.assert(
      fc.property(fc.nat(100), fc.integer({ min: 1, max: 50 }), fc.array(fc.tuple(fc.nat(5000), fc.nat(10)), { maxLength: 30 }), (rate, burst, steps) => {
        const bucket = { level: burst, at: 0 };
        let now = 0;
        for (const [wait, cost] of steps) {
          now += wait;
          const before = Math.min(burst, bucket.level + (wait * rate) / 1000);
          const taken = take(bucket, cost, rate, burst, now);
          assert.equal(taken, before >= cost);
          assert.equal(bucket.level, taken ? before - cost : before);
          assert.ok(bucket.level >= 0 && bucket.level <= burst);
        }
      }),
      { seed: 26, numRuns: 200 },
    );
  });
});

describe('keepsUp', () => {
  const limits = { maxBufferedBytes: 1000, slowClientMs: 5000 };

  it('never lets one client hold more than maxBufferedBytes', () => {
    assert.equal(keepsUp(600, 400, undefined, 0, limits), true);
    assert.equal(keepsUp(600, 401, undefined, 0, limits), false);
    assert.equal(keepsUp(0, 1001, undefined, 0, limits), false);
    assert.equal(keepsUp(1001, 0, undefined, 0, limits), false);
  });

  it('gives a client that fell behind slowClientMs to catch up, then no more', () => {
    assert.equal(keepsUp(900, 0, 10_000, 15_000, limits), true);
    assert.equal(keepsUp(900, 0, 10_000, 15_001, limits), false);
    assert.equal(keepsUp(900, 100, 10_000, 12_000, limits), true);
    assert.equal(keepsUp(900, 101, 10_000, 12_000, limits), false);
  });
});
