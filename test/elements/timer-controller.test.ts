import { expect } from '@open-wc/testing';
import { LitElement, nothing } from 'lit';
import sinon from 'sinon';
import { TimerController } from '../../src/elements/shared/timer-controller.js';

class TimedHost extends LitElement {
  readonly timers = new TimerController<'once' | 'again' | 'other'>(this);
  protected override render() {
    return nothing;
  }
}
customElements.define('test-timed-host', TimedHost);

describe('TimerController (reactive controller)', () => {
  let clock: sinon.SinonFakeTimers;
  let host: TimedHost;
  beforeEach(async () => {
    // Installed after the host is made: the controller reads the timer functions when it sets one.
    host = new TimedHost();
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    document.body.append(host);
    await host.updateComplete;
  });
  afterEach(() => {
    host.remove();
    clock.restore();
  });

  it('runs a timer once, by name; setting the name again replaces it, clearing it stops it', async () => {
    const calls: string[] = [];
    host.timers.set('once', 100, () => calls.push('first'));
    host.timers.set('once', 200, () => calls.push('second'));
    await clock.tickAsync(150);
    expect(calls, 'the first was replaced').to.deep.equal([]);
    await clock.tickAsync(50);
    expect(calls).to.deep.equal(['second']);
    host.timers.set('once', 100, () => calls.push('third'));
    host.timers.clear('once');
    await clock.tickAsync(500);
    expect(calls).to.deep.equal(['second']);
    expect(clock.countTimers()).to.equal(0);
  });

  it('repeats with `every` until cleared', async () => {
    let ticks = 0;
    host.timers.every('again', 1000, () => ticks++);
    await clock.tickAsync(3000);
    expect(ticks).to.equal(3);
    host.timers.clear('again');
    await clock.tickAsync(3000);
    expect(ticks).to.equal(3);
    expect(clock.countTimers()).to.equal(0);
  });

  it('says when a timer is cleared before its time (`cancelled`), never after it ran', async () => {
    const calls: string[] = [];
    host.timers.set('once', 100, () => calls.push('ran'), () => calls.push('cancelled'));
    await clock.tickAsync(100);
    host.timers.clear('once');
    host.timers.set('once', 100, () => calls.push('ran again'), () => calls.push('cancelled'));
    host.timers.set('once', 100, () => calls.push('replacement'));
    host.timers.clear('once');
    await clock.tickAsync(500);
    expect(calls).to.deep.equal(['ran', 'cancelled']);
  });

  it('clears every timer when the host leaves the page: none outlives it', async () => {
    const calls: string[] = [];
    host.timers.set('once', 100, () => calls.push('once'));
    host.timers.every('again', 100, () => calls.push('again'));
    host.timers.set('other', 100, () => calls.push('other'), () => calls.push('other cancelled'));
    expect(clock.countTimers()).to.equal(3);
    host.remove();
    expect(clock.countTimers()).to.equal(0);
    await clock.tickAsync(1000);
    expect(calls).to.deep.equal(['other cancelled']);
  });
});
