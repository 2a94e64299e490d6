// Time to live on the demo website, stage by stage: 20 fresh loads with a
// cold HTTP cache (a new browser context each) and 20 with a warm one (one
// context), against the local gym server on loopback. The stages come from
// navigation and resource timing and from the widgets' own `gym:*` marks,
// which the page asks for by setting `gymMarks` before the script runs.
import { startGymServer } from '../demo/server/gym-server.js';
import { seedMorning } from '../demo/server/simulator.js';
import { launchChromium } from '../scripts/launch-chromium.mjs';
import { median } from './lib/median.mjs';

export const LOADS = 20;

/** The stages, in the order a page goes through them. */
export const STAGES = [
  ['document', 'document received'],
  ['script', 'script downloaded'],
  ['defined', 'elements defined'],
  ['tokenAsked', 'token requested (after the tab election)'],
  ['token', 'token received'],
  ['open', 'socket open'],
  ['live', '"Live" shown'],
  ['stats', 'first figures rendered'],
  ['entry', 'first feed entry rendered'],
];

/** @param {number[]} values */
const p90 = (values) => [...values].sort((a, b) => a - b)[Math.ceil(0.9 * values.length) - 1] ?? NaN;

/** One load of the page: ms from navigation to each stage. @param {import('playwright-core').BrowserContext} context @param {string} url */
async function load(context, url) {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => performance.getEntriesByName('gym:entry').length > 0 && performance.getEntriesByName('gym:stats').length > 0, undefined, { timeout: 15_000 });
  const times = await page.evaluate(() => {
    const first = (/** @type {string} */ name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    const navigation = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
    const script = /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType('resource')).find((entry) => entry.name.endsWith('/gym-realtime-widgets.js'));
    const token = /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType('resource')).find((entry) => new URL(entry.name).pathname === '/demo/token');
    return {
      document: navigation.responseEnd,
      script: script?.responseEnd ?? NaN,
      tokenAsked: token?.startTime ?? NaN,
      ...Object.fromEntries(['defined', 'token', 'open', 'live', 'stats', 'entry'].map((stage) => [stage, first(`gym:${stage}`)])),
    };
  });
  await page.close();
  return /** @type {Record<string, number>} */ (times);
}

/** @param {Record<string, number>[]} runs */
const summarise = (runs) => Object.fromEntries(STAGES.map(([stage]) => [stage, { median: median(runs.map((run) => run[stage] ?? NaN)), p90: p90(runs.map((run) => run[stage] ?? NaN)) }]));

export async function timeToLiveBenchmark() {
  const server = await startGymServer({ servePages: true });
  seedMorning(server.gym);
  const browser = await launchChromium();
  const url = `${server.origin}/`;
  const asking = (/** @type {import('playwright-core').BrowserContext} */ context) => context.addInitScript(() => Object.assign(globalThis, { gymMarks: true }));
  try {
    const cold = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext();
      await asking(context);
      cold.push(await load(context, url));
      await context.close();
    }
    const context = await browser.newContext();
    await asking(context);
    await load(context, url); // fills the cache
    const warm = [];
    for (let i = 0; i < LOADS; i++) warm.push(await load(context, url));
    await context.close();
    return { loads: LOADS, cold: summarise(cold), warm: summarise(warm) };
  } finally {
    await browser.close();
    await server.close();
  }
}
