import { expect } from '@open-wc/testing';
import { slowDelay } from '../../src/core/backoff.js';
import { decideAfterLoss, decideOnSignal, freshCounters, isRefusal, judgeRestCheck, judgeSilence, type LossFacts } from '../../src/core/policy.js';

const facts = (overrides: Partial<LossFacts> = {}): LossFacts => ({
  wasOpen: false,
  openFor: 0,
  stableAfter: 5000,
  now: 0,
  refusedAfter: 60_000,
  code: 1006,
  refreshable: true,
  canVerify: false,
  restCheck: 'unknown',
  counters: freshCounters(),
  ...overrides,
});

describe('connection policy (pure)', () => {
  describe('decideAfterLoss', () => {
    it('retries a failed handshake; without a REST API to ask, with a fresh token every second one in a row; with one, keeping the token', () => {
      const first = decideAfterLoss(facts());
      expect(first).to.deep.equal({ next: 'retry', freshToken: false, verify: false, counters: { failures: 0, neverOpened: 1, failingSince: 0, authCloses: 0 } });
      const second = decideAfterLoss(facts({ counters: first.counters }));
      expect(second.freshToken).to.equal(true);
      expect(second.counters.neverOpened).to.equal(2);
      expect(decideAfterLoss(facts({ counters: second.counters })).freshToken).to.equal(false);
      expect(decideAfterLoss(facts({ canVerify: true, counters: first.counters })).freshToken).to.equal(false);
    });

    /** The decisions after `n` failed handshakes in a row, `every` ms apart. */
    const run = (n: number, overrides: Partial<LossFacts> = {}, every = 10_000) => {
      let counters = freshCounters();
      const decisions = [];
      for (let i = 0; i < n; i++) {
        const decision = decideAfterLoss(facts({ ...overrides, now: i * every, counters }));
        decisions.push(decision);
        counters = decision.counters;
      }
      return decisions;
    };

    it('asks the REST API about the token at the first failed handshake and every fourth in a row, when there is one', () => {
      expect(run(12, { canVerify: true }).map((decision) => decision.verify)).to.deep.equal([true, false, false, true, false, false, false, true, false, false, false, true]);
      expect(run(12).some((decision) => decision.verify)).to.equal(false);
    });

    it('takes the eighth failed handshake in a row, a minute or more after the first, as a refusal, unless the REST API took the token or found the server down, with a fresh token next', () => {
      for (const canVerify of [false, true]) {
        expect(run(9, { canVerify }).map((decision) => decision.next)).to.deep.equal([...Array<string>(7).fill('retry'), 'refused', 'refused']);
      }
      // Eight quick failures are a restart, not a refusal: they must also last refusedAfter.
      expect(run(14, {}, 5000).map((decision) => decision.next).indexOf('refused')).to.equal(12);
      for (const restCheck of ['down', 'valid'] as const) {
        expect(run(20, { canVerify: true, restCheck }).every((decision) => decision.next === 'retry'), `the REST API said ${restCheck}`).to.equal(true);
      }
      const counters = run(9).at(-1)!.counters;
      expect(decideAfterLoss(facts({ counters, now: 90_000 })).freshToken).to.equal(true);
      expect(decideAfterLoss(facts({ counters, refreshable: false })).freshToken).to.equal(false);
    });

    it('forgets failed handshakes once a link opened', () => {
      const decision = decideAfterLoss(facts({ wasOpen: true, code: 1006, counters: { failures: 3, neverOpened: 7, failingSince: 0, authCloses: 0 } }));
      expect(decision.counters.neverOpened).to.equal(0);
      expect(decideAfterLoss(facts({ counters: decision.counters })).next).to.equal('retry');
    });

    it('never asks a fixed token to refresh', () => {
      const second = decideAfterLoss(facts({ refreshable: false, counters: { failures: 1, neverOpened: 1, failingSince: 0, authCloses: 0 } }));
      expect(second).to.include({ next: 'retry', freshToken: false });
    });

    it('keeps the backoff when the link was open only briefly, resets it once the link was stable', () => {
      const counters = { failures: 4, neverOpened: 0, failingSince: 0, authCloses: 0 };
      expect(decideAfterLoss(facts({ wasOpen: true, openFor: 4999, counters })).counters.failures).to.equal(4);
      expect(decideAfterLoss(facts({ wasOpen: true, openFor: 5000, counters })).counters.failures).to.equal(0);
    });

    it('treats an auth close of a fixed token as unauthorized at once', () => {
      expect(decideAfterLoss(facts({ wasOpen: true, code: 4001, refreshable: false })).next).to.equal('unauthorized');
    });

    it('gives a refreshable source one fresh token after an auth close, and gives up on the second', () => {
      const first = decideAfterLoss(facts({ wasOpen: true, code: 4403 }));
      expect(first).to.include({ next: 'retry', freshToken: true });
      expect(decideAfterLoss(facts({ wasOpen: true, code: 4401, counters: first.counters })).next).to.equal('unauthorized');
    });

    it('does not treat a normal or abnormal close as an auth close', () => {
      for (const code of [1000, 1006, 4000]) expect(decideAfterLoss(facts({ wasOpen: true, code })).next).to.equal('retry');
    });
  });

  describe('isRefusal and judgeRestCheck', () => {
    it('takes only 401 as a refused token: 403 is a valid token without the permission', () => {
      expect([401, 403, 200, 404, 500].map(isRefusal)).to.deep.equal([true, false, false, false, false]);
    });

    it('reads the REST answer as refused, valid (2xx, 403), down (no answer from our origin) or unknown', () => {
      expect([401, 200, 204, 403, 404, 500].map((status) => judgeRestCheck(status, true))).to.deep.equal(['refused', 'valid', 'valid', 'valid', 'unknown', 'unknown']);
      expect([judgeRestCheck(undefined, true), judgeRestCheck(undefined, false)]).to.deep.equal(['down', 'unknown']);
    });
  });

  describe('slowDelay', () => {
    it('waits 30 s to 5 min, doubling, never less than half its ceiling', () => {
      expect([0, 1, 2, 3, 9].map((attempt) => slowDelay(attempt, () => 0))).to.deep.equal([30_000, 60_000, 120_000, 150_000, 150_000]);
      expect([0, 1, 2, 3, 9].map((attempt) => slowDelay(attempt, () => 0.999_999))).to.deep.equal([59_999, 119_999, 239_999, 299_999, 299_999]);
    });
  });

  describe('judgeSilence', () => {
    it('waits out a timer that fired early', () => {
      expect(judgeSilence(1000, 10_500, 10_000)).to.deep.equal({ verdict: 'wait', ms: 500 });
    });

    it('calls the link dead just after the timeout', () => {
      expect(judgeSilence(0, 10_000, 10_000).verdict).to.equal('dead');
      expect(judgeSilence(0, 15_000, 10_000).verdict).to.equal('dead');
    });

    it('blames a page that slept far past the timeout, not the server', () => {
      expect(judgeSilence(0, 15_001, 10_000).verdict).to.equal('asleep');
      // Short timeouts still allow a second of lateness.
      expect(judgeSilence(0, 2_900, 2_000).verdict).to.equal('dead');
      expect(judgeSilence(0, 3_001, 2_000).verdict).to.equal('asleep');
    });
  });

  describe('decideOnSignal', () => {
    it('stops waiting for a retry when the network goes away', () => {
      expect(decideOnSignal('reconnecting', 'offline')).to.equal('offline');
      expect(decideOnSignal('refused', 'offline')).to.equal('offline');
      expect(decideOnSignal('connecting', 'offline')).to.equal('none');
    });

    it('checks an open link at once when the network goes away, instead of trusting it', () => {
      expect(decideOnSignal('open', 'offline')).to.equal('check');
      expect(decideOnSignal('checking', 'offline')).to.equal('none');
      expect(decideOnSignal('checking', 'online')).to.equal('none');
    });

    it('checks again when a hidden tab that was checking comes into view (its throttled check may have been judged asleep)', () => {
      expect(decideOnSignal('checking', 'visible')).to.equal('check');
    });

    it('asks the token source again when a signed-out page comes back online or into view', () => {
      expect(decideOnSignal('unauthorized', 'online')).to.equal('recheck');
      expect(decideOnSignal('unauthorized', 'visible')).to.equal('recheck');
      expect(decideOnSignal('unauthorized', 'offline')).to.equal('none');
    });

    it('tries at once when the network comes back or the page becomes visible while down', () => {
      for (const state of ['offline', 'reconnecting', 'refused'] as const) {
        expect(decideOnSignal(state, 'online')).to.equal('attempt');
        expect(decideOnSignal(state, 'visible')).to.equal('attempt');
      }
    });

    it('probes an open link when the page comes back to the foreground', () => {
      expect(decideOnSignal('open', 'visible')).to.equal('probe');
      expect(decideOnSignal('open', 'online')).to.equal('none');
      for (const state of ['idle', 'closed', 'connecting'] as const) expect(decideOnSignal(state, 'visible')).to.equal('none');
    });
  });
});
