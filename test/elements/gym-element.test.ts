import { expect, fixture, html } from '@open-wc/testing';
import { GymElement } from '../../src/index.js';
import type { GymErrorEvent } from '../../src/events/gym-error.js';

class Emitter extends GymElement {
  fire(options?: EventInit): boolean {
    return this.emit('gym-error', { source: 'handler', message: 'test', error: null }, options);
  }
}
Emitter.define('test-emitter');

describe('GymElement.emit', () => {
  async function fired(options?: EventInit) {
    const parent = await fixture<HTMLElement>(html`<div><test-emitter></test-emitter></div>`);
    const events: GymErrorEvent[] = [];
    parent.addEventListener('gym-error', (event) => {
      events.push(event);
      event.preventDefault();
    });
    const returned = parent.querySelector<Emitter>('test-emitter')!.fire(options);
    return { event: events[0]!, returned };
  }

  it('fires events that bubble and are composed, but are not cancelable', async () => {
    const { event, returned } = await fired();
    expect({ bubbles: event.bubbles, composed: event.composed, cancelable: event.cancelable }).to.deep.equal({ bubbles: true, composed: true, cancelable: false });
    expect(event.defaultPrevented).to.equal(false);
    expect(returned).to.equal(true);
  });

  it('makes an event cancelable when asked, and still bubbling', async () => {
    const { event, returned } = await fired({ cancelable: true });
    expect({ bubbles: event.bubbles, composed: event.composed, cancelable: event.cancelable }).to.deep.equal({ bubbles: true, composed: true, cancelable: true });
    expect(returned).to.equal(false);
  });
});
