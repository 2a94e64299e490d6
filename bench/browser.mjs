// Benchmarks in headless Chromium (Debian's, found like the tests find it):
// inbound throughput with our frame-batched elements and, in the same run, a
// naive variant that renders on every message; the client's per-frame cost
// against JSON.parse; the frame rate at 1,000 events a second; memory after
// 100,000 events; 1,000 attach/detach cycles.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { launchChromium } from '../scripts/launch-chromium.mjs';
import { countLiveTimers } from '../scripts/page-probes.mjs';
import { median } from './lib/median.mjs';

const FRAMES = 100_000;
const WARMUP = 200;
const CYCLES = 1000;
/** Attach/detach cycles before the first heap reading: the heap grows while V8 warms up (compiled code, caches), then stays flat. */
const WARMUP_CYCLES = 100;
const BUNDLE = new URL('../dist/bundle/gym-realtime-widgets.js', import.meta.url);

/**
 * A check-in, then the figures it changed, alternately; every visit id is new.
 * @param {number} count @param {string} idPrefix keeps the warm-up's visits apart from the measured ones
 */
function makeFrames(count, idPrefix) {
  const frames = [];
  const start = Date.parse('2026-11-27T06:00:00Z');
  for (let i = 0; i < count / 2; i++) {
    const at = new Date(start + i * 1000).toISOString();
    frames.push(
      JSON.stringify({
        type: 'member_checked_in',
        payload: {
          id: `${idPrefix}0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          member: { id: `00000000-0000-4000-8000-${String((i % 40) + 1).padStart(12, '0')}`, full_name: `Member ${i % 40}`, email: null, membership_type: 'standard' },
          location: 'Front desk',
          check_in_time: at,
          check_out_time: null,
          notes: '',
        },
      }),
      JSON.stringify({ type: 'check_in_stats', payload: { currentlyIn: i % 120, todayTotal: i + 1, averageStayMinutes: 52, timestamp: at } }),
    );
  }
  return frames;
}

const PAGE = /* html */ `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bench</title></head>
<body>
<main id="host"></main>
<script type="module">
  import * as widgets from '/gym-realtime-widgets.js';
  window.widgets = widgets;
  window.benchReady = true;
</script>
</body></html>`;

/**
 * Runs before the page's scripts: counts animation frames, renders per element
 * per frame and long tasks. With `naive`, the elements' "at most
 * one render per animation frame" becomes "one render per message".
 */
function instrument(/** @type {boolean} */ naive) {
  const w = /** @type {any} */ (window);
  const raf = window.requestAnimationFrame.bind(window);
  const bench = (w.bench = { frame: 0, renders: /** @type {Record<string, number>} */ ({}), maxPerFrame: /** @type {Record<string, number>} */ ({}), longestTask: 0, longTasks: 0 });
  const tick = () => {
    bench.frame++;
    raf(tick);
  };
  raf(tick);
  if (naive) {
    w.requestAnimationFrame = (/** @type {FrameRequestCallback} */ callback) => {
      queueMicrotask(() => callback(performance.now()));
      return 1;
    };
    w.cancelAnimationFrame = () => {};
  }
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      bench.longTasks++;
      bench.longestTask = Math.max(bench.longestTask, entry.duration);
    }
  }).observe({ type: 'longtask', buffered: true });
  /** @type {Map<string, { frame: number, count: number }>} */
  const perFrame = new Map();
  /** ms the feed spent updating (render, commit, rows) in each animation frame that had an update. */
  const feedMs = (w.feedMs = /** @type {number[]} */ ([]));
  let feedFrame = -1;
  w.timeFeed = () => {
    const proto = /** @type {any} */ (customElements.get('gym-checkin-feed')).prototype;
    const performUpdate = proto.performUpdate;
    proto.performUpdate = function () {
      const start = performance.now();
      const result = performUpdate.call(this);
      const ms = performance.now() - start;
      if (feedFrame === bench.frame) feedMs[feedMs.length - 1] += ms;
      else feedMs.push(ms);
      feedFrame = bench.frame;
      return result;
    };
  };
  w.countRenders = (/** @type {string[]} */ tags) => {
    for (const tag of tags) {
      const proto = /** @type {any} */ (customElements.get(tag)).prototype;
      const update = proto.update;
      proto.update = function (/** @type {unknown} */ changed) {
        bench.renders[tag] = (bench.renders[tag] ?? 0) + 1;
        const seen = perFrame.get(tag);
        const count = seen && seen.frame === bench.frame ? seen.count + 1 : 1;
        perFrame.set(tag, { frame: bench.frame, count });
        bench.maxPerFrame[tag] = Math.max(bench.maxPerFrame[tag] ?? 0, count);
        return update.call(this, changed);
      };
    }
  };
}

/** A loopback server for the page, the bundle, the frames, and a socket that pushes them on request. */
async function startBenchServer(/** @type {Record<string, string[]>} */ sets) {
  const frames = /** @type {string[]} */ (sets.main);
  const bundle = await readFile(BUNDLE);
  const framesJson = JSON.stringify(frames);
  const http = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const files = /** @type {Record<string, [string, string | Buffer]>} */ ({
      '/': ['text/html', PAGE],
      '/gym-realtime-widgets.js': ['text/javascript', bundle],
      '/frames.json': ['application/json', framesJson],
    });
    const file = files[path ?? ''];
    if (!file) return response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': file[0] }).end(file[1]);
  });
  const wss = new WebSocketServer({ server: http, path: '/ws/checkins/' });
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ type: 'initial_stats', payload: { currentlyIn: 0, todayTotal: 0, averageStayMinutes: 0 } }));
    ws.on('message', (data) => {
      const { type, payload } = JSON.parse(String(data));
      if (type === 'bench_go') push(ws, /** @type {string[]} */ (sets[payload.set]));
      if (type === 'bench_pace') pace(ws, /** @type {string[]} */ (sets[payload.set]), payload.perSecond, payload.count);
    });
  });
  /** As fast as the socket drains: the OS buffer is the only brake. */
  function push(/** @type {import('ws').WebSocket} */ ws, /** @type {string[]} */ frames) {
    let next = 0;
    const chunk = () => {
      while (next < frames.length && ws.bufferedAmount < 4 * 2 ** 20) ws.send(/** @type {string} */ (frames[next++]));
      if (next < frames.length) setImmediate(chunk);
    };
    chunk();
  }
  /** `perSecond` frames a second, evenly, until `count` went out. */
  function pace(/** @type {import('ws').WebSocket} */ ws, /** @type {string[]} */ frames, /** @type {number} */ perSecond, /** @type {number} */ count) {
    let next = 0;
    const start = performance.now();
    const timer = setInterval(() => {
      const due = Math.min(count, frames.length, Math.floor(((performance.now() - start) * perSecond) / 1000));
      while (next < due) ws.send(/** @type {string} */ (frames[next++]));
      if (next >= Math.min(count, frames.length)) clearInterval(timer);
    }, 4);
  }
  await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (http.address());
  return {
    origin: `http://127.0.0.1:${port}`,
    socketUrl: `ws://127.0.0.1:${port}/ws/checkins/`,
    sockets: () => wss.clients.size,
    close: () => (wss.close(), new Promise((resolve) => http.close(() => resolve(undefined)))),
  };
}

/** @param {import('playwright-core').Page} page */
async function memory(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  await cdp.detach();
  return { heapBytes: heap.usedSize, nodes: dom.nodes, listeners: dom.jsEventListeners };
}

/**
 * 100,000 frames through provider + status + stats + feed (limit 20).
 * @param {import('playwright-core').Browser} browser @param {Awaited<ReturnType<typeof startBenchServer>>} server @param {boolean} naive
 */
async function throughput(browser, server, naive) {
  const page = await browser.newPage();
  await page.addInitScript(instrument, naive);
  await page.goto(server.origin);
  await page.waitForFunction(() => /** @type {any} */ (window).benchReady, undefined, { polling: 50 });
  await page.evaluate((url) => {
    const w = /** @type {any} */ (window);
    w.countRenders(['gym-connection-status', 'gym-checkin-stats', 'gym-checkin-feed']);
    w.timeFeed();
    /** @type {HTMLElement} */ (document.querySelector('#host')).innerHTML = `
      <gym-realtime-provider url="${url}" token="bench">
        <gym-connection-status></gym-connection-status>
        <gym-checkin-stats></gym-checkin-stats>
        <gym-checkin-feed limit="20"></gym-checkin-feed>
      </gym-realtime-provider>`;
  }, server.socketUrl);
  // Polled by timer: in the naive page requestAnimationFrame is a microtask, and Playwright's default polling uses it.
  await page.waitForFunction(() => /** @type {any} */ (document.querySelector('gym-realtime-provider')).connectionState === 'open', undefined, { polling: 50 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  // Fill the feed first, so "before" and "after" compare the same page: 20 entries shown.
  await pushFrames(page, 'warmup', WARMUP);
  // Past the feed's 2 s announcement, so both readings see the same live region.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const before = await memory(page);
  const run = /** @type {any} */ (await pushFrames(page, 'main', FRAMES));
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const after = await memory(page);
  await page.close();
  const feedMs = /** @type {number[]} */ (run.feedMsPerFrame);
  delete run.feedMsPerFrame;
  const feedRender = { medianMs: median(feedMs), p95Ms: feedMs[Math.ceil(0.95 * feedMs.length) - 1] ?? 0, maxMs: feedMs.at(-1) ?? 0 };
  return { ...run, feedRender, framesPerSecond: Math.round(FRAMES / run.seconds), memory: { before, after } };
}

/**
 * Asks the server for a set of frames and resolves once all arrived and the last render happened.
 * @param {import('playwright-core').Page} page @param {string} set @param {number} count
 */
function pushFrames(page, set, count) {
  return page.evaluate(
    ({ set, count }) =>
      new Promise((resolve) => {
        const w = /** @type {any} */ (window);
        const client = /** @type {any} */ (document.querySelector('gym-realtime-provider')).client;
        const received = { member_checked_in: 0, check_in_stats: 0 };
        let first = 0;
        const rendersBefore = { ...w.bench.renders };
        const framesBefore = w.bench.frame;
        w.bench.maxPerFrame = {};
        w.feedMs.length = 0;
        w.bench.longestTask = 0;
        w.bench.longTasks = 0;
        const stop = client.subscribe('*', (/** @type {{ type: keyof typeof received }} */ message) => {
          if (!(message.type in received)) return;
          first ||= performance.now();
          received[message.type]++;
          if (received.member_checked_in + received.check_in_stats < count) return;
          stop();
          const seconds = (performance.now() - first) / 1000;
          // Let the last batched render happen before reading the result.
          requestAnimationFrame(() =>
            setTimeout(() => {
              const feed = /** @type {any} */ (document.querySelector('gym-checkin-feed'));
              const stats = /** @type {any} */ (document.querySelector('gym-checkin-stats'));
              const renders = Object.fromEntries(Object.entries(w.bench.renders).map(([tag, n]) => [tag, /** @type {number} */ (n) - (rendersBefore[tag] ?? 0)]));
              resolve({
                seconds,
                received,
                animationFrames: w.bench.frame - framesBefore,
                renders,
                maxRendersPerFrame: w.bench.maxPerFrame,
                longestTaskMs: w.bench.longestTask,
                longTasks: w.bench.longTasks,
                feedMsPerFrame: [...w.feedMs].sort((a, b) => a - b),
                newestEntry: feed.entries[0]?.id,
                entriesShown: feed.entries.length,
                todayTotal: stats.stats?.todayTotal,
              });
            }, 100),
          );
        });
        client.send('bench_go', { set });
      }),
    { set, count },
  );
}

const PACED_PER_SECOND = 1000;
const PACED_SECONDS = 5;

/**
 * The page's frame rate while events arrive at 1,000 a second (check-ins and figures, alternately)
 * into provider + status + stats + feed: animation-frame deltas, and the long animation frames
 * (Long Animation Frames API, ≥ 50 ms) with how long the longest was.
 * @param {import('playwright-core').Browser} browser @param {Awaited<ReturnType<typeof startBenchServer>>} server
 */
async function pacedFrameRate(browser, server) {
  const page = await browser.newPage();
  await page.addInitScript(instrument, false);
  await page.goto(server.origin);
  await page.waitForFunction(() => /** @type {any} */ (window).benchReady, undefined, { polling: 50 });
  await page.evaluate((url) => {
    /** @type {HTMLElement} */ (document.querySelector('#host')).innerHTML = `
      <gym-realtime-provider url="${url}" token="bench">
        <gym-connection-status></gym-connection-status>
        <gym-checkin-stats></gym-checkin-stats>
        <gym-checkin-feed limit="20"></gym-checkin-feed>
      </gym-realtime-provider>`;
  }, server.socketUrl);
  await page.waitForFunction(() => /** @type {any} */ (document.querySelector('gym-realtime-provider')).connectionState === 'open');
  await pushFrames(page, 'warmup', WARMUP);
  const count = PACED_PER_SECOND * PACED_SECONDS;
  const result = await page.evaluate(
    ({ count, perSecond }) =>
      new Promise((resolve) => {
        const client = /** @type {any} */ (document.querySelector('gym-realtime-provider')).client;
        /** @type {number[]} */
        const frames = [];
        /** @type {number[]} */
        const loafs = [];
        let running = true;
        const tick = (/** @type {number} */ t) => {
          frames.push(t);
          if (running) requestAnimationFrame(tick);
        };
        const observer = new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) loafs.push(entry.duration);
        });
        observer.observe({ type: 'long-animation-frame' });
        let received = 0;
        const stop = client.subscribe('*', (/** @type {{ type: string }} */ message) => {
          if (message.type !== 'member_checked_in' && message.type !== 'check_in_stats') return;
          if (received++ === 0) requestAnimationFrame(tick);
          if (received < count) return;
          stop();
          running = false;
          requestAnimationFrame(() => {
            observer.disconnect();
            const deltas = frames.slice(1).map((t, i) => t - /** @type {number} */ (frames[i])).sort((a, b) => a - b);
            const seconds = (/** @type {number} */ (frames.at(-1)) - /** @type {number} */ (frames[0])) / 1000;
            resolve({ fps: (frames.length - 1) / seconds, p95DeltaMs: deltas[Math.ceil(0.95 * deltas.length) - 1] ?? 0, longFrames: loafs.length, longestFrameMs: Math.max(0, ...loafs) });
          });
        });
        client.send('bench_pace', { set: 'main', perSecond, count });
      }),
    { count, perSecond: PACED_PER_SECOND },
  );
  await page.close();
  const { fps, p95DeltaMs, longFrames, longestFrameMs } = /** @type {{ fps: number, p95DeltaMs: number, longFrames: number, longestFrameMs: number }} */ (result);
  return { perSecond: PACED_PER_SECOND, seconds: PACED_SECONDS, fps, p95DeltaMs, longFrames, longestFrameMs };
}

/** Per-frame cost of the client (decode, validate, dedupe, deliver) against JSON.parse alone, same frames, same page. */
async function clientCost(/** @type {import('playwright-core').Browser} */ browser, /** @type {Awaited<ReturnType<typeof startBenchServer>>} */ server) {
  const page = await browser.newPage();
  await page.goto(server.origin);
  await page.waitForFunction(() => /** @type {any} */ (window).benchReady);
  const result = await page.evaluate(async () => {
    const frames = /** @type {string[]} */ (await (await fetch('/frames.json')).json());
    const { RealtimeClient } = /** @type {any} */ (window).widgets;
    /** The client's socket, for feeding it frames directly. @type {any} */
    let socket;
    class CapturingSocket {
      send() {}
      close() {}
    }
    const Capturing = new Proxy(CapturingSocket, {
      construct(target, args) {
        socket = Reflect.construct(target, args);
        return socket;
      },
    });
    const timeParse = () => {
      const t0 = performance.now();
      for (const frame of frames) JSON.parse(frame);
      return performance.now() - t0;
    };
    const timeClient = async () => {
      const client = new RealtimeClient({ url: 'ws://bench.invalid/', token: 't', WebSocket: Capturing, heartbeatInterval: 3_600_000, share: 'none' });
      let delivered = 0;
      client.subscribe('*', () => delivered++);
      client.connect();
      while (!socket) await new Promise((resolve) => setTimeout(resolve, 0));
      socket.onopen();
      const t0 = performance.now();
      for (const data of frames) socket.onmessage({ data });
      const ms = performance.now() - t0;
      client.dispose();
      socket = undefined;
      if (delivered !== frames.length) throw new Error(`client delivered ${delivered} of ${frames.length}`);
      return ms;
    };
    const parse = [];
    const client = [];
    for (let i = 0; i < 5; i++) {
      parse.push(timeParse());
      client.push(await timeClient());
    }
    return { parse, client, frames: frames.length };
  });
  await page.close();
  const parseMs = median(result.parse);
  const clientMs = median(result.client);
  return { parseMs, clientMs, frames: result.frames, ratio: clientMs / parseMs, clientNsPerFrame: Math.round((clientMs * 1e6) / result.frames) };
}

/** 1,000 times: a provider with every element inside is attached, goes live, renders, and is removed. */
async function attachDetach(/** @type {import('playwright-core').Browser} */ browser, /** @type {Awaited<ReturnType<typeof startBenchServer>>} */ server) {
  const page = await browser.newPage();
  await page.addInitScript(countLiveTimers);
  await page.goto(server.origin);
  await page.waitForFunction(() => /** @type {any} */ (window).benchReady);
  const cycles = (/** @type {number} */ count) =>
    page.evaluate(
      async (/** @type {{ count: number, url: string }} */ { count, url }) => {
        const host = /** @type {HTMLElement} */ (document.querySelector('#host'));
        for (let i = 0; i < count; i++) {
          host.innerHTML = `
            <gym-realtime-provider url="${url}" token="bench">
              <gym-error-boundary>
                <gym-connection-status></gym-connection-status>
                <gym-checkin-stats></gym-checkin-stats>
                <gym-checkin-feed limit="20" notify actions></gym-checkin-feed>
                <gym-checkin-form></gym-checkin-form>
              </gym-error-boundary>
            </gym-realtime-provider>`;
          const provider = /** @type {any} */ (host.querySelector('gym-realtime-provider'));
          while (provider.connectionState !== 'open') await new Promise((resolve) => setTimeout(resolve, 1));
          await new Promise((resolve) => requestAnimationFrame(resolve));
          host.replaceChildren();
        }
      },
      { count, url: server.socketUrl },
    );
  await cycles(WARMUP_CYCLES);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const warm = await memory(page);
  const started = performance.now();
  await cycles(CYCLES / 2);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const half = await memory(page);
  await cycles(CYCLES / 2);
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const end = await memory(page);
  const liveTimers = await page.evaluate(() => /** @type {any} */ (window).__liveTimers());
  const sockets = server.sockets();
  await page.close();
  return { cycles: CYCLES, warmupCycles: WARMUP_CYCLES, seconds, warm, half, end, liveTimers, openSockets: sockets };
}

/** From navigation to the first "Live" and the first feed entry on the demo's website page. */
export async function browserBenchmarks() {
  const main = makeFrames(FRAMES, '2');
  const server = await startBenchServer({ warmup: makeFrames(WARMUP, '3'), main });
  const browser = await launchChromium();
  try {
    const batched = await throughput(browser, server, false);
    const naive = await throughput(browser, server, true);
    const paced = await pacedFrameRate(browser, server);
    const cost = await clientCost(browser, server);
    const lifecycle = await attachDetach(browser, server);
    const newestVisit = /** @type {{ payload: { id: string } }} */ (JSON.parse(/** @type {string} */ (main.at(-2)))).payload.id;
    return { frames: FRAMES, newestVisit, batched, naive, paced, cost, lifecycle, chromium: browser.version() };
  } finally {
    await browser.close();
    await server.close();
  }
}
