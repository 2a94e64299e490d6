import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoGateway } from '../../demo/server/demo-gateway.js';
import { DEFAULT_MEMBERS } from '../../demo/server/gym.js';
import { startGymServer } from '../../demo/server/gym-server.js';
import { seedMorning } from '../../demo/server/simulator.js';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { controlOf, member, visitsOf } from '../server/helpers.js';

/**
 * The public page of the demo, /public.html, as `npm start` serves it: only `url` and
 * `history-url`, through the read-only gateway in front of the local gym server.
 */
describe('the public page, through the read-only gateway', () => {
  /** @type {Awaited<ReturnType<typeof startGymServer>>} */
  let server;
  /** @type {ReturnType<typeof demoGateway>} */
  let gateway;
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {import('playwright-core').Page} */
  let page;

  before(async () => {
    // Built by `npm run build:demo`, which `npm run test:node` runs first.
    const { startGateway } = await import(new URL('../../gateway/dist/index.js', import.meta.url).href);
    gateway = demoGateway(startGateway);
    server = await startGymServer({ port: 0, servePages: true, extension: gateway.extension });
    seedMorning(server.gym);
    await gateway.start(server);
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${server.origin}/public.html`);
    await status().filter({ hasText: /^Live$/ }).waitFor({ timeout: 10_000 });
  });
  after(async () => {
    await browser?.close();
    await gateway?.close();
    await server?.close();
  });

  const control = (/** @type {string} */ action, /** @type {Record<string, string>} */ params = {}) => controlOf(server.origin)(action, params);
  const status = () => page.locator('gym-connection-status [part=label]');
  const names = () => page.locator('gym-checkin-feed [part=name]').allTextContents();

  it('goes live with the morning from the gateway, names shortened, and no token anywhere in the page', async () => {
    await page.locator('gym-checkin-feed [part=name]').first().waitFor();
    const shown = await names();
    assert.ok(shown.length > 0);
    // Shortened ("Alice E."), or the anonymous word where no rule can tell the given name (山田 花子,
    // 김민준: names fail closed); never a full name of the roster.
    for (const name of shown) assert.match(name, /^(?:\S+ \S\.|Member)$/u, `a shortened name, not ${name}`);
    assert.ok(shown.some((name) => name !== 'Member'), 'some names are shortened, not all hidden');
    for (const { full_name } of DEFAULT_MEMBERS) assert.ok(!shown.includes(full_name), `${full_name} shown in full`);
    const markup = await page.evaluate(() => {
      const parts = [document.documentElement.outerHTML];
      for (const element of document.querySelectorAll('*')) if (element.shadowRoot) parts.push(element.shadowRoot.innerHTML);
      return parts.join('\n');
    });
    assert.doesNotMatch(markup, /eyJ|token=/, 'no token in the page');
    const requests = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
    assert.ok(!requests.some((url) => url.includes('/demo/token')), 'no token was fetched');
  });

  it('a check_in sent from the page changes nothing at the gym', async () => {
    const id = member(37);
    const before = await visitsOf(server.origin, id);
    const answer = await page.evaluate(
      (memberId) =>
        /** @type {any} */ (document.querySelector('gym-realtime-provider'))
          .request('check_in', { memberId })
          .then(
            () => 'accepted',
            (/** @type {{ code: string }} */ error) => error.code,
          ),
      id,
    );
    assert.equal(answer, 'rejected');
    assert.equal(await visitsOf(server.origin, id), before);
  });

  it('"Live · delayed" while the gateway has lost the gym, then the visit made meanwhile, and Live again', async () => {
    await control('gateway-upstream', { state: 'down' });
    await status().filter({ hasText: 'Live · delayed' }).waitFor();
    await page.locator('gym-checkin-stats [part=note]').filter({ hasText: /Last updated/ }).waitFor();
    const visit = await control('check-in', { memberId: member(38) });
    await control('gateway-upstream', { state: 'up' });
    await status().filter({ hasText: /^Live$/ }).waitFor({ timeout: 10_000 });
    const first = String(visit.member.full_name).split(' ')[0];
    await page.locator('gym-checkin-feed [part=name]').filter({ hasText: first }).first().waitFor();
  });
});
