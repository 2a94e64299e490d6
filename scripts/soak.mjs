#!/usr/bin/env node
// `npm run test:soak`: the gym website open for an hour (SOAK_MINUTES) against
// the local gym server, with members coming and going every second, short-lived
// tokens, and every connection dropped or the server "restarted" each minute.
// Samples heap (after a forced GC), DOM nodes, event listeners, live timers and
// open sockets; fails when they grow. Figures go to bench/results/soak.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startGymServer } from '../demo/server/gym-server.js';
import { seedMorning, startSimulation } from '../demo/server/simulator.js';
import { CHROMIUM_ARGS, MISSING_BROWSER, findBrowser } from './find-browser.mjs';
import { countLiveTimers } from './page-probes.mjs';

const minutes = Number(process.env.SOAK_MINUTES ?? 60);
/** SOAK_DETAILS=1: the status element's diagnostics panel stays open all along (it re-renders every second). */
const withDetails = process.env.SOAK_DETAILS === '1';
const executablePath = findBrowser();
if (!executablePath) {
  console.error(MISSING_BROWSER);
  process.exit(1);
}

const server = await startGymServer({ port: 0, servePages: true, accessLifetimeSeconds: 90 });
seedMorning(server.gym);
const stopSimulation = startSimulation(server.gym, server.act, { eventsPerMinute: 60 });
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
const page = await browser.newPage();
await page.addInitScript(countLiveTimers);
const problems = /** @type {string[]} */ ([]);
page.on('pageerror', (error) => problems.push(error.message));
page.on('console', (message) => {
  if (message.type() === 'error' && !/^(WebSocket connection to|Failed to load resource)/.test(message.text())) problems.push(message.text());
});
const cdp = await page.context().newCDPSession(page);
await page.goto(`${server.origin}/`);
await page.locator('gym-connection-status [part=label]').filter({ hasText: 'Live' }).waitFor();
if (withDetails) {
  await page.locator('gym-connection-status').first().evaluate((status) => status.setAttribute('details', ''));
  await page.locator('gym-connection-status [part=details-toggle]').first().click();
  await page.locator('gym-connection-status [part=details]').first().waitFor();
}

async function sample(/** @type {number} */ minute) {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const counters = await cdp.send('Memory.getDOMCounters');
  const timers = await page.evaluate(() => /** @type {any} */ (window).__liveTimers());
  const status = await page.locator('gym-connection-status [part=label]').first().textContent();
  const state = /** @type {{ connections: number }} */ (await (await fetch(`${server.origin}/control/state`)).json());
  return { minute, heapMB: +(heap.usedSize / 2 ** 20).toFixed(2), nodes: counters.nodes, listeners: counters.jsEventListeners, timers, sockets: state.connections, status };
}

const samples = [await sample(0)];
console.log('minute  heap MB  DOM nodes  listeners  timers  sockets  status');
const print = (/** @type {any} */ s) =>
  console.log(`${String(s.minute).padStart(6)}  ${String(s.heapMB).padStart(7)}  ${String(s.nodes).padStart(9)}  ${String(s.listeners).padStart(9)}  ${String(s.timers).padStart(6)}  ${String(s.sockets).padStart(7)}  ${s.status}`);
print(samples[0]);
for (let minute = 1; minute <= minutes; minute++) {
  // Half a minute in, the link is broken: a drop on odd minutes, a 5 s restart on even ones.
  await page.waitForTimeout(30_000);
  await fetch(`${server.origin}/control/${minute % 2 ? 'drop' : 'refuse?ms=5000'}`, { method: 'POST' });
  await page.waitForTimeout(30_000);
  const s = await sample(minute);
  samples.push(s);
  print(s);
}

const first = samples[1] ?? samples[0];
const last = samples[samples.length - 1];
const verdict = {
  heapGrowthMB: +(last.heapMB - first.heapMB).toFixed(2),
  nodesGrowth: last.nodes - first.nodes,
  listenersGrowth: last.listeners - first.listeners,
  timersGrowth: last.timers - first.timers,
  socketsAtEnd: last.sockets,
  liveAtEnd: last.status === 'Live',
  problems,
};
console.log(JSON.stringify(verdict, null, 2));
mkdirSync(new URL('../bench/results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL(`../bench/results/soak${withDetails ? '-details' : ''}.json`, import.meta.url),
  JSON.stringify({ minutes, details: withDetails, samples, verdict, date: new Date().toISOString() }, null, 2),
);

stopSimulation();
await browser.close();
await server.close();
const ok =
  verdict.heapGrowthMB <= 2 && Math.abs(verdict.nodesGrowth) <= 50 && verdict.timersGrowth <= 2 && verdict.socketsAtEnd === 1 && verdict.liveAtEnd && problems.length === 0;
console.log(ok ? 'soak: 1 passed, 0 failed' : 'soak: 0 passed, 1 failed');
process.exit(ok ? 0 : 1);
