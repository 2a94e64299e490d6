// `npm run soak` (web-test-runner.soak.config.mjs), not `npm test`: the storm takes 40 s of real time by design.
import { expect } from '@open-wc/testing';
import '../../src/index.js';
import type { GymClientError } from '../../src/core/errors.js';
import type { GymCheckinFeed, GymCheckinStats, GymRealtimeProvider } from '../../src/index.js';
import { member } from '../helpers/fixtures.js';
import { gymServer, type GymServer } from '../helpers/gym-server.js';
import { until } from '../helpers/wait.js';

/** A small seeded generator, so a failing run can be replayed. */
function random(seed: number) {
  return () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
}

const WINDOW_MS = 40_000;
const FAULTS = 30;
const EVENTS = 14;
/** The storm's own clock: faults and events are due at times in the window, checked every step. */
const STEP_MS = 100;

describe('chaos: drops and restarts during a stream of check-ins', function () {
  this.timeout(120_000);
  let server: GymServer;
  let page: HTMLElement | undefined;

  before(async () => {
    server = await gymServer();
    await server.control('reset');
  });
  after(async () => {
    page?.remove();
    await server.control('refuse', { ms: 0 });
  });

  it(`${FAULTS} faults in ${WINDOW_MS / 1000} s: every event in the feed exactly once, stats equal the server's, every request settled`, async () => {
    page = document.createElement('div');
    page.setHTMLUnsafe(`<gym-realtime-provider url="${server.socketUrl}" token-url="${server.tokenUrl}" history-url="${server.origin}/api/checkins/recent/"
      initial-retry-delay="100" max-retry-delay="800">
      <gym-checkin-stats></gym-checkin-stats><gym-checkin-feed limit="100"></gym-checkin-feed></gym-realtime-provider>`);
    document.body.append(page);
    const provider = page.querySelector('gym-realtime-provider') as GymRealtimeProvider;
    const feed = page.querySelector('gym-checkin-feed') as GymCheckinFeed;
    const stats = page.querySelector('gym-checkin-stats') as GymCheckinStats;
    await until(() => provider.client?.state === 'open', 'open');

    const rand = random(42);
    const at = (count: number) => Array.from({ length: count }, () => Math.floor(rand() * WINDOW_MS)).sort((a, b) => a - b);
    const faults = at(FAULTS);
    const events = at(EVENTS);
    const requests: Promise<string>[] = [];
    let settled = 0;
    let faultsInjected = 0;
    const start = Date.now();
    for (let elapsed = 0; elapsed < WINDOW_MS; elapsed = Date.now() - start) {
      while (faults.length && faults[0]! <= elapsed) {
        faults.shift();
        faultsInjected++;
        if (faultsInjected % 2) await server.control('drop');
        else await server.control('refuse', { ms: 200 + Math.floor(rand() * 1300) });
      }
      while (events.length && events[0]! <= elapsed) {
        events.shift();
        // Two arrivals for each departure, made at another desk.
        await server.control(rand() < 0.67 ? 'check-in' : 'check-out');
      }
      // The front desk keeps working while the link is down: at most six requests, each must settle.
      if (provider.client?.state !== 'open' && requests.length < 6 && rand() < 0.2) {
        requests.push(
          provider
            .request('check_in', { memberId: member(30 + requests.length) })
            .then(
              () => 'success',
              (error: GymClientError) => error.code,
            )
            .finally(() => settled++),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, STEP_MS));
    }
    expect(faultsInjected).to.equal(FAULTS);

    await server.control('refuse', { ms: 0 });
    await until(() => provider.client?.state === 'open', 'open after the storm', 10_000);
    await until(() => settled === requests.length, `all ${requests.length} requests to settle`, 20_000);
    const outcomes = await Promise.all(requests);

    // Every request has settled and no more events come: the server's visits are final.
    const visits = (await (await fetch(`${server.origin}/control/visits`)).json()) as { id: string; out: boolean }[];
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const truth = visits.map(({ id, out }) => ({ id, out })).sort(byId);
    expect(truth.length).to.be.within(5, 20);
    const shown = () => feed.entries.map((checkIn) => ({ id: checkIn.id, out: Boolean(checkIn.check_out_time) }));
    await until(() => JSON.stringify([...shown()].sort(byId)) === JSON.stringify(truth), `the feed to show the server's ${truth.length} visits`, 10_000);
    expect(shown().length, 'entries in the feed').to.equal(new Set(shown().map((entry) => entry.id)).size);
    expect([...shown()].sort(byId)).to.deep.equal(truth);

    const state = (await (await fetch(`${server.origin}/control/state`)).json()) as { stats: { currentlyIn: number; todayTotal: number }; requestsIn: number };
    await until(() => stats.stats?.currentlyIn === state.stats.currentlyIn, 'stats equal to the server');
    expect(stats.stats?.todayTotal).to.equal(state.stats.todayTotal);

    for (const outcome of outcomes) expect(['success', 'rejected', 'connection-lost']).to.include(outcome);
    // Nothing delivered twice by the client: the server answered at most one reply per request.
    expect(state.requestsIn).to.be.at.most(requests.length);
  });
});
