import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { startGymServer } from '../../demo/server/gym-server.js';
import { seedMorning } from '../../demo/server/simulator.js';
import { CHROMIUM_ARGS, MISSING_BROWSER, findBrowser } from '../../scripts/find-browser.mjs';

/** Screenshots are test artifacts: written here, never committed. */
const ARTIFACTS = new URL('../../test-results/', import.meta.url);

const member = (/** @type {number} */ n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * The demo as a visitor sees it: the built bundle on the demo pages, served by
 * the local gym server, in Debian's Chromium. Console errors and CSP
 * violations are collected on every page.
 */
describe('the demo pages, end to end', () => {
  /** @type {Awaited<ReturnType<typeof startGymServer>>} */
  let server;
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {string[]} */
  const problems = [];

  before(async () => {
    const executablePath = findBrowser();
    if (!executablePath) throw new Error(MISSING_BROWSER);
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startGymServer({ port: 0, servePages: true });
    seedMorning(server.gym, { random: () => 0.5 });
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens a demo page, recording console errors, page errors and CSP violations. */
  async function visit(/** @type {string} */ path, /** @type {'light' | 'dark'} */ colorScheme = 'light') {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, colorScheme });
    page.on('console', (message) => {
      // Chromium's own network log of a refused handshake (expected in the token test) is not the page's output.
      if (/^WebSocket connection to '.*' failed/.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${path} console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${path} page error: ${error.message}`));
    await page.exposeFunction('__reportCsp', (/** @type {string} */ text) => problems.push(`${path} CSP: ${text}`));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (/** @type {SecurityPolicyViolationEvent} */ event) =>
        /** @type {any} */ (window).__reportCsp(`${event.violatedDirective} ${event.blockedURI}`),
      ),
    );
    await page.goto(`${server.origin}${path}`);
    return page;
  }

  const statusText = (/** @type {import('playwright-core').Page} */ page) => page.locator('gym-connection-status').first().locator('[part=label]');
  const feedNames = (/** @type {import('playwright-core').Page} */ page) => page.locator('gym-checkin-feed [part=name]');
  const control = (/** @type {string} */ action, /** @type {Record<string, string>} */ params = {}) =>
    fetch(`${server.origin}/control/${action}?${new URLSearchParams(params)}`, { method: 'POST' }).then((response) => response.json());

  it('the gym website goes live, shows the morning from history, and live check-ins appear', async () => {
    const page = await visit('/');
    await statusText(page).filter({ hasText: 'Live' }).waitFor();
    await feedNames(page).first().waitFor();
    assert.equal(await feedNames(page).count(), 6);
    await control('check-in', { memberId: member(1) });
    await feedNames(page).filter({ hasText: 'Alice Example' }).waitFor();
    assert.equal(await feedNames(page).first().textContent(), 'Alice Example');
    await page.locator('gym-checkin-feed [part=toast]').filter({ hasText: 'Alice Example has checked in' }).waitFor();
    await page.screenshot({ path: new URL('gym-website-light.png', ARTIFACTS).pathname, fullPage: true });
    const dark = await visit('/', 'dark');
    await statusText(dark).filter({ hasText: 'Live' }).waitFor();
    await dark.screenshot({ path: new URL('gym-website-dark.png', ARTIFACTS).pathname, fullPage: true });
    await Promise.all([page.close(), dark.close()]);
  });

  it('the control panel drops every connection: reconnecting, live again, and the outage is backfilled', async () => {
    const site = await visit('/');
    await statusText(site).filter({ hasText: 'Live' }).waitFor();
    const panel = await visit('/control.html');
    await panel.locator('gym-connection-status').locator('[part=label]').filter({ hasText: 'Live' }).waitFor();
    await panel.getByRole('button', { name: 'Simulate a restart (8 s)' }).click();
    await statusText(site).filter({ hasText: /Reconnecting|Connecting/ }).waitFor({ timeout: 5000 });
    // Members arrive while the page is away: nothing reaches it live.
    await control('check-in', { memberId: member(2) });
    await control('check-in', { memberId: member(3) });
    // The restart ends early; the page finds the server again on its own.
    await control('refuse', { ms: '0' });
    await statusText(site).filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
    await feedNames(site).filter({ hasText: 'Carol Example' }).waitFor({ timeout: 5000 });
    await feedNames(site).filter({ hasText: 'Bob Example' }).waitFor();
    await panel.getByRole('button', { name: 'Drop every connection' }).click();
    await statusText(site).filter({ hasText: 'Live' }).waitFor({ timeout: 8000 });
    await panel.screenshot({ path: new URL('control-panel.png', ARTIFACTS).pathname, fullPage: true });
    await Promise.all([site.close(), panel.close()]);
  });

  it('a check-in made on the front desk appears on the website', async () => {
    const site = await visit('/');
    const desk = await visit('/front-desk.html');
    await statusText(site).filter({ hasText: 'Live' }).waitFor();
    await statusText(desk).filter({ hasText: 'Live' }).waitFor();
    await desk.getByLabel('Member ID').fill(member(4));
    await desk.getByRole('button', { name: 'Send' }).click();
    await desk.locator('gym-checkin-form [part=message]').filter({ hasText: 'Dave Example checked in' }).waitFor();
    await feedNames(site).filter({ hasText: 'Dave Example' }).waitFor({ timeout: 3000 });
    await desk.screenshot({ path: new URL('front-desk.png', ARTIFACTS).pathname, fullPage: true });
    await Promise.all([site.close(), desk.close()]);
  });

  it('expired tokens: the widgets fetch a new one and carry on', async () => {
    const site = await visit('/');
    /** @type {string[]} */
    const tokenRequests = [];
    site.on('request', (request) => {
      if (request.url().endsWith('/demo/token')) tokenRequests.push(request.url());
    });
    await statusText(site).filter({ hasText: 'Live' }).waitFor();
    await control('expire-tokens');
    await control('drop');
    await statusText(site).filter({ hasText: /Reconnecting|Connecting/ }).waitFor({ timeout: 5000 });
    await statusText(site).filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });
    assert.ok(tokenRequests.length >= 1, 'a fresh token was fetched');
    await control('check-in', { memberId: member(5) });
    await feedNames(site).filter({ hasText: 'Zoë Ångström' }).waitFor();
    await site.close();
  });

  it('no page logged an error or broke the content security policy', () => {
    assert.deepEqual(problems, []);
  });
});
