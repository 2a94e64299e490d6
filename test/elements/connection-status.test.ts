import { expect, fixture } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { GymConnectionStatus } from '../../src/index.js';
import { cleanupConnected, connected, shadowText } from '../helpers/element-harness.js';
import { stats } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';
import { consumerSuite } from './consumer-suite.js';

consumerSuite({
  tag: 'gym-connection-status',
  withoutProvider: /Not connected/,
  message: (n) => ({ type: 'check_in_stats', payload: stats(n, n) }),
  afterMessage: /Live/,
  whileDown: /Reconnecting in \d+ s/,
  rendersOnMessages: false,
});

describe('<gym-connection-status>', () => {
  afterEach(() => cleanupConnected());

  const status = (c: { provider: HTMLElement }) => c.provider.querySelector('gym-connection-status') as GymConnectionStatus;
  const label = (el: GymConnectionStatus) => el.shadowRoot!.querySelector<HTMLElement>('[part=label]')!;

  it('says Live with an icon, in a status region, and exposes :state(open)', async () => {
    const c = await connected('<gym-connection-status></gym-connection-status>');
    const el = status(c);
    expect(label(el).getAttribute('role')).to.equal('status');
    expect(shadowText(el)).to.equal('✓ Live');
    expect(el.matches(':state(open)')).to.equal(true);
  });

  it('counts down to the next attempt every second, and "Retry now" retries at once', async () => {
    const c = await connected('<gym-connection-status></gym-connection-status>', { initialRetryDelay: 20_000, maxRetryDelay: 30_000 });
    const el = status(c);
    const clock = sinon.useFakeTimers({ now: Date.now(), shouldClearNativeTimers: true, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    try {
      c.gym.drop();
      await clock.tickAsync(5);
      await c.settle();
      const seconds = () => Number(/in (\d+) s/.exec(shadowText(el))?.[1]);
      const first = seconds();
      expect(first).to.be.within(9, 10);
      expect(el.matches(':state(reconnecting)')).to.equal(true);
      // Screen readers hear the state, not every second of the countdown.
      expect(label(el).textContent).to.equal('Reconnecting');
      await clock.tickAsync(3000);
      await c.settle();
      expect(seconds()).to.equal(first - 3);
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry]')!.click();
      await clock.tickAsync(10);
      await c.settle();
      expect(c.client.state).to.equal('open');
      expect(shadowText(el)).to.equal('✓ Live');
    } finally {
      clock.restore();
    }
  });

  it('keeps keyboard focus in the widget when "Retry now" goes away on reconnect', async () => {
    const c = await connected('<gym-connection-status></gym-connection-status>', { initialRetryDelay: 60_000 });
    const el = status(c);
    c.gym.drop();
    await until(() => c.client.state === 'reconnecting', 'the link to go down');
    await c.settle();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry]')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => c.client.state === 'open', 'the link to open again');
    await c.settle();
    expect(document.activeElement?.localName, 'focus on the page').to.equal('gym-connection-status');
    expect(el.shadowRoot!.activeElement?.getAttribute('part'), 'focus in the widget').to.equal('label');
    expect(label(el).getAttribute('tabindex')).to.equal('-1');
    // Focusable only while it holds the focus it was given: never a stop in the tab order.
    label(el).blur();
    expect(label(el).hasAttribute('tabindex')).to.equal(false);
  });

  it('takes the same room live, reconnecting and checking, so a header does not jump', async () => {
    const c = await connected('<gym-connection-status></gym-connection-status>', { initialRetryDelay: 60_000 });
    const el = status(c);
    const size = () => {
      const { width, height } = el.getBoundingClientRect();
      return { width, height };
    };
    const live = size();
    c.gym.drop();
    await until(() => c.client.state === 'reconnecting', 'the link to go down');
    await c.settle();
    expect(shadowText(el)).to.match(/Reconnecting in \d+ s Retry now/);
    expect(size(), 'reconnecting').to.deep.equal(live);
    c.client.reconnectNow();
    await until(() => c.client.state === 'open', 'the link to open again');
    await c.settle();
    expect(size(), 'live again').to.deep.equal(live);
    // The hidden "Retry now" is neither seen, nor reached, nor read.
    const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry]')!;
    expect(getComputedStyle(retry).visibility).to.equal('hidden');
    expect(retry.disabled).to.equal(true);
    expect(shadowText(el)).to.equal('✓ Live');
    await expect(el).to.be.accessible();
    // The browser says it went offline: an unanswered heartbeat keeps it "Checking connection…".
    c.gym.answerHeartbeats = false;
    c.network.signal('offline');
    await c.settle();
    expect(el.matches(':state(checking)')).to.equal(true);
    expect(size(), 'checking').to.deep.equal(live);
  });

  it('puts one ordinary space between "Reconnecting" and "in 7 s"', async () => {
    const c = await connected('<gym-connection-status></gym-connection-status>', { initialRetryDelay: 60_000 });
    const el = status(c);
    c.gym.drop();
    await until(() => c.client.state === 'reconnecting', 'the link to go down');
    await c.settle();
    const countdown = el.shadowRoot!.querySelector('[part=countdown]')!;
    const gap = countdown.getBoundingClientRect().left - label(el).getBoundingClientRect().right;
    // A space in the element's own font: "a a" less "aa".
    const probe = document.createElement('span');
    el.shadowRoot!.append(probe);
    probe.textContent = 'aa';
    const without = probe.getBoundingClientRect().width;
    probe.textContent = 'a a';
    const space = probe.getBoundingClientRect().width - without;
    probe.remove();
    expect(space).to.be.greaterThan(0);
    expect(gap).to.be.closeTo(space, 0.5);
  });

  it('shows offline, sign-in required and disconnected states in words', async () => {
    const c = await connected('<gym-connection-status></gym-connection-status>');
    const el = status(c);
    c.network.online = false;
    c.gym.drop();
    await until(() => c.client.state === 'offline', 'the client to go offline');
    await c.settle();
    expect(shadowText(el)).to.include('Offline — waiting for network');
    await expect(el).to.be.accessible();
    c.network.signal('online');
    await until(() => c.client.state === 'open', 'the link to open again once online');
    c.gym.drop(4401);
    await until(() => c.client.state === 'unauthorized', 'unauthorized after close 4401');
    await c.settle();
    expect(shadowText(el)).to.include('Sign-in required');
    expect(el.matches(':state(unauthorized)')).to.equal(true);
    c.client.close();
    await c.settle();
    expect(shadowText(el)).to.include('Disconnected');
  });

  it('compact shows only the icon, still labelled for assistive technology', async () => {
    const c = await connected('<gym-connection-status compact></gym-connection-status>');
    const el = status(c);
    expect(label(el).classList.contains('visually-hidden')).to.equal(true);
    expect(label(el).textContent).to.equal('Live');
    await expect(el).to.be.accessible();
  });

  it('takes its strings from text-* attributes or the strings property', async () => {
    const el = await fixture<GymConnectionStatus>('<gym-connection-status text-not-connected="Nicht verbunden"></gym-connection-status>');
    expect(shadowText(el)).to.include('Nicht verbunden');
    el.strings = { notConnected: 'Pas connecté' };
    await el.updateComplete;
    expect(shadowText(el)).to.include('Pas connecté');
    el.strings = {};
    el.setAttribute('text-not-connected', 'Niet verbonden');
    await el.updateComplete;
    expect(shadowText(el)).to.include('Niet verbonden');
  });
});
