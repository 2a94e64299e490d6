import { expect, nextFrame } from '@open-wc/testing';
import '../../src/index.js';
import type { GymCheckinFeed, GymCheckinStats, GymRealtimeProvider } from '../../src/index.js';
import { shadowText } from '../helpers/element-harness.js';
import { member } from '../helpers/fixtures.js';
import { gymServer, type GymServer } from '../helpers/gym-server.js';
import { until } from '../helpers/wait.js';

describe('all six elements on one page against the local gym server', function () {
  this.timeout(20_000);
  let server: GymServer;
  let page: HTMLElement;

  before(async () => {
    server = await gymServer();
  });
  beforeEach(() => server.control('reset'));
  afterEach(() => page?.remove());

  function mount() {
    page = document.createElement('div');
    page.setHTMLUnsafe(`
      <gym-realtime-provider url="${server.socketUrl}" token-url="${server.tokenUrl}" history-url="${server.origin}/api/checkins/recent/"
        initial-retry-delay="100" max-retry-delay="300">
        <gym-error-boundary>
          <gym-connection-status></gym-connection-status>
          <gym-checkin-stats></gym-checkin-stats>
          <gym-checkin-feed limit="10" actions></gym-checkin-feed>
          <gym-checkin-form></gym-checkin-form>
        </gym-error-boundary>
      </gym-realtime-provider>`);
    document.body.append(page);
    const get = <T extends Element>(tag: string) => page.querySelector(tag) as T;
    return {
      provider: get<GymRealtimeProvider>('gym-realtime-provider'),
      status: get<HTMLElement>('gym-connection-status'),
      stats: get<GymCheckinStats>('gym-checkin-stats'),
      feed: get<GymCheckinFeed>('gym-checkin-feed'),
      form: get<HTMLElement>('gym-checkin-form'),
    };
  }

  const names = (feed: GymCheckinFeed) => feed.entries.map((c) => c.member.full_name);

  it('goes live, fills the feed from history, checks in from the form, and backfills what happened while down', async () => {
    await server.control('check-in', { memberId: member(1) });
    const { provider, status, stats, feed, form } = mount();
    await until(() => shadowText(status).includes('Live'), 'Live');
    await until(() => names(feed).includes('Alice Example'), 'history backfill');
    await until(() => stats.stats?.currentlyIn === 1, 'initial stats');

    const input = form.shadowRoot!.querySelector('input')!;
    input.value = member(2);
    form.shadowRoot!.querySelector<HTMLButtonElement>('[part=submit]')!.click();
    await until(() => shadowText(form).includes('Bob Example checked in'), 'form success');
    await until(() => names(feed)[0] === 'Bob Example' && stats.stats?.currentlyIn === 2, 'feed and stats updated');

    // The server restarts; a member arrives while this page is away.
    await server.control('refuse', { ms: 600 });
    await until(() => provider.client?.state !== 'open', 'link down');
    await server.control('check-in', { memberId: member(3) });
    await until(() => shadowText(status).includes('Live'), 'Live again', 8000);
    await until(() => names(feed).includes('Carol Example'), 'gap filled from history');
    await until(() => stats.stats?.currentlyIn === 3, 'fresh stats after reconnect');
    expect(names(feed).filter((name) => name === 'Bob Example')).to.have.length(1);

    // A check-out from the feed's action button.
    const row = [...feed.shadowRoot!.querySelectorAll('[part~=entry]')].find((li) => li.textContent!.includes('Carol Example'))!;
    row.querySelector<HTMLButtonElement>('[part=check-out]')!.click();
    await until(() => feed.shadowRoot!.textContent!.includes('checked out'), 'checked out in the feed');
    await nextFrame();
    await expect(page.querySelector('gym-error-boundary')!).to.be.accessible();
    expect((page.querySelector('gym-error-boundary') as unknown as { error?: unknown }).error).to.equal(undefined);
  });
});
