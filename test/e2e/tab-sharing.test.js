import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MEMBERS } from '../../demo/server/gym.js';
import { startGymServer } from '../../demo/server/gym-server.js';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { controlOf, member, until, visitsOf } from '../server/helpers.js';

/**
 * One connection per browser: the demo pages open in five tabs of one
 * browser profile share one socket at the local gym server, and a tab takes
 * over within a second when the one holding it closes.
 */
describe('five tabs of one browser share one connection', () => {
  /** @type {Awaited<ReturnType<typeof startGymServer>>} */
  let server;
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {import('playwright-core').BrowserContext} */
  let context;
  /** @type {import('playwright-core').Page[]} */
  let pages = [];

  const PAGES = ['/', '/front-desk.html', '/cms.html', '/', '/front-desk.html'];

  before(async () => {
    server = await startGymServer({ port: 0, servePages: true });
    browser = await launchChromium();
    context = await browser.newContext();
    for (const path of PAGES) {
      const page = await context.newPage();
      await page.goto(`${server.origin}${path}`);
      pages.push(page);
    }
    await everyTabLive();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const control = (/** @type {string} */ action, /** @type {Record<string, string>} */ params = {}) => controlOf(server.origin)(action, params);
  /** @returns {Promise<{ connections: number, handshakes: number }>} */
  const serverState = async () => (await fetch(`${server.origin}/control/state`)).json();
  const status = (/** @type {import('playwright-core').Page} */ page) => page.locator('gym-connection-status [part=label]').first();
  const everyTabLive = () => Promise.all(pages.map((page) => status(page).filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 })));
  /** What the page's provider says of its part in the shared connection. */
  const roleOf = (/** @type {import('playwright-core').Page} */ page) =>
    page.evaluate(() => /** @type {any} */ (document.querySelector('gym-realtime-provider'))?.client?.metrics.role);
  const leader = async () => {
    const roles = await Promise.all(pages.map(roleOf));
    assert.equal(roles.filter((role) => role === 'leader').length, 1, `one leading tab, not ${roles.join(', ')}`);
    return pages[roles.indexOf('leader')];
  };
  /** A seeded member who is not in the gym now. */
  const absentMember = async () => {
    const visits = /** @type {{ memberId: string, out: boolean }[]} */ (await (await fetch(`${server.origin}/control/visits`)).json());
    const inside = new Set(visits.filter((visit) => !visit.out).map((visit) => visit.memberId));
    const n = DEFAULT_MEMBERS.findIndex((_, i) => !inside.has(member(i + 1)) && !visits.some((visit) => visit.memberId === member(i + 1)));
    assert.ok(n >= 0, 'a seeded member without a visit');
    return { id: member(n + 1), name: DEFAULT_MEMBERS[n].full_name };
  };
  /** How many rows of the feed of `page` name `name`. */
  const rowsNaming = (/** @type {import('playwright-core').Page} */ page, /** @type {string} */ name) =>
    page.locator('gym-checkin-feed [part~=entry]').filter({ has: page.locator('[part=name]', { hasText: name }) }).count();

  it('opens one socket at the server for five tabs, and every tab is Live', async () => {
    assert.equal((await serverState()).connections, 1);
    const tabs = await Promise.all(pages.map((page) => page.evaluate(() => /** @type {any} */ (document.querySelector('gym-realtime-provider'))?.client?.metrics.tabs)));
    // The cms page's provider is a `data-gym-widget` block: it has a client too.
    assert.ok(tabs.every((count) => count === PAGES.length), `every tab counts ${PAGES.length} tabs: ${tabs.join(', ')}`);
  });

  it("a check-in from a follower's front desk succeeds, and shows once in every tab", async () => {
    const desks = pages.filter((_, i) => PAGES[i] === '/front-desk.html');
    const roles = await Promise.all(desks.map(roleOf));
    const desk = desks[roles.indexOf('follower')];
    assert.ok(desk, `a front desk that follows: ${roles.join(', ')}`);
    const { id, name } = await absentMember();
    await desk.getByRole('combobox', { name: 'Find a member' }).fill(id);
    await desk.getByRole('combobox', { name: 'Find a member' }).press('Enter');
    await desk.locator('gym-checkin-form [part=message]').filter({ hasText: `${name} checked in` }).waitFor();
    assert.equal(await visitsOf(server.origin, id), 1);
    for (const page of pages.filter((_, i) => PAGES[i] !== '/cms.html')) {
      await page.locator('gym-checkin-feed [part=name]').filter({ hasText: name }).first().waitFor();
      assert.equal(await rowsNaming(page, name), 1, `${name} once in ${page.url()}`);
    }
  });

  it("the control panel's drop makes one reconnection from the browser, not five", async () => {
    const before = (await serverState()).handshakes;
    await control('drop');
    await Promise.all(pages.map((page) => status(page).filter({ hasText: /Reconnecting|Connecting/ }).waitFor({ timeout: 5000 }).catch(() => {})));
    await everyTabLive();
    assert.equal((await serverState()).handshakes - before, 1);
    assert.equal((await serverState()).connections, 1);
  });

  it('close the leading tab: the server sees the next socket within 1 s, and every feed has the visit made meanwhile', async () => {
    const closing = await leader();
    const { handshakes } = await serverState();
    const closedAt = performance.now();
    await closing.close();
    pages = pages.filter((page) => page !== closing);
    // A member arrives while no tab holds the connection.
    const { id, name } = await absentMember();
    await control('check-in', { memberId: id });
    await until(async () => (await serverState()).handshakes > handshakes, 'the next socket', 5000);
    const failover = performance.now() - closedAt;
    assert.ok(failover < 1000, `the next socket after ${Math.round(failover)} ms`);
    await everyTabLive();
    await leader();
    assert.equal((await serverState()).connections, 1);
    for (const page of pages.filter((p) => !p.url().endsWith('/cms.html'))) {
      await page.locator('gym-checkin-feed [part=name]').filter({ hasText: name }).first().waitFor({ timeout: 5000 });
    }
  });
});
