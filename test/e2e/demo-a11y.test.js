import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startGymServer } from '../../demo/server/gym-server.js';
import { seedMorning } from '../../demo/server/simulator.js';
import { launchChromium } from '../../scripts/launch-chromium.mjs';

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
/** Screenshots are test artifacts: written here, never committed. */
const ARTIFACTS = new URL('../../test-results/', import.meta.url);
/** WCAG 2.1 A and AA, as issue 18 asks. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa'];
/** The widgets a visitor sees (the provider and the error boundary show only what is inside them). */
const WIDGETS = 'gym-connection-status, gym-checkin-feed, gym-checkin-stats, gym-checkin-form';

/**
 * Every demo page, with what it shows once it is Live: how many status
 * widgets (in the page itself, and in each of its frames), and whether a feed
 * or figures must have arrived before axe looks.
 * @type {{ path: string, statuses: number, frames?: number[], feed?: boolean, stats?: boolean }[]}
 */
const PAGES = [
  { path: '/', statuses: 1, feed: true, stats: true },
  { path: '/cms.html', statuses: 1, feed: true, stats: true },
  { path: '/front-desk.html', statuses: 1, feed: true, stats: true },
  // The control panel frames the website and the front desk: axe checks them in place too.
  { path: '/control.html', statuses: 1, frames: [1, 1] },
  { path: '/pasted-twice.html', statuses: 2, stats: true },
  { path: '/react.html', statuses: 1, feed: true, stats: true },
  { path: '/vue.html', statuses: 1, feed: true, stats: true },
];

/**
 * Light and dark are what a visitor sees whose OS prefers each (the pages set
 * theme="auto", and site.css follows the OS too); right to left is the light
 * page with dir=rtl on <html> (in every frame).
 * @type {{ name: string, colorScheme: 'light' | 'dark', rtl: boolean }[]}
 */
const PASSES = [
  { name: 'light', colorScheme: 'light', rtl: false },
  { name: 'dark', colorScheme: 'dark', rtl: false },
  { name: 'rtl', colorScheme: 'light', rtl: true },
];

/** An axe target: a selector per frame, each a selector or a list of them (one per shadow root) — as one line. */
const selector = (/** @type {(string | string[])[]} */ target) => target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : part)).join(' | in the frame: ');

/**
 * axe's violations, one readable block each: rule, impact, what it asks, and
 * every element that breaks it with axe's own explanation.
 * @param {any[]} violations
 */
const describeViolations = (violations) =>
  violations
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes
          .map((/** @type {any} */ node) => `    ${selector(node.target)}\n      ${String(node.failureSummary ?? '').replace(/\n\s*/g, ' ')}`)
          .join('\n')}`,
    )
    .join('\n');

/**
 * The demo pages as a visitor sees them (the built bundle and host apps,
 * served by the local gym server, in Debian's Chromium), checked by axe once
 * Live: light, dark and right to left. axe looks inside the widgets' shadow
 * roots and into the control panel's frames.
 */
describe('the demo pages are accessible (axe, WCAG 2.1 AA), light, dark and right to left', () => {
  /** @type {Awaited<ReturnType<typeof startGymServer>>} */
  let server;
  /** @type {import('playwright-core').Browser} */
  let browser;

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
   * Waits, in one frame, until its `statuses` status widgets all say Live and
   * the feed's rows and the figures (when asked for) have arrived.
   * @param {import('playwright-core').Page | import('playwright-core').Frame} frame
   * @param {{ statuses: number, feed?: boolean, stats?: boolean }} expected
   */
  async function whenLive(frame, { statuses, feed, stats }) {
    const labels = frame.locator('gym-connection-status [part=label]');
    for (let i = 0; i < statuses; i++) await labels.nth(i).filter({ hasText: 'Live' }).waitFor();
    assert.equal(await labels.count(), statuses, `${frame.url()}: status widgets`);
    if (feed) await frame.locator('gym-checkin-feed [part=name]').first().waitFor();
    if (stats) await frame.locator('gym-checkin-stats [part=value]').first().filter({ hasText: /\d/ }).waitFor();
  }

  /**
   * What in one frame does not show the pass: a page or widget whose text is
   * not light on dark (dark) or dark on light, or a widget not laid out right
   * to left (rtl). Without this, a pass that failed to switch would check the
   * light page again and pass.
   * @param {import('playwright-core').Frame} frame
   * @param {(typeof PASSES)[number]} pass
   */
  async function notShown(frame, pass) {
    const wrong = await frame.evaluate(
      ([widgetsSelector, dark, rtl]) => {
        const light = (/** @type {string} */ colour) => {
          const [r = 0, g = 0, b = 0] = (colour.match(/[\d.]+/g) ?? []).map(Number);
          return r + g + b > 3 * 128;
        };
        const page = light(getComputedStyle(document.body).color) !== dark || light(getComputedStyle(document.documentElement).backgroundColor) === dark;
        const widgets = [...document.querySelectorAll(widgetsSelector)].filter((widget) => {
          const style = getComputedStyle(widget);
          return light(style.color) !== dark || (rtl && style.direction !== 'rtl');
        });
        return [...(page ? ['the page'] : []), ...widgets.map((widget) => widget.localName)];
      },
      /** @type {const} */ ([WIDGETS, pass.colorScheme === 'dark', pass.rtl]),
    );
    return wrong.map((what) => `${new URL(frame.url()).pathname}: ${what}`);
  }

  for (const pass of PASSES) {
    describe(pass.name, () => {
      for (const { path, frames = [], ...expected } of PAGES) {
        it(`${path}: axe finds no violation once Live`, async () => {
          const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, colorScheme: pass.colorScheme });
          /** @type {string[]} */
          const problems = [];
          page.on('console', (message) => {
            if (message.type() === 'error' || message.type() === 'warning') problems.push(`console: ${message.text()}`);
          });
          page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
          try {
            // The pages' policy (Trusted Types, no inline script) refuses a script tag added later: axe comes in
            // as an init script instead, in the page and each of its frames, as the browser's own tools do.
            await page.addInitScript({ path: AXE });
            await page.goto(`${server.origin}${path}`);
            await whenLive(page, expected);
            const children = page.mainFrame().childFrames();
            assert.equal(children.length, frames.length, 'frames');
            await Promise.all(children.map((frame, i) => whenLive(frame, { statuses: /** @type {number} */ (frames[i]), feed: true, stats: true })));
            const all = [page.mainFrame(), ...children];
            if (pass.rtl) await Promise.all(all.map((frame) => frame.evaluate(() => (document.documentElement.dir = 'rtl'))));
            assert.deepEqual((await Promise.all(all.map((frame) => notShown(frame, pass)))).flat(), [], `the page is not shown ${pass.name}`);
            // axe runs from the top frame and asks its copies in the frames for theirs.
            const { violations, reached } = await page.evaluate(async (tags) => {
              const result = await /** @type {any} */ (window).axe.run(document, { runOnly: { type: 'tag', values: tags } });
              // A node in a shadow root is targeted by a list of selectors, its hosts' first, each ending in the host's
              // own name: which widgets axe looked into, and whether in a frame.
              const host = (/** @type {string} */ selector) => selector.replace(/\[[^\]]*\]/g, '').match(/gym-[a-z-]+/g)?.at(-1) ?? selector;
              const targets = ['passes', 'violations', 'incomplete'].flatMap((type) => result[type].flatMap((/** @type {any} */ rule) => rule.nodes.map((/** @type {any} */ node) => node.target)));
              const inside = targets.flatMap((/** @type {(string | string[])[]} */ target) =>
                target.flatMap((part, depth) => (Array.isArray(part) ? part.slice(0, -1).map((selector) => `${depth ? 'frame ' : ''}${host(selector)}`) : [])),
              );
              return { violations: result.violations, reached: [...new Set(inside)].sort() };
            }, TAGS);
            assert.ok(violations.length === 0, `axe, ${pass.name}, ${path}:\n${describeViolations(violations)}`);
            const widgets = await Promise.all(all.map((frame) => frame.evaluate((selector) => [...document.querySelectorAll(selector)].map((widget) => widget.localName), WIDGETS)));
            const shown = [...new Set(widgets.flatMap((names, depth) => names.map((name) => `${depth ? 'frame ' : ''}${name}`)))].sort();
            assert.deepEqual(reached, shown, 'axe checked inside the shadow root of every kind of widget on the page, and in its frames');
            if (pass.name === 'dark') {
              const name = path === '/' ? 'index' : path.slice(1, -'.html'.length);
              await page.screenshot({ path: new URL(`a11y-dark-${name}.png`, ARTIFACTS).pathname, fullPage: true });
            }
            assert.deepEqual(problems, [], 'the page logged no error or warning');
          } finally {
            await page.close();
          }
        });
      }
    });
  }
});
