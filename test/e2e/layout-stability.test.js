import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGymServer } from '../../demo/server/gym-server.js';
import { seedMorning } from '../../demo/server/simulator.js';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { controlOf } from '../server/helpers.js';

/**
 * A wall display must not jump when the link drops: the demo website, shown
 * at wall-display and phone sizes, goes through an outage (every connection
 * dropped, reconnecting, Live again) while the Layout Instability API records
 * every shift. Cumulative layout shift over the outage must be 0.
 */
describe('layout stability during an outage, end to end', () => {
  /** @type {Awaited<ReturnType<typeof startGymServer>>} */
  let server;
  /** @type {import('playwright-core').Browser} */
  let browser;

  before(async () => {
    server = await startGymServer({ port: 0, servePages: true });
    seedMorning(server.gym, { random: () => 0.5 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const control = (/** @type {string} */ action, /** @type {Record<string, string>} */ params = {}) => controlOf(server.origin)(action, params);

  /** Every layout shift since the page started (buffered), without those right after input, each with what moved. */
  const shifts = (/** @type {import('playwright-core').Page} */ page) =>
    page.evaluate(() => /** @type {{ value: number, sources: string[] }[]} */ (/** @type {any} */ (window).__shifts.read()));

  for (const [name, viewport] of /** @type {const} */ ([
    ['a wall display (1920×1080)', { width: 1920, height: 1080 }],
    ['a laptop (1200×1000)', { width: 1200, height: 1000 }],
    ['a phone (390×844)', { width: 390, height: 844 }],
  ])) {
    it(`on ${name}: CLS 0 from Live through reconnecting and back to Live`, async () => {
      const page = await browser.newPage({ viewport });
      /** @type {string[]} */
      const problems = [];
      page.on('pageerror', (error) => problems.push(error.message));
      await page.addInitScript(() => {
        /** @type {any[]} */
        const entries = [];
        const describe = (/** @type {Node | null} */ node) => {
          if (!node) return '(gone)';
          const element = node instanceof Element ? node : node.parentElement;
          const host = /** @type {ShadowRoot} */ (node.getRootNode()).host;
          return `${host ? `${host.localName} ` : ''}${element?.localName ?? '#text'}${element?.getAttribute('part') ? `[part=${element.getAttribute('part')}]` : ''}`;
        };
        const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
        observer.observe({ type: 'layout-shift', buffered: true });
        /** @type {any} */ (window).__shifts = {
          read: () => {
            entries.push(...observer.takeRecords());
            return entries
              .filter((entry) => !entry.hadRecentInput)
              .map((entry) => ({
                value: entry.value,
                sources: entry.sources.map(
                  (/** @type {any} */ source) =>
                    `${describe(source.node)} ${JSON.stringify(source.previousRect.toJSON())} -> ${JSON.stringify(source.currentRect.toJSON())}`,
                ),
              }));
          },
        };
      });
      await page.goto(`${server.origin}/`);
      const status = page.locator('gym-connection-status [part=label]');
      await status.filter({ hasText: 'Live' }).waitFor();
      await page.locator('gym-checkin-feed [part=name]').nth(5).waitFor();
      await page.locator('gym-checkin-stats [part=value]').first().filter({ hasText: /\d/ }).waitFor();
      // Two frames, so any shift of the loading page has been recorded before the outage starts.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const beforeOutage = (await shifts(page)).length;

      // Every connection dropped, and refused for a second: the outage is long enough to be drawn.
      await control('refuse', { ms: '1000' });
      await status.filter({ hasText: 'Reconnecting' }).waitFor({ timeout: 5000 });
      await page.locator('gym-checkin-stats [part=note]').filter({ hasText: 'Last updated' }).waitFor();
      await status.filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
      await page.locator('gym-checkin-stats [part=note]').filter({ hasText: 'Last updated' }).waitFor({ state: 'detached' });
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

      const outage = (await shifts(page)).slice(beforeOutage);
      const cls = outage.reduce((sum, shift) => sum + shift.value, 0);
      assert.equal(cls, 0, `layout shifts during the outage:\n${outage.map((shift) => `${shift.value.toFixed(4)}: ${shift.sources.join('; ')}`).join('\n')}`);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});
