import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { defaultStorybook, serve } from '../node/storybook-build.js';

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
/** Chromium's own log of a refused connection: expected only in stories that talk to a real server. */
const NETWORK_NOISE = /^(WebSocket connection to .* failed|Failed to load resource: net::ERR_CONNECTION_REFUSED)/;

/**
 * Each story is checked light, dark and right to left. Dark is what a visitor
 * whose OS prefers dark sees with theme="auto" (the toolbar's 'auto' theme,
 * the scheme emulated), so both the dark defaults and the switch by the OS are
 * exercised.
 * @type {{ name: string, colorScheme: 'light' | 'dark', globals: string }[]}
 */
const PASSES = [
  { name: 'light', colorScheme: 'light', globals: 'theme:light;dir:ltr' },
  { name: 'dark', colorScheme: 'dark', globals: 'theme:auto;dir:ltr' },
  { name: 'rtl', colorScheme: 'light', globals: 'theme:light;dir:rtl' },
];

/**
 * Opens every story of the built Storybook in Chromium and fails on a console
 * error, a page error or an accessibility violation found by axe in the story.
 */
describe('Storybook: every story renders cleanly and accessibly', () => {
  /** @type {Awaited<ReturnType<typeof defaultStorybook>>} */
  let built;
  /** @type {Awaited<ReturnType<typeof serve>>} */
  let server;
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {string} */
  let origin;
  /** @type {{ id: string, title: string, name: string, tags: string[] }[]} */
  let stories;

  before(async () => {
    // The Storybook `npm test` built once for this file and the playground's (or, run alone, one built now).
    built = await defaultStorybook();
    server = await serve(built.dir);
    origin = server.origin;
    const index = JSON.parse(await readFile(join(built.dir, 'index.json'), 'utf8'));
    stories = Object.values(index.entries).filter((entry) => entry.type === 'story');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await built?.dispose();
  });

  /**
   * Renders each story in turn in one page (as Storybook's own test runner
   * does, through the preview's channel), collecting what went wrong per story.
   * @param {{ id: string, tags: string[] }[]} queue
   * @param {Record<string, string[]>} failures
   * @param {(typeof PASSES)[number]} pass
   */
  async function worker(queue, failures, pass) {
    const page = await browser.newPage({ viewport: { width: 900, height: 800 }, colorScheme: pass.colorScheme });
    // The page's timers run on Playwright's clock: time flows, and a story's steps can be skipped to.
    await page.clock.install();
    /** @type {{ id: string, tags: string[] } | undefined} */
    let current;
    const report = (/** @type {string} */ problem) => current && (failures[`${pass.name} ${current.id}`] ??= []).push(problem);
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (current?.tags.includes('network') && NETWORK_NOISE.test(message.text())) return;
      report(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => report(`page error: ${error.message}`));
    // The a11y addon's own automatic pass is off: this test runs axe itself.
    let shown = queue[0]?.id;
    await page.goto(`${origin}/iframe.html?id=${shown}&viewMode=story&globals=a11y.manual:!true;${pass.globals}`);
    await page.waitForFunction(() => /** @type {any} */ (window).__STORYBOOK_ADDONS_CHANNEL__);
    await page.addScriptTag({ path: AXE });
    for (let story = queue.shift(); story; story = queue.shift()) {
      current = story;
      const rendered = await page.evaluate(
        ([id, again]) =>
          new Promise((resolve) => {
            const channel = /** @type {any} */ (window).__STORYBOOK_ADDONS_CHANNEL__;
            const finish = (/** @type {string} */ outcome) => () => {
              for (const [event, listener] of listeners) channel.off(event, listener);
              clearTimeout(timer);
              resolve(outcome);
            };
            const listeners = /** @type {[string, () => void][]} */ ([
              ['storyRendered', finish('rendered')],
              ['storyErrored', finish('errored')],
              ['storyThrewException', finish('threw')],
            ]);
            const timer = setTimeout(finish('did not render within 10 s'), 10_000);
            for (const [event, listener] of listeners) channel.on(event, listener);
            // The story already on display renders again on a remount.
            channel.emit(again ? 'forceRemount' : 'setCurrentStory', { storyId: id, viewMode: 'story' });
          }),
        [story.id, story.id === shown],
      );
      shown = story.id;
      if (rendered !== 'rendered') report(`the story ${rendered}`);
      // Stories that take a step (submit, trip, recover) do it within half a second: skip ahead to after it.
      await page.clock.runFor(600);
      const violations = await page.evaluate(async () => {
        const result = await /** @type {any} */ (window).axe.run('#storybook-root', { resultTypes: ['violations'] });
        return result.violations.map((/** @type {any} */ v) => `${v.id}: ${v.nodes.map((/** @type {any} */ n) => n.target.join(' ')).join(', ')}`);
      });
      violations.forEach((/** @type {string} */ violation) => report(`axe ${violation}`));
      // A pass that failed to switch would check the same thing twice: the widgets' text (light on dark) and direction say what they show.
      const wrong = await page.evaluate(
        ([dark, rtl]) => {
          const widgets = [...document.querySelectorAll('#storybook-root :is(gym-connection-status, gym-checkin-feed, gym-checkin-stats, gym-checkin-form)')];
          return widgets
            .filter((widget) => {
              const style = getComputedStyle(widget);
              const [r = 0, g = 0, b = 0] = (style.color.match(/[\d.]+/g) ?? []).map(Number);
              // A story may set its own direction (the feed's right-to-left story); the rtl pass leaves none out.
              return (r + g + b > 3 * 128) !== dark || (rtl && style.direction !== 'rtl');
            })
            .map((widget) => widget.localName);
        },
        [pass.colorScheme === 'dark', pass.globals.includes('dir:rtl')],
      );
      if (wrong.length) report(`not shown ${pass.name}: ${wrong.join(', ')}`);
    }
    await page.close();
  }

  it('builds a story for every element and state', () => {
    assert.ok(stories.length >= 40, `only ${stories.length} stories`);
    for (const title of ['Connection status', 'Check-in feed', 'Check-in stats', 'Check-in form', 'Error boundary', 'Realtime provider']) {
      assert.ok(stories.some((story) => story.title === `Elements/${title}`), title);
    }
  });

  for (const pass of PASSES) {
    it(`opens every story (${pass.name}) without a console error, a page error or an axe violation`, async () => {
      /** @type {Record<string, string[]>} */
      const failures = {};
      // Stories that talk to a real server go last, in a page of their own, so that a
      // connection they leave failing cannot be blamed on the story after them.
      const queue = stories.filter((story) => !story.tags.includes('network'));
      await Promise.all([worker(queue, failures, pass), worker(queue, failures, pass)]);
      await worker(
        stories.filter((story) => story.tags.includes('network')),
        failures,
        pass,
      );
      assert.deepEqual(failures, {});
    });
  }
});
