import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startGymServer } from '../../demo/server/gym-server.js';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { buildStorybook, defaultStorybook, serve } from '../node/storybook-build.js';

/**
 * The Storybook playground talks to the local gym server that `npm start`
 * printed, not to a hard-coded ws://localhost:8080.
 */
describe('Storybook playground: the gym server it talks to', () => {
  /** @type {import('playwright-core').Browser} */
  let browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(() => browser?.close());

  /** The provider's addresses in the Playground story of the Storybook served at `origin`, once `ready` holds. */
  async function playground(/** @type {string} */ origin, ready = 'true') {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/iframe.html?id=elements-realtime-provider--playground&viewMode=story`);
      await page.waitForFunction(ready, undefined, { timeout: 15_000 });
      return await page.locator('gym-realtime-provider').evaluate((provider) => ({
        url: provider.getAttribute('url'),
        tokenUrl: provider.getAttribute('token-url'),
        historyUrl: provider.getAttribute('history-url'),
        state: /** @type {any} */ (provider).connectionState,
      }));
    } finally {
      await page.close();
    }
  }

  it('built with STORYBOOK_GYM_URL (a page npm start printed), it connects to that server and goes live', { timeout: 120_000 }, async () => {
    const gym = await startGymServer({ port: 0 });
    const dir = await mkdtemp(join(tmpdir(), 'storybook-gym-url-'));
    const { server, origin } = await serve(dir);
    try {
      await buildStorybook(dir, { STORYBOOK_GYM_URL: `${gym.origin}/cms.html` });
      const shown = await playground(origin, `document.querySelector('gym-realtime-provider')?.connectionState === 'open'`);
      assert.deepEqual(shown, {
        url: `ws://127.0.0.1:${gym.port}/ws/checkins/`,
        tokenUrl: `${gym.origin}/demo/token`,
        historyUrl: `${gym.origin}/api/checkins/recent/`,
        state: 'open',
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await gym.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('built without it, it falls back to npm start\'s first choice, localhost:8080', { timeout: 120_000 }, async () => {
    // The build without STORYBOOK_GYM_URL is the one every story is checked in (storybook.test.js):
    // `npm test` builds it once for both files.
    const built = await defaultStorybook();
    const { server, origin } = await serve(built.dir);
    try {
      const shown = await playground(origin, `document.querySelector('gym-realtime-provider')?.hasAttribute('url')`);
      assert.deepEqual(
        { url: shown.url, tokenUrl: shown.tokenUrl, historyUrl: shown.historyUrl },
        { url: 'ws://localhost:8080/ws/checkins/', tokenUrl: 'http://localhost:8080/demo/token', historyUrl: 'http://localhost:8080/api/checkins/recent/' },
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await built.dispose();
    }
  });
});
