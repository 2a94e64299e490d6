// Retry delays (src/core/backoff.ts): the full-jitter backoff and the slow pace of a refused page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SLOW_RETRY, backoffDelay, slowDelay } from '../../src/core/backoff.js';

const options = { initialDelay: 1000, maxDelay: 30_000 };
const always = (/** @type {number} */ r) => () => r;
/** Just below 1, the largest value Math.random gives in practice here. */
const TOP = 0.999_999;

describe('backoffDelay (full jitter)', () => {
  it('is floor(random · min(maxDelay, initialDelay · 2^attempt))', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const ceiling = Math.min(30_000, 1000 * 2 ** attempt);
      for (const r of [0, 0.25, 0.5, 0.7, TOP]) assert.equal(backoffDelay(attempt, options, always(r)), Math.floor(r * ceiling), `attempt ${attempt}, r ${r}`);
    }
  });

  it('doubles its ceiling from initialDelay until maxDelay, then stays there', () => {
    const top = (/** @type {number} */ attempt) => backoffDelay(attempt, options, always(TOP));
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 100, 10_000].map(top), [999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999, 29_999]);
    assert.equal(backoffDelay(0, { initialDelay: 300, maxDelay: 200 }, always(TOP)), 199);
  });

  it('rounds down, never up: the delay stays below its ceiling', () => {
    assert.equal(backoffDelay(0, options, always(0.0005)), 0);
    assert.equal(backoffDelay(1, options, always(0.4999)), 999);
  });

  it('stays a number however many attempts failed, also with a zero initial delay', () => {
    assert.equal(backoffDelay(2000, { initialDelay: 0, maxDelay: 30_000 }, always(0.5)), 0);
    assert.equal(backoffDelay(2000, options, always(0.5)), 15_000);
  });

  it('stays within [0, maxDelay) for any attempt and random value (property)', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 1_000_000 }), (attempt, r, initialDelay, maxDelay) => {
        const delay = backoffDelay(attempt, { initialDelay, maxDelay }, always(r));
        assert.ok(Number.isInteger(delay) && delay >= 0 && delay < Math.min(maxDelay, initialDelay * 2 ** Math.min(attempt, 30)), String(delay));
      }),
      { seed: 26, numRuns: 200 },
    );
  });

  it('spreads retries evenly over the whole window', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const buckets = [0, 0, 0, 0];
    for (let i = 0; i < 2000; i++) buckets[Math.floor(backoffDelay(3, options, random) / 2000)]++;
    for (const bucket of buckets) assert.ok(bucket >= 400 && bucket <= 600, String(buckets));
  });
});

describe('slowDelay', () => {
  it('waits 30 s to 5 min by default, doubling, never less than half its ceiling', () => {
    assert.deepEqual(SLOW_RETRY, { initialDelay: 60_000, maxDelay: 300_000 });
    assert.deepEqual([0, 1, 2, 3, 9, 1000].map((attempt) => slowDelay(attempt, always(0))), [30_000, 60_000, 120_000, 150_000, 150_000, 150_000]);
    assert.deepEqual([0, 1, 2, 3, 9, 1000].map((attempt) => slowDelay(attempt, always(TOP))), [59_999, 119_999, 239_999, 299_999, 299_999, 299_999]);
    assert.equal(slowDelay(0, always(0.5)), 45_000);
  });

  it('takes other options', () => {
    const fast = { initialDelay: 1000, maxDelay: 4000 };
    assert.deepEqual([0, 1, 2, 3].map((attempt) => slowDelay(attempt, always(0.5), fast)), [750, 1500, 3000, 3000]);
    assert.equal(slowDelay(0, always(0.3333), fast), 666);
    assert.equal(slowDelay(2000, always(0.5), { initialDelay: 0, maxDelay: 4000 }), 0);
  });
});
