import { expect, nextFrame } from '@open-wc/testing';
import sinon from 'sinon';
import { Held } from '../../src/elements/checkin-feed/held.js';
import { formatAgo } from '../../src/elements/shared/format.js';
import type { GymCheckinFeed } from '../../src/index.js';
import type { CheckIn } from '../../src/protocol/types.js';
import { cleanupConnected, connected, type Connected } from '../helpers/element-harness.js';
import { visit } from '../helpers/fixtures.js';

const names = (feed: GymCheckinFeed) => [...feed.shadowRoot!.querySelectorAll('[part=name]')].map((el) => el.textContent);
const times = (feed: GymCheckinFeed) => [...feed.shadowRoot!.querySelectorAll('[part=time]')].map((el) => el.textContent);
const part = (feed: GymCheckinFeed, name: string) => feed.shadowRoot!.querySelector<HTMLElement>(`[part=${name}]`);

type TestEntry = { checkIn: { id: string }; at: number; out: boolean };
const entry = (id: number, at: number, out = false): TestEntry => ({ checkIn: { id: `visit-${id}` }, at, out });
const held = () =>
  new Held<TestEntry>(
    (next, current) => (next.out === current.out ? next.at > current.at : next.out),
    (a, b) => b.at - a.at,
  );

describe('what a paused feed holds back', () => {
  it('keeps at most `cap` entries, the first in the feed`s order, and counts the rest (100,000 events)', () => {
    const h = held();
    let most = 0;
    for (let n = 1; n <= 100_000; n++) {
      h.add(entry(n, n), 5);
      most = Math.max(most, h.size);
    }
    expect(most).to.equal(5);
    expect(h.count).to.equal(100_000);
    expect(h.take().map((e) => e.checkIn.id).sort()).to.deep.equal(['visit-100000', 'visit-99996', 'visit-99997', 'visit-99998', 'visit-99999']);
    expect(h.count).to.equal(0);
  });

  it('merges by visit id: a check-out replaces its check-in and counts once; an older event changes nothing', () => {
    const h = held();
    h.add(entry(1, 10), 5);
    h.add(entry(1, 20, true), 5);
    h.add(entry(1, 5), 5);
    expect(h.count).to.equal(1);
    expect(h.take()).to.deep.equal([entry(1, 20, true)]);
  });
});

describe('<gym-checkin-feed paused> under a flood', () => {
  let c: Connected;
  afterEach(() => {
    sinon.restore();
    cleanupConnected();
  });

  it('holds `limit` entries however many arrive, says how many, and shows the newest on resume', async () => {
    const clock = sinon.useFakeTimers({ now: Date.now(), shouldClearNativeTimers: true, toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
    // Watches the feed's held entries from inside, after every event.
    let most = 0;
    const add = Held.prototype.add;
    sinon.replace(Held.prototype, 'add', function (this: Held<never>, ...args: Parameters<Held<never>['add']>) {
      add.apply(this, args);
      most = Math.max(most, this.size);
    });
    const mounting = connected('<gym-checkin-feed limit="5"></gym-checkin-feed>');
    for (let i = 0; i < 20; i++) await clock.tickAsync(5);
    c = await mounting;
    const feed = c.provider.querySelector('gym-checkin-feed') as GymCheckinFeed;
    c.gym.send({ type: 'member_checked_in', payload: visit(0, { check_in_time: new Date(Date.now() - 300_000).toISOString() }) });
    await clock.tickAsync(20);
    feed.paused = true;
    await feed.updateComplete;

    const start = Date.now() - 200_000;
    for (let frame = 0; frame < 100; frame++) {
      const items: CheckIn[] = [];
      for (let i = 1; i <= 1000; i++) {
        const n = frame * 1000 + i;
        items.push(visit(n, { check_in_time: new Date(start + n).toISOString() }));
      }
      c.gym.send({ type: 'batch', payload: { batches: { member_checked_in: items } } });
      await clock.tickAsync(5);
    }
    await clock.tickAsync(2000);
    await nextFrame();
    expect(most).to.equal(5);
    expect(names(feed)).to.deep.equal(['Member 0']);
    expect(part(feed, 'held')!.textContent).to.equal('100000 new — show');

    part(feed, 'held')!.click();
    await clock.tickAsync(20);
    await nextFrame();
    expect(feed.paused).to.equal(false);
    expect(names(feed)).to.deep.equal(['Member 100000', 'Member 99999', 'Member 99998', 'Member 99997', 'Member 99996']);
    expect(part(feed, 'held')).to.equal(null);
  });
});

describe('<gym-checkin-feed>: times from a wrong clock', () => {
  afterEach(() => cleanupConnected());

  it('shows year 9999 and 1970 as their dates, below the real visits, even below one that comes later', async () => {
    const c = await connected('<gym-checkin-feed limit="4"></gym-checkin-feed>');
    const feed = c.provider.querySelector('gym-checkin-feed') as GymCheckinFeed;
    c.gym.send({ type: 'member_checked_in', payload: visit(1, { check_in_time: new Date(Date.now() - 5 * 60_000).toISOString() }) });
    c.gym.send({ type: 'member_checked_in', payload: visit(2, { check_in_time: '9999-12-31T23:59:00+00:00' }) });
    c.gym.send({ type: 'member_checked_in', payload: visit(3, { check_in_time: '1970-01-01T00:00:00+00:00' }) });
    await c.settle();
    await c.settle();
    expect(names(feed)).to.deep.equal(['Member 1', 'Member 2', 'Member 3']);
    expect(times(feed)).to.deep.equal(['5 min. ago', 'Dec 31, 9999', 'Jan 1, 1970']);
    c.gym.send({ type: 'member_checked_in', payload: visit(4) });
    await c.settle();
    await c.settle();
    expect(names(feed)).to.deep.equal(['Member 4', 'Member 1', 'Member 2', 'Member 3']);
    expect(times(feed)[0]).to.equal('just now');
  });

  it('formatAgo: a clock a little ahead still says "just now"; more than a day ahead, or before 2000, the date', () => {
    const now = Date.UTC(2026, 10, 27, 12);
    expect(formatAgo('en', now + 3_600_000, now, 'just now')).to.equal('just now');
    expect(formatAgo('en', now + 2 * 86_400_000, now, 'just now')).to.equal('Nov 29, 2026');
    expect(formatAgo('en', Date.UTC(1999, 11, 31, 12), now, 'just now')).to.equal('Dec 31, 1999');
    expect(formatAgo('en', Date.UTC(2000, 0, 2), now, 'just now')).to.match(/days? ago/);
  });
});
