import { expect, fixture, nextFrame } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { GymCheckinFeed } from '../../src/index.js';
import { cleanupConnected, connected, shadowText, type Connected } from '../helpers/element-harness.js';
import { visit } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';
import { consumerSuite } from './consumer-suite.js';

consumerSuite({
  tag: 'gym-checkin-feed',
  withoutProvider: /Not connected/,
  message: (n) => ({ type: 'member_checked_in', payload: visit(n) }),
  afterMessage: /Member \d+ checked in · Front desk/,
});

const names = (feed: GymCheckinFeed) => [...feed.shadowRoot!.querySelectorAll('[part=name]')].map((el) => el.textContent);

describe('<gym-checkin-feed>', () => {
  let c: Connected;
  let feed: GymCheckinFeed;
  afterEach(() => {
    sinon.restore();
    cleanupConnected();
  });

  async function mount(attributes = '', options = {}) {
    c = await connected(`<gym-checkin-feed ${attributes}></gym-checkin-feed>`, options);
    feed = c.provider.querySelector('gym-checkin-feed')!;
  }

  it('shows an explicit empty state, then entries newest first, limited to `limit`', async () => {
    await mount('limit="3"');
    expect(shadowText(feed)).to.include('No check-ins yet');
    expect(feed.matches(':state(empty)')).to.equal(true);
    for (let n = 1; n <= 5; n++) c.gym.send({ type: 'member_checked_in', payload: visit(n, { check_in_time: new Date(Date.now() - (10 - n) * 1000).toISOString() }) });
    await c.settle();
    expect(names(feed)).to.deep.equal(['Member 5', 'Member 4', 'Member 3']);
    await expect(feed).to.be.accessible();
  });

  it('the empty placeholder is a row`s size: the first check-in moves nothing', async () => {
    await mount();
    const empty = feed.shadowRoot!.querySelector('[part=empty]')!.getBoundingClientRect().height;
    const before = feed.getBoundingClientRect().height;
    c.gym.send({ type: 'member_checked_in', payload: visit(1) });
    await c.settle();
    expect(feed.shadowRoot!.querySelector('[part~=entry]')!.getBoundingClientRect().height).to.be.closeTo(empty, 0.5);
    expect(feed.getBoundingClientRect().height).to.be.closeTo(before, 0.5);
  });

  it('offers "Pause" only when there is something to pause, keeping its room', async () => {
    await mount('', { initialRetryDelay: 60_000 });
    const pause = () => feed.shadowRoot!.querySelector<HTMLButtonElement>('[part=pause]')!;
    const shown = () => getComputedStyle(pause()).visibility === 'visible';
    const height = feed.shadowRoot!.querySelector('[part=header]')!.getBoundingClientRect().height;
    expect(shown(), 'empty').to.equal(false);
    c.gym.send({ type: 'member_checked_in', payload: visit(1) });
    await c.settle();
    expect(shown(), 'with an entry').to.equal(true);
    expect(feed.shadowRoot!.querySelector('[part=header]')!.getBoundingClientRect().height).to.equal(height);
    c.gym.drop();
    await until(() => c.client.state === 'reconnecting', 'the link to go down');
    await c.settle();
    expect(shown(), 'link down').to.equal(false);
    await expect(feed).to.be.accessible();
    // A paused feed keeps "Resume", link or not.
    feed.paused = true;
    await c.settle();
    expect(shown(), 'paused').to.equal(true);
    const alone = await fixture<GymCheckinFeed>('<gym-checkin-feed></gym-checkin-feed>');
    expect(getComputedStyle(alone.shadowRoot!.querySelector('[part=pause]')!).visibility, 'no provider').to.equal('hidden');
  });

  it('draws the in and out arrows as labelled SVG icons, mirrored right to left', async () => {
    c = await connected('<gym-checkin-feed></gym-checkin-feed><div dir="rtl"><gym-checkin-feed></gym-checkin-feed></div>');
    const [ltr, rtl] = [...c.provider.querySelectorAll('gym-checkin-feed')] as [GymCheckinFeed, GymCheckinFeed];
    c.gym.send({ type: 'member_checked_in', payload: visit(1) });
    c.gym.send({ type: 'member_checked_out', payload: visit(2, { check_out_time: new Date().toISOString() }) });
    await c.settle();
    const icons = (el: GymCheckinFeed) => [...el.shadowRoot!.querySelectorAll('[part=icon]')];
    expect(icons(ltr).map((icon) => `${icon.localName} ${icon.getAttribute('role')} ${icon.getAttribute('aria-label')}`)).to.deep.equal(['svg img Out', 'svg img In']);
    expect(shadowText(ltr)).to.not.match(/[←→]/);
    expect(icons(ltr).map((icon) => getComputedStyle(icon).transform)).to.deep.equal(['none', 'none']);
    expect(icons(rtl).map((icon) => getComputedStyle(icon).transform)).to.deep.equal(['matrix(-1, 0, 0, 1, 0, 0)', 'matrix(-1, 0, 0, 1, 0, 0)']);
    await expect(rtl).to.be.accessible();
  });

  it('merges by visit id: the same event never shows twice, a check-out updates the entry', async () => {
    await mount();
    const v = visit(1);
    c.gym.send({ type: 'member_checked_in', payload: v });
    c.gym.send({ type: 'check_in_update', payload: { ...v, status: 'checked_in' } });
    await c.settle();
    expect(names(feed)).to.deep.equal(['Member 1']);
    c.gym.send({ type: 'member_checked_out', payload: { ...v, check_out_time: new Date().toISOString() } });
    await c.settle();
    expect(names(feed)).to.deep.equal(['Member 1']);
    expect(shadowText(feed)).to.include('Member 1 checked out · Front desk');
    // A late duplicate of the check-in does not undo the check-out.
    c.gym.send({ type: 'member_checked_in', payload: v });
    await c.settle();
    expect(shadowText(feed)).to.include('checked out');
  });

  it('keeps its DOM the same size however many entries pass through (no leaked nodes)', async () => {
    await mount('limit="5"');
    const nodes = () => {
      const walker = document.createTreeWalker(feed.shadowRoot!, NodeFilter.SHOW_ALL);
      let count = 0;
      while (walker.nextNode()) count++;
      return count;
    };
    const pass = async (from: number) => {
      for (let n = from; n < from + 100; n++) {
        c.gym.send({ type: n % 3 ? 'member_checked_in' : 'member_checked_out', payload: visit(n, { check_out_time: new Date().toISOString() }) });
        if (n % 10 === 0) await nextFrame();
      }
      await c.settle();
      return nodes();
    };
    const after100 = await pass(0);
    const after300 = (await pass(100), await pass(200));
    expect(after300).to.equal(after100);
  });

  it('renders an HTML-looking name as text', async () => {
    await mount();
    const hostile = '<img src=x onerror="window.__pwned = 1">';
    c.gym.send({ type: 'member_checked_in', payload: visit(1, { member: { id: 'm', full_name: hostile, email: null } }) });
    await c.settle();
    expect(names(feed)).to.deep.equal([hostile]);
    expect(feed.shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  describe('a visit without its optional fields shows nothing in their place', () => {
    /** Words a widget might put in place of a field it did not get, and a separator left hanging. */
    const PLACEHOLDER = /unknown|n\/a|—|–|null|undefined|^\s*·|·\s*$/i;
    const rows = () => [...feed.shadowRoot!.querySelectorAll('[part~=entry]')];
    const textOf = (element: Element) => element.textContent!.replace(/\s+/g, ' ').trim();
    const details = () => rows().map((row) => textOf(row.querySelector('[part=detail]')!));
    const expectNoPlaceholder = () => {
      expect(rows(), 'a row').to.not.have.length(0);
      for (const row of rows()) {
        expect(textOf(row), 'the row').to.not.match(PLACEHOLDER);
        expect(textOf(row), 'the row').to.not.include('·');
        expect(row.querySelector('bdi:empty'), 'an empty place').to.equal(null);
      }
    };
    const { location: _location, notes: _notes, ...bare } = visit(1);
    const member = { id: bare.member.id, full_name: 'Member 1' };

    for (const [what, payload] of [
      ['a null location (a kiosk, the gateway with --fields none)', { ...bare, location: null, notes: '' }],
      ['no location key at all', { ...bare, notes: '' }],
      ['an empty location', { ...bare, location: '', notes: '' }],
      ['a blank location', { ...bare, location: '   ', notes: '' }],
      ['every optional field null', { ...bare, member: { ...member, email: null, membership_type: null }, location: null, check_out_time: null, notes: null }],
      ['no optional field at all', { ...bare, member }],
    ] as const) {
      it(`${what}: "checked in", no separator, no placeholder word`, async () => {
        await mount();
        c.gym.send({ type: 'member_checked_in', payload });
        await c.settle();
        expect(details()).to.deep.equal(['checked in']);
        expectNoPlaceholder();
      });
    }

    it('a check-out without a location: "checked out", no separator, no placeholder word', async () => {
      await mount();
      c.gym.send({ type: 'member_checked_out', payload: { ...bare, location: null, notes: null, check_out_time: new Date().toISOString() } });
      await c.settle();
      expect(details()).to.deep.equal(['checked out']);
      expectNoPlaceholder();
      await expect(feed).to.be.accessible();
    });

    it('visits from the history (the REST shape) with a null location, notes and membership type', async () => {
      const rest = [{ id: 'visit-7', member: { id: member.id, full_name: 'Member 7', membership_type: null }, check_in_time: new Date(Date.now() - 5000).toISOString(), check_out_time: null, location: null, notes: null }];
      sinon.stub(window, 'fetch').resolves(Response.json(rest));
      await mount('history-url="/history"');
      await until(() => rows().length === 1, 'the row from history');
      expect(details()).to.deep.equal(['checked in']);
      expectNoPlaceholder();
    });

    it('a location that is there still follows the separator', async () => {
      await mount();
      c.gym.send({ type: 'member_checked_in', payload: { ...bare, location: 'Pool', notes: null } });
      await c.settle();
      expect(details()).to.deep.equal(['checked in · Pool']);
    });
  });

  /** Timers and dates on a fake clock (restored in afterEach); animation frames stay real. */
  const fakeClock = () => sinon.useFakeTimers({ now: Date.now(), shouldClearNativeTimers: true, toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });

  it('keeps relative times current with one shared tick', async () => {
    const clock = fakeClock();
    await mountWithClock(clock);
    c.gym.send({ type: 'member_checked_in', payload: visit(1, { check_in_time: new Date().toISOString() }) });
    await clock.tickAsync(20);
    await nextFrame();
    expect(shadowText(feed)).to.include('just now');
    await clock.tickAsync(3 * 60_000);
    await nextFrame();
    expect(shadowText(feed)).to.match(/3 min\. ago/);
  });

  async function mountWithClock(clock: sinon.SinonFakeTimers, attributes = '') {
    const mounting = mount(attributes);
    for (let i = 0; i < 20; i++) await clock.tickAsync(5);
    await mounting;
  }

  it('with `notify`, shows a short pop-up that goes away', async () => {
    const clock = fakeClock();
    await mountWithClock(clock, 'notify');
    const toast = () => feed.shadowRoot!.querySelector('[part=toast]')?.textContent;
    c.gym.send({ type: 'member_checked_in', payload: visit(7) });
    await c.settle();
    expect(toast()).to.equal('Member 7 has checked in');
    await clock.tickAsync(3999);
    await c.settle();
    expect(toast(), 'just before 4 s').to.equal('Member 7 has checked in');
    await clock.tickAsync(1);
    await c.settle();
    expect(toast(), 'after 4 s').to.equal(undefined);
  });

  it('with `notify` on a phone, the pop-up sits in the header and covers no entry', async () => {
    await setViewport({ width: 360, height: 640 });
    try {
      await mount('notify limit="10"');
      for (let n = 1; n <= 10; n++) c.gym.send({ type: 'member_checked_in', payload: visit(n) });
      await c.settle();
      const toast = feed.shadowRoot!.querySelector('[part=toast]')!.getBoundingClientRect();
      expect(toast.width * toast.height, 'the pop-up is shown').to.be.greaterThan(0);
      const rows = [...feed.shadowRoot!.querySelectorAll('[part~=entry]')].map((row) => row.getBoundingClientRect());
      expect(rows).to.have.length(10);
      const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      expect(rows.filter((row) => overlaps(row, toast))).to.deep.equal([]);
      const header = feed.shadowRoot!.querySelector('[part=header]')!.getBoundingClientRect();
      expect(toast.top >= header.top && toast.bottom <= header.bottom, 'inside the header').to.equal(true);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('announces a flood as one sentence, not one per entry', async () => {
    const clock = fakeClock();
    await mountWithClock(clock, 'limit="20"');
    const region = () => feed.shadowRoot!.querySelector('[aria-live=polite]')!.textContent;
    c.gym.send({ type: 'member_checked_in', payload: visit(1) });
    await clock.tickAsync(2000);
    await c.settle();
    expect(region()).to.equal('Member 1 checked in');
    for (let n = 2; n <= 13; n++) c.gym.send({ type: 'member_checked_in', payload: visit(n) });
    await c.settle();
    expect(region()).to.equal('Member 1 checked in');
    await clock.tickAsync(1999);
    await c.settle();
    expect(region(), 'just before 2 s').to.equal('Member 1 checked in');
    await clock.tickAsync(1);
    await c.settle();
    expect(region()).to.equal('12 new check-ins');
  });

  it('pause holds new entries back and offers "N new — show"', async () => {
    await mount();
    c.gym.send({ type: 'member_checked_in', payload: visit(1) });
    await c.settle();
    feed.shadowRoot!.querySelector<HTMLButtonElement>('[part=pause]')!.click();
    await c.settle();
    expect(feed.matches(':state(paused)')).to.equal(true);
    for (let n = 2; n <= 5; n++) c.gym.send({ type: 'member_checked_in', payload: visit(n) });
    await c.settle();
    expect(names(feed)).to.deep.equal(['Member 1']);
    const held = feed.shadowRoot!.querySelector<HTMLButtonElement>('[part=held]')!;
    expect(held.textContent).to.equal('4 new — show');
    await expect(feed).to.be.accessible();
    held.click();
    await c.settle();
    expect(names(feed)).to.have.length(5);
    expect(feed.paused).to.equal(false);
  });

  it('highlights live entries only', async () => {
    let release: (response: Response) => void = () => {};
    sinon.stub(window, 'fetch').returns(new Promise((resolve) => (release = resolve)));
    await mount('history-url="/history"');
    // The names shown highlighted in any render (a highlight lasts one render).
    const highlighted = new Set<string>();
    const element = feed as unknown as { updated(changed: Map<PropertyKey, unknown>): void };
    const updated = element.updated.bind(feed);
    element.updated = (changed) => {
      updated(changed);
      for (const name of feed.shadowRoot!.querySelectorAll('[part~=entry][data-new] [part=name]')) highlighted.add(name.textContent!);
    };
    release(Response.json([visit(11), visit(12)]));
    await until(() => names(feed).length === 2, 'the entries from history');
    c.gym.send({ type: 'member_checked_in', payload: visit(1) });
    await c.settle();
    expect(names(feed)).to.have.members(['Member 1', 'Member 11', 'Member 12']);
    expect([...highlighted]).to.deep.equal(['Member 1']);
  });

  it('keeps the node, and the keyboard focus, of a row that moves down as new ones arrive', async () => {
    await mount('actions limit="3"');
    c.gym.send({ type: 'member_checked_in', payload: visit(1) });
    await c.settle();
    const row = feed.shadowRoot!.querySelector('[part~=entry]')!;
    const button = row.querySelector<HTMLButtonElement>('[part=check-out]')!;
    button.focus();
    c.gym.send({ type: 'member_checked_in', payload: visit(2) });
    await c.settle();
    expect(names(feed)).to.deep.equal(['Member 2', 'Member 1']);
    expect(feed.shadowRoot!.querySelectorAll('[part~=entry]')[1]).to.equal(row);
    expect(feed.shadowRoot!.activeElement).to.equal(button);
  });

  it('leaves nothing behind of the rows that go: the list holds `limit` rows however many arrive', async () => {
    await mount('limit="3"');
    c.gym.send({ type: 'member_checked_in', payload: visit(1) });
    await c.settle();
    const list = feed.shadowRoot!.querySelector('[part=list]')!;
    const nodes = list.childNodes.length;
    for (let n = 2; n <= 40; n++) {
      c.gym.send({ type: 'member_checked_in', payload: visit(n) });
      await c.settle();
    }
    expect(names(feed)).to.deep.equal(['Member 40', 'Member 39', 'Member 38']);
    expect(list.querySelectorAll('li')).to.have.length(3);
    expect(list.childNodes.length - list.querySelectorAll('li').length).to.equal(nodes - 1);
  });

  it('with `actions`, checks a visit out and reports the result', async () => {
    await mount('actions');
    c.gym.send({ type: 'member_checked_in', payload: visit(1) });
    await c.settle();
    const results: string[] = [];
    feed.addEventListener('gym-checkin-result', (e) => results.push(`${e.detail.action}:${e.detail.status}`));
    feed.shadowRoot!.querySelector<HTMLButtonElement>('[part=check-out]')!.click();
    await until(() => c.gym.received('check_out').length > 0, 'the check_out frame');
    expect(c.gym.received('check_out')).to.deep.equal([{ type: 'check_out', payload: { checkInId: 'visit-1' } }]);
    c.gym.send({ type: 'check_out_success', payload: visit(1, { check_out_time: new Date().toISOString() }) });
    await c.settle();
    expect(results).to.deep.equal(['check_out:success']);
    expect(shadowText(feed)).to.include('checked out');
    expect(feed.shadowRoot!.querySelector('[part=check-out]')).to.equal(null);
  });

  it('reports an invalid limit and keeps working with the default', async () => {
    const errors: string[] = [];
    document.addEventListener('gym-error', (e) => errors.push(e.detail.source), { once: true });
    const el = await fixture<GymCheckinFeed>('<gym-checkin-feed limit="-2"></gym-checkin-feed>');
    expect(el.limit).to.equal(5);
    expect(errors).to.deep.equal(['config']);
  });

  describe('history backfill', () => {
    const history = [visit(11, { check_out_time: new Date().toISOString() }), visit(12)].map((v) => ({ ...v, member: { ...v.member, membership_type: 'standard' } }));

    it('fills itself on connect from history-url with the bearer token, and merges by id', async () => {
      const calls: { url: string; auth: string | null }[] = [];
      const realFetch = window.fetch.bind(window);
      sinon.stub(window, 'fetch').callsFake(async (input, init) => {
        if (String(input) !== '/history') return realFetch(input, init);
        calls.push({ url: String(input), auth: new Headers(init?.headers).get('Authorization') });
        return Response.json(history);
      });
      await mount('history-url="/history"');
      await until(() => names(feed).length === 2, 'the entries from history');
      expect(calls).to.deep.equal([{ url: '/history', auth: 'Bearer t' }]);
      expect(names(feed).sort()).to.deep.equal(['Member 11', 'Member 12']);
      c.gym.send({ type: 'member_checked_in', payload: visit(12) });
      await c.settle();
      expect(names(feed).filter((n) => n === 'Member 12')).to.have.length(1);
      c.gym.drop();
      await until(() => calls.length >= 2, 'the history fetched again after reconnecting');
      expect(calls).to.have.length(2);
    });

    it('says so when the history cannot be loaded, and keeps the live entries', async () => {
      sinon.stub(window, 'fetch').resolves(new Response('nope', { status: 500 }));
      await mount('history-url="/history"');
      await until(() => shadowText(feed).includes('Could not load earlier check-ins'), 'the notice that history failed');
      await expect(feed).to.be.accessible();
    });

    const list = () => feed.shadowRoot!.querySelector('[part=list]')!;
    const skeletons = () => feed.shadowRoot!.querySelectorAll('[part=skeleton]');

    it('while the first history is on its way, shows `limit` skeleton rows, busy, as tall as the rows they stand for', async () => {
      let release: (response: Response) => void = () => {};
      sinon.stub(window, 'fetch').returns(new Promise((resolve) => (release = resolve)));
      await mount('history-url="/history" limit="3"');
      expect(shadowText(feed)).to.include('Loading recent check-ins…');
      expect(feed.matches(':state(loading)')).to.equal(true);
      expect(skeletons()).to.have.length(3);
      expect(list().getAttribute('aria-busy')).to.equal('true');
      await expect(feed).to.be.accessible();
      const loading = list().getBoundingClientRect().height;
      const busyList = list();
      release(Response.json([...history, visit(13)]));
      await until(() => names(feed).length === 3, 'the entries from history');
      expect(feed.matches(':state(loading)')).to.equal(false);
      expect(skeletons()).to.have.length(0);
      // The same list, no longer busy, and no taller or shorter.
      expect(list() === busyList, 'the same list').to.equal(true);
      expect(list().getAttribute('aria-busy')).to.equal('false');
      expect(list().getBoundingClientRect().height).to.be.closeTo(loading, 0.5);
    });

    it('the skeleton shimmers, unless reduced motion is asked for', async () => {
      sinon.stub(window, 'fetch').returns(new Promise(() => {}));
      await mount('history-url="/history"');
      const bone = skeletons()[0]!.querySelector('.bone')!;
      expect(getComputedStyle(bone).animationName).to.equal('gym-shimmer');
      try {
        await emulateMedia({ reducedMotion: 'reduce' });
        expect(getComputedStyle(bone).animationName).to.equal('none');
      } finally {
        await emulateMedia({ reducedMotion: 'no-preference' });
      }
    });

    it('a reload after a reconnect does not turn an empty feed into a skeleton', async () => {
      const fetch = sinon.stub(window, 'fetch').resolves(Response.json([]));
      await mount('history-url="/history"');
      await until(() => fetch.callCount === 1 && feed.matches(':state(empty)'), 'the empty history');
      fetch.returns(new Promise(() => {}));
      c.gym.drop();
      await until(() => fetch.callCount === 2, 'the history asked again after reconnecting');
      await c.settle();
      expect(skeletons()).to.have.length(0);
      expect(shadowText(feed)).to.include('No check-ins yet');
    });
  });
});
