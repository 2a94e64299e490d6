import { expect } from '@open-wc/testing';
import { backoffDelay } from '../../src/core/backoff.js';

describe('backoffDelay (full jitter)', () => {
  const options = { initialDelay: 1000, maxDelay: 30_000 };

  it('stays within [0, min(cap, initial · 2^attempt)] for any random value', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const ceiling = Math.min(30_000, 1000 * 2 ** attempt);
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const delay = backoffDelay(attempt, options, () => r);
        expect(delay, `attempt ${attempt}, r ${r}`).to.be.within(0, ceiling);
        expect(delay).to.equal(Math.floor(r * ceiling));
      }
    }
  });

  it('grows exponentially until the cap, then stays there', () => {
    const top = (attempt: number) => backoffDelay(attempt, options, () => 0.999999);
    expect([0, 1, 2, 3, 4].map(top)).to.deep.equal([999, 1999, 3999, 7999, 15_999]);
    expect(top(5)).to.equal(29_999);
    expect(top(100)).to.equal(29_999);
    expect(top(10_000)).to.equal(29_999);
  });

  it('spreads retries over the whole window', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const delays = Array.from({ length: 2000 }, () => backoffDelay(3, options, random));
    const buckets = [0, 0, 0, 0];
    for (const delay of delays) buckets[Math.floor(delay / 2000)]!++;
    for (const bucket of buckets) expect(bucket).to.be.within(400, 600);
  });
});
