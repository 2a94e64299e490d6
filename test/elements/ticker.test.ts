import { expect } from '@open-wc/testing';
import { LitElement, nothing } from 'lit';
import sinon from 'sinon';
import { Tick } from '../../src/elements/shared/ticker.js';
import { cleanupConnected, connected, shadowText } from '../helpers/element-harness.js';
import { visit } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';

/** Counts its renders; ticks every second while `ticking`. */
class TickingHost extends LitElement {
  ticking = true;
  renders = 0;
  constructor() {
    super();
    new Tick(this, 1000, () => this.ticking);
  }
  protected override render() {
    this.renders++;
    return nothing;
  }
}
customElements.define('test-ticking-host', TickingHost);

describe('Tick (reactive controller)', () => {
  let clock: sinon.SinonFakeTimers;
  let host: TickingHost;
  beforeEach(async () => {
    clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    host = new TickingHost();
    document.body.append(host);
    await host.updateComplete;
  });
  afterEach(() => {
    host.remove();
    clock.restore();
  });

  it('renders its host at each tick while the host is in the page', async () => {
    const before = host.renders;
    await clock.tickAsync(3000);
    await host.updateComplete;
    expect(host.renders).to.equal(before + 3);
  });

  it('stops when the host leaves the page, and starts again when it comes back', async () => {
    host.remove();
    expect(clock.countTimers()).to.equal(0);
    document.body.append(host);
    expect(clock.countTimers()).to.equal(1);
  });

  it('stops once `when()` no longer holds after a render', async () => {
    host.ticking = false;
    host.requestUpdate();
    await host.updateComplete;
    expect(clock.countTimers()).to.equal(0);
  });
});

describe('ticks of the gym elements', () => {
  afterEach(() => cleanupConnected());

  // A tick that rendered at once would render a second time in a frame that also brings a message.
  it('wait for the frame batch, so a tick and a message in one frame render once', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const c = await connected('<gym-checkin-feed></gym-checkin-feed><gym-connection-status></gym-connection-status>', { initialRetryDelay: 60_000, maxRetryDelay: 60_000 });
      c.gym.send({ type: 'member_checked_in', payload: visit(1) });
      c.gym.drop();
      await until(() => c.client.state === 'reconnecting', 'reconnecting');
      await c.settle();
      const feed = c.provider.querySelector('gym-checkin-feed')!;
      const status = c.provider.querySelector('gym-connection-status')!;
      expect(feed.entries).to.have.length(1);
      clock.tick(30_000);
      expect([feed.isUpdatePending, status.isUpdatePending], 'rendered before the frame').to.deep.equal([false, false]);
      await c.settle();
      expect(shadowText(feed)).to.match(/1 min\. ago|30 sec\. ago|just now/);
    } finally {
      clock.restore();
    }
  });
});
