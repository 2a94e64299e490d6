// The client's connection rules (src/core/policy.ts) as plain values in, decisions out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  REFUSED_AFTER,
  TAKEOVER_JITTER,
  VERIFY_EVERY,
  decideAfterLoss,
  decideOnSignal,
  decideTakeover,
  freshCounters,
  isRefusal,
  judgeRestCheck,
  judgeSilence,
} from '../../src/core/policy.js';

/** @typedef {import('../../src/core/policy.js').LossFacts} LossFacts */
/** @typedef {import('../../src/core/policy.js').RetryCounters} RetryCounters */

/** A failed handshake (never opened) of a refreshable token source, without a REST URL. */
const facts = (/** @type {Partial<LossFacts>} */ overrides = {}) => /** @type {LossFacts} */ ({
  wasOpen: false,
  openFor: 0,
  stableAfter: 5000,
  now: 1_000_000,
  refusedAfter: 60_000,
  code: 1006,
  refreshable: true,
  canVerify: false,
  restCheck: 'unknown',
  counters: freshCounters(),
  ...overrides,
});

const counters = (/** @type {Partial<RetryCounters>} */ overrides = {}) => ({ ...freshCounters(), ...overrides });

/**
 * The decisions after `n` failed handshakes in a row, the first at 1,000,000 ms and then `every` ms apart.
 * @param {number} n @param {Partial<LossFacts>} [overrides] @param {number} [every]
 */
function failures(n, overrides = {}, every = 10_000) {
  let state = freshCounters();
  const decisions = [];
  for (let i = 0; i < n; i++) {
    const decision = decideAfterLoss(facts({ ...overrides, now: 1_000_000 + i * every, counters: state }));
    decisions.push(decision);
    state = decision.counters;
  }
  return decisions;
}

describe('freshCounters', () => {
  it('starts with nothing counted, and a new object each time', () => {
    assert.deepEqual(freshCounters(), { failures: 0, neverOpened: 0, failingSince: 0, authCloses: 0 });
    assert.notEqual(freshCounters(), freshCounters());
  });
});

describe('decideAfterLoss: a handshake that failed (never opened)', () => {
  it('retries, counts the failure and remembers when the run began', () => {
    assert.deepEqual(decideAfterLoss(facts()), {
      next: 'retry',
      freshToken: false,
      verify: false,
      counters: { failures: 0, neverOpened: 1, failingSince: 1_000_000, authCloses: 0 },
    });
  });

  it('keeps the start of the run while it goes on', () => {
    const [, second, third] = failures(3);
    assert.equal(second?.counters.failingSince, 1_000_000);
    assert.equal(third?.counters.failingSince, 1_000_000);
    assert.deepEqual(
      failures(3).map((decision) => decision.counters.neverOpened),
      [1, 2, 3],
    );
  });

  it('leaves the backoff counters alone: they are the connection’s to count', () => {
    const decision = decideAfterLoss(facts({ counters: counters({ failures: 3, authCloses: 1 }) }));
    assert.equal(decision.counters.failures, 3);
    assert.equal(decision.counters.authCloses, 1);
  });

  it('keeps the token through failed handshakes where a REST API can tell; elsewhere a fresh one every second in a row; never for a fixed one', () => {
    assert.deepEqual(
      failures(6).map((decision) => decision.freshToken),
      [false, true, false, true, false, true],
    );
    assert.ok(failures(7, { canVerify: true }).every((decision) => !decision.freshToken), 'the REST check decides');
    assert.ok(failures(6, { refreshable: false }).every((decision) => !decision.freshToken));
  });

  it(`asks the REST API about the token at the first failure and every ${VERIFY_EVERY}th in a row, only when there is one`, () => {
    assert.equal(VERIFY_EVERY, 4);
    assert.deepEqual(
      failures(12, { canVerify: true }).map((decision) => decision.verify),
      [true, false, false, true, false, false, false, true, false, false, false, true],
    );
    assert.ok(failures(12).every((decision) => !decision.verify));
  });

  it(`takes the ${REFUSED_AFTER}th failure in a row as a refusal once the run lasted refusedAfter`, () => {
    assert.equal(REFUSED_AFTER, 8);
    // 10 s apart: the 8th failure comes 70 s after the first.
    assert.deepEqual(
      failures(9).map((decision) => decision.next),
      ['retry', 'retry', 'retry', 'retry', 'retry', 'retry', 'retry', 'refused', 'refused'],
    );
    // 60 s apart: the 7th is already 6 min after the first, but only 7 in a row.
    assert.equal(failures(8, {}, 60_000).findIndex((decision) => decision.next === 'refused'), 7);
  });

  it('does not take a quick run (a restart) as a refusal until it lasted exactly refusedAfter', () => {
    // 5 s apart: the 13th failure is the first 60 s after the first one.
    assert.equal(failures(14, {}, 5000).findIndex((decision) => decision.next === 'refused'), 12);
    const ninth = (/** @type {number} */ since) =>
      decideAfterLoss(facts({ now: 2_000_000, counters: counters({ neverOpened: 8, failingSince: since }) })).next;
    assert.equal(ninth(2_000_000 - 60_000), 'refused');
    assert.equal(ninth(2_000_000 - 59_999), 'retry');
  });

  it('asks for a fresh token with the refusal (a refreshable source only), and verifies when due', () => {
    const eighth = failures(8, { canVerify: true }).at(-1);
    assert.deepEqual(eighth && { next: eighth.next, freshToken: eighth.freshToken, verify: eighth.verify }, { next: 'refused', freshToken: true, verify: true });
    const ninth = decideAfterLoss(facts({ canVerify: true, now: 1_080_000, counters: eighth?.counters }));
    assert.deepEqual({ next: ninth.next, freshToken: ninth.freshToken, verify: ninth.verify }, { next: 'refused', freshToken: true, verify: false });
    const fixed = failures(9, { refreshable: false }).at(-1);
    assert.deepEqual(fixed && { next: fixed.next, freshToken: fixed.freshToken }, { next: 'refused', freshToken: false });
  });

  it('never calls it a refusal when the REST API took the token or found the server down', () => {
    for (const restCheck of /** @type {const} */ (['valid', 'down'])) {
      const decisions = failures(20, { canVerify: true, restCheck });
      assert.ok(
        decisions.every((decision) => decision.next === 'retry'),
        restCheck,
      );
      // The normal pace goes on: REST checks every fourth failure, and the token is kept.
      assert.deepEqual(decisions.slice(6, 9).map((decision) => [decision.freshToken, decision.verify]), [
        [false, false],
        [false, true],
        [false, false],
      ]);
    }
  });
});

describe('decideAfterLoss: a link that had opened', () => {
  const lost = (/** @type {Partial<LossFacts>} */ overrides = {}) => decideAfterLoss(facts({ wasOpen: true, openFor: 1000, ...overrides }));

  it('retries without a fresh token after an ordinary close, or none at all, and forgets failed handshakes', () => {
    for (const code of [1000, 1001, 1006, 4000, 4002, 4400, undefined]) {
      assert.deepEqual(
        lost({ code, counters: counters({ failures: 3, neverOpened: 7, failingSince: 5, authCloses: 1 }) }),
        { next: 'retry', freshToken: false, verify: false, counters: { failures: 3, neverOpened: 0, failingSince: 5, authCloses: 1 } },
        String(code),
      );
    }
  });

  it('keeps the backoff when the link was open only briefly, resets it once the link was stable', () => {
    const before = counters({ failures: 4, authCloses: 1 });
    assert.deepEqual(lost({ openFor: 4999, counters: before }).counters, { failures: 4, neverOpened: 0, failingSince: 0, authCloses: 1 });
    assert.deepEqual(lost({ openFor: 5000, counters: before }).counters, freshCounters());
    assert.deepEqual(lost({ openFor: 5001, counters: before }).counters, freshCounters());
  });

  it('gives a refreshable source one fresh token after an auth close, and gives up on the second', () => {
    for (const code of [4001, 4401, 4403]) {
      const first = lost({ code });
      assert.deepEqual(first, { next: 'retry', freshToken: true, verify: false, counters: counters({ authCloses: 1 }) }, String(code));
      const second = lost({ code, counters: first.counters });
      assert.deepEqual(second, { next: 'unauthorized', freshToken: false, verify: false, counters: counters({ authCloses: 2 }) }, String(code));
    }
  });

  it('counts auth closes only since the link was last stable', () => {
    // A stable link between two auth closes: the second is a first one again.
    assert.equal(lost({ code: 4001, openFor: 5000, counters: counters({ authCloses: 1 }) }).next, 'retry');
    assert.equal(lost({ code: 4001, openFor: 4999, counters: counters({ authCloses: 1 }) }).next, 'unauthorized');
  });

  it('takes an auth close of a fixed token as unauthorized at once', () => {
    assert.deepEqual(lost({ code: 4001, refreshable: false }), { next: 'unauthorized', freshToken: false, verify: false, counters: counters({ authCloses: 1 }) });
  });

  it('lets an opened link begin a new run of failed handshakes', () => {
    const opened = lost({ counters: counters({ neverOpened: 7, failingSince: 1 }) });
    assert.deepEqual(decideAfterLoss(facts({ now: 2_000_000, counters: opened.counters })).counters, counters({ neverOpened: 1, failingSince: 2_000_000 }));
  });
});

describe('isRefusal and judgeRestCheck', () => {
  it('takes only 401 as a refused token: 403 is a valid token without the permission', () => {
    assert.deepEqual([401, 403, 200, 400, 402, 404, 500].map(isRefusal), [true, false, false, false, false, false, false]);
  });

  it('reads a REST answer as refused (401), valid (2xx, 403) or unknown (anything else)', () => {
    const judged = (/** @type {boolean} */ sameOrigin) => [401, 199, 200, 204, 299, 300, 304, 403, 404, 500].map((status) => judgeRestCheck(status, sameOrigin));
    const expected = ['refused', 'unknown', 'valid', 'valid', 'valid', 'unknown', 'unknown', 'valid', 'unknown', 'unknown'];
    assert.deepEqual(judged(true), expected);
    assert.deepEqual(judged(false), expected);
  });

  it('reads no answer as the server down on the page’s own origin, as nothing elsewhere (CORS)', () => {
    assert.equal(judgeRestCheck(undefined, true), 'down');
    assert.equal(judgeRestCheck(undefined, false), 'unknown');
  });
});

describe('judgeSilence', () => {
  it('waits out a timer that fired early, for the time left', () => {
    assert.deepEqual(judgeSilence(1000, 10_500, 10_000), { verdict: 'wait', ms: 500 });
    assert.deepEqual(judgeSilence(5000, 14_999, 10_000), { verdict: 'wait', ms: 1 });
  });

  it('calls the link dead from the timeout on, up to half a timeout late', () => {
    assert.deepEqual(judgeSilence(1000, 11_000, 10_000), { verdict: 'dead' });
    assert.deepEqual(judgeSilence(1000, 16_000, 10_000), { verdict: 'dead' });
  });

  it('blames a page that woke up more than half a timeout late, not the server', () => {
    assert.deepEqual(judgeSilence(1000, 16_001, 10_000), { verdict: 'asleep' });
    assert.deepEqual(judgeSilence(1000, 100_000, 10_000), { verdict: 'asleep' });
  });

  it('allows a second of lateness however short the timeout', () => {
    assert.equal(judgeSilence(0, 3000, 2000).verdict, 'dead');
    assert.equal(judgeSilence(0, 3001, 2000).verdict, 'asleep');
    assert.equal(judgeSilence(0, 1100, 500).verdict, 'dead');
    assert.equal(judgeSilence(0, 1501, 500).verdict, 'asleep');
  });
});

describe('decideOnSignal', () => {
  /** What each signal means in each state: the rule of decideOnSignal's doc comment, as a table. */
  const TABLE = {
    //              online      offline    visible
    idle: ['none', 'none', 'none'],
    connecting: ['none', 'none', 'none'],
    open: ['none', 'check', 'probe'],
    checking: ['none', 'none', 'check'],
    reconnecting: ['attempt', 'offline', 'attempt'],
    refused: ['attempt', 'offline', 'attempt'],
    offline: ['attempt', 'none', 'attempt'],
    unauthorized: ['recheck', 'none', 'recheck'],
    closed: ['none', 'none', 'none'],
  };

  for (const [state, actions] of Object.entries(TABLE)) {
    it(`in ${state}: ${actions.join(', ')}`, () => {
      const signals = /** @type {const} */ (['online', 'offline', 'visible']);
      assert.deepEqual(
        signals.map((signal) => decideOnSignal(/** @type {any} */ (state), signal)),
        actions,
      );
    });
  }
});

describe('decideTakeover', () => {
  it('lets the old leader’s backoff go on where the link was down, waiting only the time left', () => {
    assert.deepEqual(decideTakeover('reconnecting', 5000, 3000, () => 0.5), { state: 'reconnecting', wait: 2000 });
    assert.deepEqual(decideTakeover('refused', 90_000, 30_000, () => 0.5), { state: 'refused', wait: 60_000 });
    assert.deepEqual(decideTakeover('reconnecting', 3000, 5000, () => 0.5), { state: 'reconnecting', wait: 0 });
  });

  it('opens a new socket within the takeover jitter otherwise', () => {
    assert.equal(TAKEOVER_JITTER, 500);
    for (const state of /** @type {const} */ (['open', 'connecting', 'checking', 'idle', 'offline'])) {
      assert.deepEqual(decideTakeover(state, 5000, 3000, () => 0.5), { state: 'connecting', wait: 250 }, state);
    }
    // Without a planned attempt there is no backoff to keep.
    assert.deepEqual(decideTakeover('reconnecting', undefined, 3000, () => 0), { state: 'connecting', wait: 0 });
    assert.deepEqual(decideTakeover('refused', undefined, 3000, () => 0.9999), { state: 'connecting', wait: 499 });
  });
});
