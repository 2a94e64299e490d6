import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startGymServer } from '../../demo/server/gym-server.js';
import { seedMorning } from '../../demo/server/simulator.js';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { controlOf, member, until, visitsOf } from '../server/helpers.js';

/** Screenshots are test artifacts: written here, never committed. */
const ARTIFACTS = new URL('../../test-results/', import.meta.url);

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
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startGymServer({ port: 0, servePages: true });
    seedMorning(server.gym, { random: () => 0.5 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /**
   * Opens a demo page, recording console errors, page errors and CSP violations,
   * and the provider's gym-connection-change events ("state: reason") in `__changes`.
   * With `clock`, the page's timers run on Playwright's clock (time still flows; `page.clock.runFor` skips ahead).
   */
  async function visit(/** @type {string} */ path, /** @type {'light' | 'dark'} */ colorScheme = 'light', { clock = false } = {}) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, colorScheme });
    if (clock) await page.clock.install();
    page.on('console', (message) => {
      // Chromium's own network log (a refused handshake, a 401 from the token URL: expected
      // in the token tests; a 502 from the API while the restart control has the server down)
      // is not the page's output.
      if (/^(WebSocket connection to '.*' failed|Failed to load resource: the server responded with a status of (?:401|502))/.test(message.text())) return;
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${path} console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`${path} page error: ${error.message}`));
    await page.exposeFunction('__reportCsp', (/** @type {string} */ text) => problems.push(`${path} CSP: ${text}`));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (/** @type {SecurityPolicyViolationEvent} */ event) =>
        /** @type {any} */ (window).__reportCsp(`${event.violatedDirective} ${event.blockedURI}`),
      ),
    );
    await page.addInitScript(() => {
      const changes = /** @type {string[]} */ ((/** @type {any} */ (window).__changes = []));
      document.addEventListener('gym-connection-change', (event) => changes.push(`${/** @type {CustomEvent} */ (event).detail.state}: ${/** @type {CustomEvent} */ (event).detail.reason}`));
    });
    await page.goto(`${server.origin}${path}`);
    return page;
  }

  const statusText = (/** @type {import('playwright-core').Page} */ page) => page.locator('gym-connection-status').first().locator('[part=label]');
  const feedNames = (/** @type {import('playwright-core').Page} */ page) => page.locator('gym-checkin-feed [part=name]');
  const control = (/** @type {string} */ action, /** @type {Record<string, string>} */ params = {}) => controlOf(server.origin)(action, params);

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
    // A card scanned at the door: the member id, then Enter.
    await desk.getByRole('combobox', { name: 'Find a member' }).fill(member(4));
    await desk.getByRole('combobox', { name: 'Find a member' }).press('Enter');
    await desk.locator('gym-checkin-form [part=message]').filter({ hasText: 'Dave Example checked in' }).waitFor();
    await feedNames(site).filter({ hasText: 'Dave Example' }).waitFor({ timeout: 3000 });
    await desk.screenshot({ path: new URL('front-desk.png', ARTIFACTS).pathname, fullPage: true });
    await Promise.all([site.close(), desk.close()]);
  });

  it('the CDN module loads only the elements a page shows: no form or diagnostics on the website; a form added later loads and works', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    /** @type {string[]} */
    const scripts = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    page.on('pageerror', (error) => problems.push(`/ page error: ${error.message}`));
    await page.addInitScript(() => document.addEventListener('gym-widgets-discovered', (event) => (/** @type {any} */ (window).__discovered = /** @type {CustomEvent} */ (event).detail.tags)));
    await page.goto(`${server.origin}/`);
    await statusText(page).filter({ hasText: 'Live' }).waitFor();
    const tags = /** @type {string[]} */ (await page.waitForFunction(() => /** @type {any} */ (window).__discovered).then((handle) => handle.jsonValue()));
    assert.deepEqual([...tags].sort(), ['gym-checkin-feed', 'gym-checkin-stats', 'gym-connection-status', 'gym-error-boundary', 'gym-realtime-provider']);
    const names = () => scripts.map((path) => path.replace(/^\/gym-realtime-widgets\.?/, '').replace(/\.[\w-]{8}\.js$|\.?js$/, '') || 'entry');
    assert.deepEqual([...names()].sort(), ['base', 'checkin-feed', 'checkin-stats', 'connection-status', 'entry', 'error-boundary']);
    // A form added to the page later (a page builder, an app) brings its code, and works.
    await page.evaluate(() => document.querySelector('gym-realtime-provider')?.append(document.createElement('gym-checkin-form')));
    await page.locator('gym-checkin-form [part=input]').waitFor();
    assert.ok(names().includes('checkin-form'), names().join(', '));
    assert.ok(!names().includes('diagnostics') && !names().includes('upgrade'), names().join(', '));
    await page.locator('gym-checkin-form [part=input]').fill(member(7));
    await page.locator('gym-checkin-form [part=submit]').click();
    await page.locator('gym-checkin-form [part=message]').filter({ hasText: /checked in/i }).waitFor();
    await page.close();
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

  const handshakes = async () => /** @type {{ handshakes: number }} */ (await (await fetch(`${server.origin}/control/state`)).json()).handshakes;
  /** The page's connection changes from now on: call the result for the list. */
  const changesFrom = async (/** @type {import('playwright-core').Page} */ page) => {
    const from = await page.evaluate(() => /** @type {any} */ (window).__changes.length);
    return () => page.evaluate((n) => /** @type {string[]} */ (/** @type {any} */ (window).__changes.slice(n)), from);
  };

  it('offline: no socket attempts at all; back online, it connects at once', async () => {
    const site = await visit('/', 'light', { clock: true });
    await statusText(site).filter({ hasText: 'Live' }).waitFor();
    await site.context().setOffline(true);
    await control('drop');
    await statusText(site).filter({ hasText: 'Offline — waiting for network' }).waitFor({ timeout: 5000 });
    const before = await handshakes();
    const whileOffline = await changesFrom(site);
    // A minute passes on the page's clock, longer than any retry delay. (An attempt would not
    // reach the server while offline: the page's own connection changes show it.)
    await site.clock.runFor(60_000);
    assert.deepEqual(await whileOffline(), [], 'no attempt while offline');
    assert.equal(await handshakes(), before, 'no attempt while offline');
    const changes = await changesFrom(site);
    await site.context().setOffline(false);
    await statusText(site).filter({ hasText: 'Live' }).waitFor({ timeout: 5000 });
    // The online event starts the attempt, not a retry timer.
    assert.deepEqual((await changes()).slice(0, 2), ['connecting: online', 'open: open']);
    await site.close();
  });

  it('sign-in refused by the token URL: "Sign-in required", and no more socket attempts', async () => {
    const site = await visit('/', 'light', { clock: true });
    await statusText(site).filter({ hasText: 'Live' }).waitFor();
    await control('demo-token-status', { status: '401' });
    await control('expire-tokens');
    await control('drop');
    await statusText(site).filter({ hasText: 'Sign-in required' }).waitFor({ timeout: 10_000 });
    const before = await handshakes();
    const afterRefusal = await changesFrom(site);
    // A minute passes on the page's clock, longer than any retry delay.
    await site.clock.runFor(60_000);
    assert.deepEqual(await afterRefusal(), [], 'no attempt after sign-in was refused');
    assert.equal(await handshakes(), before, 'no attempt after sign-in was refused');
    await control('demo-token-status', { status: '200' });
    await site.locator('gym-connection-status [part=retry]').click();
    await statusText(site).filter({ hasText: 'Live' }).waitFor({ timeout: 5000 });
    await site.close();
  });

  it('a token source changed while live reconnects exactly once', async () => {
    const site = await visit('/');
    await statusText(site).filter({ hasText: 'Live' }).waitFor();
    const before = await handshakes();
    const changes = await changesFrom(site);
    await site.evaluate(() => document.querySelector('gym-realtime-provider')?.setAttribute('token-url', '/demo/token?rotated=1'));
    await site.waitForFunction(() => /** @type {string[]} */ (/** @type {any} */ (window).__changes).at(-1)?.startsWith('open:'));
    await statusText(site).filter({ hasText: 'Live' }).waitFor();
    assert.deepEqual((await changes()).map((change) => change.split(':')[0]), ['connecting', 'open']);
    assert.equal((await handshakes()) - before, 1);
    await site.close();
  });

  it('never writes a token into the page, its attributes or its console', async () => {
    const site = await visit('/front-desk.html');
    /** @type {string[]} */
    const tokens = [];
    /** @type {string[]} */
    const logs = [];
    site.on('response', (response) => {
      if (!response.url().includes('/demo/token')) return;
      // A body is gone once the page navigated on; those tokens were never used.
      response.json().then((body) => tokens.push(body.access), () => {});
    });
    site.on('console', (message) => {
      if (!/^WebSocket connection to/.test(message.text())) logs.push(message.text());
    });
    await site.reload();
    await statusText(site).filter({ hasText: 'Live' }).waitFor();
    // A failure on the way: expired tokens, a refused handshake, a new token.
    await control('expire-tokens');
    await control('drop');
    // Live again only counts once the refused handshake brought a new token (the old Live may still show).
    await until(() => tokens.length >= 2, 'a new token after the refused handshake', 10_000);
    await statusText(site).filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });
    // The front desk's member search goes out with the new token too.
    await site.getByRole('combobox', { name: 'Find a member' }).fill('ali');
    await site.getByRole('option', { name: /Alice Example/ }).waitFor();
    const markup = await site.evaluate(() => {
      const parts = [document.documentElement.outerHTML];
      const walk = (/** @type {Document | ShadowRoot} */ root) => {
        for (const element of root.querySelectorAll('*')) {
          if (element.shadowRoot) {
            parts.push([...element.shadowRoot.childNodes].map((node) => (node instanceof Element ? node.outerHTML : node.textContent)).join(''));
            walk(element.shadowRoot);
          }
        }
      };
      walk(document);
      return parts.join('\n');
    });
    for (const token of tokens) {
      assert.ok(!markup.includes(token), 'token in the DOM');
      assert.ok(!logs.some((line) => line.includes(token)), 'token in the console');
    }
    await site.close();
  });

  it('front desk (persist): a check-in queued while down survives a reload and is sent once', async () => {
    const before = await visitsOf(server.origin, member(30));
    const desk = await visit('/front-desk.html');
    await statusText(desk).filter({ hasText: 'Live' }).waitFor();
    await control('refuse', { ms: '60000' });
    await statusText(desk).filter({ hasText: /Reconnecting|Connecting/ }).waitFor({ timeout: 5000 });
    await desk.getByRole('combobox', { name: 'Find a member' }).fill(member(30));
    await desk.getByRole('combobox', { name: 'Find a member' }).press('Enter');
    await desk.locator('gym-checkin-form [part=message]').filter({ hasText: 'Queued — will be sent when back online' }).waitFor();
    await desk.reload();
    await control('refuse', { ms: '0' });
    await statusText(desk).filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
    await feedNames(desk).filter({ hasText: 'Tomás Ó Súilleabháin' }).waitFor({ timeout: 5000 });
    await desk.reload();
    await statusText(desk).filter({ hasText: 'Live' }).waitFor();
    // A request answered now was sent after anything this page could still have restored.
    await desk.getByRole('combobox', { name: 'Find a member' }).fill(member(35));
    await desk.getByRole('combobox', { name: 'Find a member' }).press('Enter');
    await desk.locator('gym-checkin-form [part=message]').filter({ hasText: 'Emma Schmidt checked in' }).waitFor();
    assert.equal((await visitsOf(server.origin, member(30))) - before, 1, 'sent exactly once');
    assert.equal(await desk.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('gym-realtime-widgets.outbox')).length), 0);
    await desk.close();
  });

  it('the bundle loaded twice on one page: no error, the widgets work', async () => {
    const page = await visit('/pasted-twice.html');
    await statusText(page).filter({ hasText: 'Live' }).waitFor();
    await page.locator('gym-checkin-stats [part=value]').first().waitFor();
    assert.equal(await page.evaluate(() => document.querySelectorAll('script[type=module]').length), 2);
    // Both copies watch for data-gym-widget blocks; the block is upgraded once.
    await page.locator('#block gym-connection-status [part=label]').filter({ hasText: 'Live' }).waitFor();
    assert.equal(await page.locator('#block gym-realtime-provider').count(), 1);
    assert.equal(await page.locator('#block gym-connection-status').count(), 1);
    await page.close();
  });

  it('a CMS page: the classic script turns data-gym-widget blocks into live widgets sharing one socket', async () => {
    const accepted = async () => {
      const { handshakes, refusedHandshakes } = /** @type {{ handshakes: number, refusedHandshakes: number }} */ (await (await fetch(`${server.origin}/control/state`)).json());
      return handshakes - refusedHandshakes;
    };
    const before = await accepted();
    const page = await visit('/cms.html');
    await statusText(page).filter({ hasText: 'Live' }).waitFor();
    await feedNames(page).first().waitFor();
    assert.equal(await feedNames(page).count(), 4);
    assert.equal(await page.locator('[data-gym-widget="checkin-feed"]').textContent(), '', 'the fallback text is gone');
    assert.equal(await page.locator('gym-realtime-provider').count(), 1);
    assert.equal((await accepted()) - before, 1, 'one socket for the whole post');
    await control('check-in', { memberId: member(7) });
    await feedNames(page).filter({ hasText: '山田 花子' }).waitFor();
    await page.screenshot({ path: new URL('cms-page.png', ARTIFACTS).pathname, fullPage: true });
    await page.close();
  });

  for (const [host, n, name] of /** @type {const} */ ([
    ['react', 12, 'Aoife Ní Bhriain'],
    ['vue', 13, 'Kwame Mensah'],
  ])) {
    it(`the ${host} host page: properties and events work through the framework`, async () => {
      // The member must be out, so the check-in succeeds.
      const visits = /** @type {{ id: string, memberId: string, out: boolean }[]} */ (await (await fetch(`${server.origin}/control/visits`)).json());
      for (const visit of visits) if (visit.memberId === member(n) && !visit.out) await control('check-out', { checkInId: visit.id });
      const page = await visit(`/${host}.html`);
      await statusText(page).filter({ hasText: 'Live' }).waitFor();
      // gym-connection-change, rendered by the framework.
      await page.getByTestId('connection').filter({ hasText: 'open' }).waitFor();
      // `limit` set as a property (a number) by the framework.
      await feedNames(page).first().waitFor();
      assert.equal(await feedNames(page).count(), 3);
      assert.equal(await page.locator('gym-checkin-feed').evaluate((feed) => /** @type {any} */ (feed).limit), 3);
      await page.locator('gym-checkin-form [part=input]').fill(member(n));
      await page.locator('gym-checkin-form [part=submit]').click();
      // gym-checkin-result, rendered by the framework.
      await page.getByTestId('result').filter({ hasText: `success: ${name}` }).waitFor();
      await feedNames(page).filter({ hasText: name }).first().waitFor();
      await page.screenshot({ path: new URL(`${host}-host.png`, ARTIFACTS).pathname, fullPage: true });
      await page.close();
    });
  }

  it('no page logged an error or broke the content security policy', () => {
    assert.deepEqual(problems, []);
  });
});
