// A server restart as the front desk lives it (#29): the local server's restart control drops every
// socket, and refuses handshakes while its token URL and REST API answer 502, for 4 s; then it is
// back. Five restarts; each time from "back" to the page's "Live". The target is a median ≤ 5 s;
// with full-jitter backoff a single recovery is a draw, so what is asserted is the design's bound
// for each (the retry window at that point, at most 15 s, plus a handshake), and the median is
// printed (1.4-2.1 s in five runs here, each restart 0.4-10.7 s).
// Between restarts the page's clock is moved 5.5 s on: the backoff's own `stableAfter`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGymServer } from '../../demo/server/gym-server.js';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { controlOf } from '../server/helpers.js';

const OUTAGE_MS = 4000;
const RESTARTS = 5;
/**
 * The design's bound for one recovery: the next attempt after the server is back lands within the
 * retry window of that moment. Full jitter can make the first attempts of an outage quick, so 4 s
 * can hold five failures, whose window is `maxRetryDelay` (15 s): that, plus a handshake.
 */
const BOUND_MS = 15_000 + 1000;

describe('a server restart, on the front desk', { timeout: 180_000 }, () => {
  /** @type {Awaited<ReturnType<typeof startGymServer>>} */
  let server;
  /** @type {import('playwright-core').Browser} */
  let browser;
  before(async () => {
    server = await startGymServer({ port: 0, servePages: true });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it(`is Live again soon after the server is back, ${RESTARTS} times, with the token it had`, async () => {
    const control = controlOf(server.origin);
    const page = await browser.newPage();
    /** @type {number} */
    let tokenFetches = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/demo/token')) tokenFetches++;
    });
    await page.addInitScript(() => {
      const changes = /** @type {string[]} */ ((/** @type {any} */ (window).__changes = []));
      document.addEventListener('gym-connection-change', (event) => {
        const { state, reason, nextAttemptAt } = /** @type {CustomEvent} */ (event).detail;
        changes.push(`${Date.now() % 100000} ${state}:${reason}${nextAttemptAt ? ` next in ${nextAttemptAt - Date.now()}` : ''}`);
      });
    });
    // Playwright's clock: time flows as usual, and the test can move it on (see below).
    await page.clock.install();
    await page.goto(`${server.origin}/front-desk.html`);
    const label = page.locator('gym-connection-status').first().locator('[part=label]');
    await label.filter({ hasText: 'Live' }).waitFor();
    const fetchesAtStart = tokenFetches;
    /** @type {number[]} */
    const recoveries = [];
    for (let i = 0; i < RESTARTS; i++) {
      await control('refuse', { ms: String(OUTAGE_MS) });
      const back = Date.now() + OUTAGE_MS;
      await label.filter({ hasText: /Reconnecting|Connecting/ }).waitFor({ timeout: 5000 });
      await label.filter({ hasText: 'Live' }).waitFor({ timeout: OUTAGE_MS + BOUND_MS + 5000 });
      recoveries.push(Math.max(0, Date.now() - back));
      // A restart comes after the link was stable (`stableAfter`, 5 s), not during its recovery: only
      // then does the backoff start again from its first window, as after a real server's uptime.
      // The page's clock is moved on past it, rather than the test waiting for it.
      if (i < RESTARTS - 1) await page.clock.fastForward(5500);
    }
    const sorted = [...recoveries].sort((a, b) => a - b);
    const median = /** @type {number} */ (sorted[Math.floor(sorted.length / 2)]);
    process.stdout.write(`# restart to Live on the front desk: median ${median} ms, each ${recoveries.join(', ')} ms; token fetches during the restarts: ${tokenFetches - fetchesAtStart}\n`);
    const changes = await page.evaluate(() => /** @type {any} */ (window).__changes);
    for (const ms of recoveries) assert.ok(ms <= BOUND_MS, `${ms} ms from back to Live: ${changes.join(' | ')}`);
    // The token in hand was valid all along: the restarts needed none.
    assert.equal(tokenFetches - fetchesAtStart, 0);
    await page.close();
  });
});
