import { expect } from '@open-wc/testing';
import { LitElement, nothing } from 'lit';
import sinon from 'sinon';
import { Tick } from '../../src/elements/shared/ticker.js';

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
