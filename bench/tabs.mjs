// One connection per browser: sockets and token fetches at the local gym
// server for 1, 5 and 20 tabs of the demo website, each tab on its own
// connection (`share="none"`, as before) and shared (the default); then the
// failover time, from closing the leading tab to the next socket at the server.
import { startGymServer } from '../demo/server/gym-server.js';
import { launchChromium } from '../scripts/launch-chromium.mjs';
import { median } from './lib/median.mjs';

const TAB_COUNTS = [1, 5, 20];
const HANDOVERS = 20;

/** @returns {Promise<{ connections: number, handshakes: number }>} */
const stateOf = async (/** @type {string} */ origin) => (await fetch(`${origin}/control/state`)).json();

/** @param {number[]} values @param {number} share */
const percentile = (values, share) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(share * values.length) - 1)];

/** @param {import('playwright-core').Page} page */
const live = (page) => page.locator('gym-connection-status [part=label]').filter({ hasText: 'Live' }).first().waitFor({ timeout: 30_000 });

export async function tabsBenchmark() {
  const server = await startGymServer({ port: 0, servePages: true });
  const browser = await launchChromium();
  const { origin } = server;
  try {
    /** @param {number} tabs @param {'none' | 'tabs'} share */
    const open = async (tabs, share) => {
      await fetch(`${origin}/control/drop`, { method: 'POST' });
      await fetch(`${origin}/control/reset`, { method: 'POST' });
      const context = await browser.newContext();
      let tokenFetches = 0;
      context.on('request', (request) => {
        if (new URL(request.url()).pathname === '/demo/token') tokenFetches++;
      });
      if (share === 'none') {
        // The page as it was before sharing: every provider keeps a connection of its own.
        // (Set before the module script upgrades the providers; a rewritten response would lose loopback access.)
        await context.addInitScript(() => {
          new MutationObserver((records) => {
            for (const record of records) for (const node of record.addedNodes) if (node instanceof Element && node.localName === 'gym-realtime-provider') node.setAttribute('share', 'none');
          }).observe(document, { childList: true, subtree: true });
        });
      }
      const pages = [];
      for (let i = 0; i < tabs; i++) {
        const page = await context.newPage();
        await page.goto(`${origin}/`);
        pages.push(page);
      }
      await Promise.all(pages.map(live));
      const { connections, handshakes } = await stateOf(origin);
      return { context, pages, sockets: connections, handshakes, tokenFetches };
    };

    /** @param {number} tabs @param {'none' | 'tabs'} share */
    const count = async (tabs, share) => {
      const { context, sockets, tokenFetches } = await open(tabs, share);
      await context.close();
      return { sockets, tokenFetches };
    };
    const counts = [];
    for (const tabs of TAB_COUNTS) counts.push({ tabs, before: await count(tabs, 'none'), after: await count(tabs, 'tabs') });

    // Failover: three tabs; close the leading one, time the next socket at the server, open a tab again.
    const { context, pages } = await open(3, 'tabs');
    const roleOf = (/** @type {import('playwright-core').Page} */ page) => page.evaluate(() => /** @type {any} */ (document.querySelector('gym-realtime-provider'))?.client?.role);
    const failovers = [];
    for (let i = 0; i < HANDOVERS; i++) {
      const roles = await Promise.all(pages.map(roleOf));
      const leader = pages[roles.indexOf('leader')];
      if (!leader) throw new Error(`no leading tab: ${roles.join(', ')}`);
      const { handshakes } = await stateOf(origin);
      const closedAt = performance.now();
      await leader.close();
      pages.splice(pages.indexOf(leader), 1);
      while ((await stateOf(origin)).handshakes === handshakes) {
        if (performance.now() - closedAt > 10_000) throw new Error('no tab took over within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      failovers.push(performance.now() - closedAt);
      await Promise.all(pages.map(live));
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      await live(page);
      pages.push(page);
    }
    await context.close();
    return { counts, failover: { handovers: HANDOVERS, medianMs: median(failovers), p99Ms: percentile(failovers, 0.99), maxMs: Math.max(...failovers) } };
  } finally {
    await browser.close();
    await server.close();
  }
}
