import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startGymServer } from '../../demo/server/gym-server.js';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { member } from '../server/helpers.js';

/** Screenshots are test artifacts: written here, never committed. */
const ARTIFACTS = new URL('../../test-results/', import.meta.url);

/**
 * The demo's front desk at the door, against the local gym server, in Debian's
 * Chromium: staff find a member by name and check them in, find them again and
 * check them out, then a card scanner types a member id and Enter.
 */
describe('the front desk at the door, end to end', () => {
  /** @type {Awaited<ReturnType<typeof startGymServer>>} */
  let server;
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {string[]} */
  const problems = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startGymServer({ port: 0, servePages: true });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /**
   * The front desk page, live, with console errors, page errors and CSP violations collected. Its timers
   * and clocks run on Playwright's clock (time flows as usual until a test pauses it: see `typeSpaced`).
   */
  async function desk(/** @type {{ width: number, height: number }} */ viewport = { width: 1200, height: 900 }, /** @type {'light' | 'dark'} */ colorScheme = 'light') {
    const page = await browser.newPage({ viewport, colorScheme });
    await page.clock.install();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.exposeFunction('__reportCsp', (/** @type {string} */ text) => problems.push(`CSP: ${text}`));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (event) => /** @type {any} */ (window).__reportCsp(`${event.violatedDirective} ${event.blockedURI}`)),
    );
    await page.goto(`${server.origin}/front-desk.html`);
    await page.locator('gym-connection-status [part=label]').filter({ hasText: 'Live' }).waitFor();
    return page;
  }

  /**
   * Types `text` into `field` one key every `spacing` ms of the page's own time, which stands still in
   * between: the page sees exactly that spacing, however slowly this machine runs the test (under load,
   * real key presses drift apart by hundreds of ms). `then` (a key, e.g. Enter) is pressed at the same
   * spacing after the last one; then the page's time flows again.
   */
  async function typeSpaced(/** @type {import('playwright-core').Page} */ page, /** @type {import('playwright-core').Locator} */ field, /** @type {string} */ text, /** @type {number} */ spacing, /** @type {string | undefined} */ then = undefined) {
    // Paused a moment ahead of the page's time, which may move on while this call travels (more under load).
    for (let ahead = 500; ; ahead *= 4) {
      const paused = await page.clock.pauseAt((await page.evaluate(() => Date.now())) + ahead).then(
        () => true,
        (/** @type {Error} */ error) => {
          if (ahead >= 32_000 || !/to the past/.test(error.message)) throw error;
          return false;
        },
      );
      if (paused) break;
    }
    for (const key of text) {
      await field.pressSequentially(key);
      await page.clock.runFor(spacing);
    }
    if (then) await field.press(then);
    await page.clock.resume();
  }

  /** Visits of member `id` as the server lists them (its REST API, with the demo's token). */
  async function visits(/** @type {string} */ id) {
    const { access } = /** @type {{ access: string }} */ (await (await fetch(`${server.origin}/demo/token`)).json());
    const response = await fetch(`${server.origin}/api/checkins/checkins/?member=${id}`, { headers: { Authorization: `Bearer ${access}` } });
    return /** @type {{ check_out_time: string | null, notes: string | null }[]} */ (await response.json());
  }

  it('search "ali" → Alice → in; search again → out; a scanned card → in, and Undo checks out with a note', async () => {
    const page = await desk();
    const field = page.getByRole('combobox', { name: 'Find a member' });
    const message = page.locator('gym-checkin-form [part=message]');
    const list = page.getByRole('listbox', { name: /Members found/ });
    const alice = list.getByRole('option', { name: /Alice Example/ });

    // A person types, a key every 80 ms: the list opens once typing pauses (250 ms), with whether each member is in.
    await typeSpaced(page, field, 'ali', 80);
    await alice.filter({ hasText: 'Out' }).waitFor();
    assert.deepEqual(await list.getByRole('option').allInnerTexts().then((texts) => texts.map((text) => text.split('\n')[0])), ['Alice Example', 'Fatima Zahra Benali']);
    assert.equal(await field.getAttribute('aria-expanded'), 'true');
    assert.match((await alice.locator('img').getAttribute('src')) ?? '', /\/media\/member_images\/.*\.svg$/);
    await page.screenshot({ path: new URL('front-desk-search.png', ARTIFACTS).pathname });
    await field.press('ArrowDown');
    assert.equal(await field.getAttribute('aria-activedescendant'), 'option-0');
    assert.equal(await alice.getAttribute('aria-selected'), 'true');
    await field.press('Enter');
    await message.filter({ hasText: 'Alice Example checked in' }).waitFor();
    assert.equal(await field.inputValue(), '');
    assert.ok(await field.evaluate((input) => /** @type {ShadowRoot} */ (input.getRootNode()).activeElement === input), 'focus stays in the field');
    assert.deepEqual((await visits(member(1))).map((visit) => visit.check_out_time), [null]);
    await page.locator('gym-checkin-form [part=result] [part=time]').waitFor();
    await page.screenshot({ path: new URL('front-desk-checked-in.png', ARTIFACTS).pathname });

    // Found again, she is in: a click checks her out of that visit, and the field keeps the focus.
    await typeSpaced(page, field, 'ali', 80);
    await alice.filter({ hasText: 'In' }).click();
    await message.filter({ hasText: 'Alice Example checked out' }).waitFor();
    assert.ok(await field.evaluate((input) => /** @type {ShadowRoot} */ (input.getRootNode()).activeElement === input), 'focus stays in the field');
    assert.equal((await visits(member(1))).filter((visit) => visit.check_out_time === null).length, 0);

    // A scanner types Bob's card in a burst and Enter: no search for part of the id, no list, at once.
    /** @type {string[]} */
    const searched = [];
    page.on('request', (request) => {
      const q = new URL(request.url()).searchParams.get('q');
      if (request.url().includes('/api/members/search/') && q !== null) searched.push(q);
    });
    await field.evaluate((input) => {
      /** @type {any} */ (window).__opened = 0;
      new MutationObserver(() => input.getAttribute('aria-expanded') === 'true' && /** @type {any} */ (window).__opened++).observe(input, { attributes: true });
    });
    // A key every 5 ms of the page's time (a USB scanner's pace; under BURST_MS, 50), Enter 5 ms after
    // the last: no typing pause (250 ms) can pass in between, so no search can go out for part of the id.
    await typeSpaced(page, field, member(2), 5, 'Enter');
    await message.filter({ hasText: 'Bob Example checked in' }).waitFor();
    assert.deepEqual(searched, [member(2)], 'one lookup, of the whole id');
    assert.equal(await page.evaluate(() => /** @type {any} */ (window).__opened), 0, 'the list never opened');
    assert.deepEqual((await visits(member(2))).map((visit) => visit.check_out_time), [null]);

    // Undo: a check-out of that visit, with a note, said on the button.
    await page.getByRole('button', { name: 'Undo (checks out again, with a note)' }).click();
    await message.filter({ hasText: 'Bob Example checked out' }).waitFor();
    const [bob] = await visits(member(2));
    assert.notEqual(bob?.check_out_time, null);
    assert.equal(bob?.notes, 'Check-out: Undone at the front desk');
    await page.close();
  });

  it('flags an inactive membership before checking in; staff go ahead with Enter', async () => {
    const page = await desk({ width: 640, height: 800 }, 'dark');
    const field = page.getByRole('combobox', { name: 'Find a member' });
    await field.pressSequentially('lars', { delay: 80 });
    await page.getByRole('option', { name: /Lars Eriksson.*Membership inactive/ }).waitFor();
    // 200 % zoom of a 1280 px window: the list fits the width.
    const box = await page.locator('gym-checkin-form [part=listbox]').boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 640, `the list within the window: ${JSON.stringify(box)}`);
    await page.screenshot({ path: new URL('front-desk-narrow-dark.png', ARTIFACTS).pathname });
    await field.press('Enter');
    const alert = page.locator('gym-checkin-form [part=message] [role=alert]');
    await alert.filter({ hasText: 'Lars Eriksson: membership inactive. Check in anyway?' }).waitFor();
    assert.equal((await visits(member(24))).length, 0, 'nothing sent before staff confirm');
    await field.press('Enter');
    await page.locator('gym-checkin-form [part=message]').filter({ hasText: 'Lars Eriksson checked in' }).waitFor();
    assert.equal((await visits(member(24))).length, 1);
    await page.close();
  });

  it('no page logged an error or broke the content security policy', () => {
    assert.deepEqual(problems, []);
  });
});
