import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGymServer } from '../../demo/server/gym-server.js';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { controlOf, member, visitsOf } from '../server/helpers.js';

/**
 * `persist` in two tabs of one browser: the tab that leads the shared
 * connection keeps the stored queue, and whoever connects next sends what
 * closed tabs left, each request once.
 */
describe('front desk in two tabs with persist', () => {
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

  const control = (/** @type {string} */ action, /** @type {Record<string, string>} */ params = {}) => controlOf(server.origin)(action, params);
  const status = (/** @type {import('playwright-core').Page} */ page) => page.locator('gym-connection-status [part=label]');
  const outboxKeys = (/** @type {import('playwright-core').Page} */ page) =>
    page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('gym-realtime-widgets.outbox')));

  /** Checks `id` in at the front desk of `page` and waits until the form says it is queued. */
  async function queue(/** @type {import('playwright-core').Page} */ page, /** @type {string} */ id) {
    await page.getByRole('combobox', { name: 'Find a member' }).fill(id);
    await page.getByRole('combobox', { name: 'Find a member' }).press('Enter');
    await page.locator('gym-checkin-form [part=message]').filter({ hasText: 'Queued — will be sent when back online' }).waitFor();
  }

  it('both down, both queue; close one, reload the other, link back: every request arrives once', async () => {
    const context = await browser.newContext();
    const first = await context.newPage();
    const second = await context.newPage();
    for (const page of [first, second]) {
      await page.goto(`${server.origin}/front-desk.html`);
      await status(page).filter({ hasText: 'Live' }).waitFor();
    }
    await control('refuse', { ms: '120000' });
    for (const page of [first, second]) await status(page).filter({ hasText: /Reconnecting|Connecting/ }).waitFor({ timeout: 5000 });
    await queue(first, member(31));
    await queue(second, member(32));
    await queue(second, member(33));
    // The tabs share one connection: the leading tab holds the outbox, and stores it under its own key.
    assert.equal((await outboxKeys(second)).length, 1, 'one stored queue, the leading tab\'s');

    await first.close();
    await second.reload();
    await control('refuse', { ms: '0' });
    await status(second).filter({ hasText: 'Live' }).waitFor({ timeout: 20_000 });
    for (const name of ['Ελένη Παπαδοπούλου', 'Joaquín de la Cruz y Mendoza', 'Ingrid Bjørnstad']) await second.locator('gym-checkin-feed [part=name]').filter({ hasText: name }).waitFor();
    // A request answered now was sent after everything the page adopted.
    await second.getByRole('combobox', { name: 'Find a member' }).fill(member(34));
    await second.getByRole('combobox', { name: 'Find a member' }).press('Enter');
    await second.locator('gym-checkin-form [part=message]').filter({ hasText: 'Ravi Shankar Iyer checked in' }).waitFor();
    for (const id of [member(31), member(32), member(33)]) assert.equal(await visitsOf(server.origin, id), 1, `${id} checked in exactly once`);
    assert.deepEqual(await outboxKeys(second), []);
    await context.close();
  });
});
