import { expect, fixture } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { GymCheckinStats } from '../../src/index.js';
import { cleanupConnected, connected, shadowText } from '../helpers/element-harness.js';
import { stats } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';
import { consumerSuite } from './consumer-suite.js';

consumerSuite({
  tag: 'gym-checkin-stats',
  withoutProvider: /Not connected/,
  message: (n) => ({ type: 'check_in_stats', payload: stats(n, 17, 52) }),
  afterMessage: /Currently in \d+ Today 17 Average stay 52 min/,
  whileDown: /Last updated just now/,
});

describe('<gym-checkin-stats>', () => {
  afterEach(() => cleanupConnected());

  const figures = (el: Element) => el.shadowRoot!.querySelector('[part=figures]')!;
  const skeletons = (el: Element) => el.shadowRoot!.querySelectorAll('[part=skeleton]');

  it('waits for figures with skeleton placeholders, busy, then shows initial and live stats', async () => {
    const c = await connected('<gym-checkin-stats></gym-checkin-stats>');
    const el = c.provider.querySelector('gym-checkin-stats')!;
    expect(shadowText(el)).to.equal('Currently in Today Average stay Waiting for figures…');
    expect(skeletons(el)).to.have.length(3);
    expect(figures(el).getAttribute('aria-busy')).to.equal('true');
    expect(el.matches(':state(waiting)')).to.equal(true);
    await expect(el).to.be.accessible();
    c.gym.send({ type: 'initial_stats', payload: stats(3, 17, 52) });
    await c.settle();
    expect(shadowText(el)).to.equal('Currently in 3 Today 17 Average stay 52 min');
    expect(skeletons(el)).to.have.length(0);
    expect(figures(el).getAttribute('aria-busy')).to.equal('false');
    c.gym.send({ type: 'check_in_stats', payload: stats(4, 18, 52) });
    await c.settle();
    expect(el.stats?.currentlyIn).to.equal(4);
    expect(el.matches(':state(live)')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('formats numbers for the element`s language', async () => {
    const c = await connected('<div lang="de"><gym-checkin-stats></gym-checkin-stats></div>');
    const el = c.provider.querySelector('gym-checkin-stats')!;
    c.gym.send({ type: 'initial_stats', payload: stats(1234, 56789, 45) });
    await c.settle();
    expect(shadowText(el)).to.include('1.234').and.include('56.789');
  });

  it('keeps the last figures while down and says how old they are', async () => {
    const c = await connected('<gym-checkin-stats></gym-checkin-stats>', { initialRetryDelay: 60_000 });
    const el = c.provider.querySelector('gym-checkin-stats')!;
    c.gym.send({ type: 'initial_stats', payload: stats(5, 9) });
    await c.settle();
    c.gym.drop();
    await until(() => c.client.state === 'reconnecting', 'the link to go down');
    await c.settle();
    expect(shadowText(el)).to.equal('Currently in 5 Today 9 Average stay 45 min Last updated just now');
    expect(el.matches(':state(stale)')).to.equal(true);
  });

  it('says "Figures unavailable", not the zeros the server sends with its error', async () => {
    const c = await connected('<gym-checkin-stats></gym-checkin-stats>');
    const el = c.provider.querySelector('gym-checkin-stats')!;
    c.gym.send({ type: 'initial_stats', payload: { currentlyIn: 0, todayTotal: 0, averageStayMinutes: 0, error: 'Stats calculation failed' } });
    await c.settle();
    expect(shadowText(el)).to.equal('Currently in – Today – Average stay – Figures unavailable');
    expect(el.matches(':state(unavailable)')).to.equal(true);
    await expect(el).to.be.accessible();
    c.gym.send({ type: 'check_in_stats', payload: stats(2, 5, 30) });
    await c.settle();
    expect(shadowText(el)).to.equal('Currently in 2 Today 5 Average stay 30 min');
  });

  it('is as tall waiting, live, stale and without figures: nothing below it moves', async () => {
    const c = await connected('<gym-checkin-stats></gym-checkin-stats>', { initialRetryDelay: 60_000 });
    const el = c.provider.querySelector('gym-checkin-stats')!;
    const height = () => el.getBoundingClientRect().height;
    const waiting = height();
    c.gym.send({ type: 'initial_stats', payload: stats(5, 9) });
    await c.settle();
    expect(height(), 'live').to.equal(waiting);
    c.gym.drop();
    await until(() => c.client.state === 'reconnecting', 'the link to go down');
    await c.settle();
    expect(shadowText(el)).to.include('Last updated just now');
    expect(height(), 'stale').to.equal(waiting);
    c.client.reconnectNow();
    await until(() => c.client.state === 'open', 'the link to open again');
    c.gym.send({ type: 'check_in_stats', payload: { currentlyIn: 0, todayTotal: 0, averageStayMinutes: 0, error: 'Stats calculation failed' } });
    await c.settle();
    expect(height(), 'unavailable').to.equal(waiting);
  });

  it('the skeleton shimmers, unless reduced motion is asked for', async () => {
    const c = await connected('<gym-checkin-stats></gym-checkin-stats>');
    const el = c.provider.querySelector('gym-checkin-stats')!;
    expect(getComputedStyle(skeletons(el)[0]!).animationName).to.equal('gym-shimmer');
    try {
      await emulateMedia({ reducedMotion: 'reduce' });
      expect(getComputedStyle(skeletons(el)[0]!).animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('added after the figures arrived, starts from the latest ones', async () => {
    const c = await connected('');
    c.gym.send({ type: 'initial_stats', payload: stats(6, 7) });
    c.gym.send({ type: 'check_in_stats', payload: stats(8, 9) });
    await c.settle();
    const late = document.createElement('gym-checkin-stats');
    c.provider.append(late);
    await c.settle();
    expect(late.stats?.currentlyIn).to.equal(8);
    expect(c.client.stats?.todayTotal).to.equal(9);
  });

  it('without a provider says it is not connected', async () => {
    const el = await fixture<GymCheckinStats>('<gym-checkin-stats></gym-checkin-stats>');
    expect(shadowText(el)).to.include('Not connected');
  });
});
