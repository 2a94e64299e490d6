import { expect, fixture, html } from '@open-wc/testing';
import { GymElement, type GymErrorBoundary } from '../../src/index.js';
import { RealtimeController } from '../../src/elements/shared/realtime-controller.js';
import { cleanupConnected, connected, shadowText } from '../helpers/element-harness.js';
import { stats } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';

/** A widget that fails to render while `broken` is set on the page. */
class FlakyWidget extends GymElement {
  static broken = true;
  static created = 0;
  constructor() {
    super();
    FlakyWidget.created++;
  }
  protected override render() {
    if (FlakyWidget.broken) throw new Error('render exploded');
    return html`<p>working</p>`;
  }
}
FlakyWidget.define('test-flaky-widget');

/** A widget whose stats handler throws. */
class ThrowingSubscriber extends GymElement {
  readonly realtime = new RealtimeController(this, {
    messages: {
      check_in_stats: () => {
        throw new Error('handler exploded');
      },
    },
  });
}
ThrowingSubscriber.define('test-throwing-subscriber');

describe('<gym-error-boundary>', () => {
  let onerror: unknown[];
  let previous: OnErrorEventHandler;
  beforeEach(() => {
    onerror = [];
    previous = window.onerror;
    window.onerror = (...args) => {
      onerror.push(args);
      return true;
    };
    FlakyWidget.broken = true;
  });
  afterEach(() => {
    window.onerror = previous;
    cleanupConnected();
  });

  it('contains a throwing child: shows the fallback, nothing reaches window.onerror or outer listeners', async () => {
    const outer: unknown[] = [];
    const page = await fixture<HTMLElement>(html`<div @gym-error=${(e: Event) => outer.push(e)}>
      <gym-error-boundary><test-flaky-widget></test-flaky-widget></gym-error-boundary>
      <gym-checkin-stats></gym-checkin-stats>
    </div>`);
    const boundary = page.querySelector('gym-error-boundary') as GymErrorBoundary;
    await boundary.updateComplete;
    expect(boundary.matches(':state(tripped)')).to.equal(true);
    expect(boundary.error).to.deep.include({ source: 'render', message: 'render exploded' });
    expect(shadowText(boundary)).to.include('This live widget stopped working.').and.include('Try again');
    expect(boundary.shadowRoot!.querySelector('[part=fallback]')!.hasAttribute('hidden')).to.equal(false);
    expect(onerror).to.have.length(0);
    expect(outer).to.have.length(0);
    // The sibling outside the boundary keeps working.
    expect(shadowText(page.querySelector('gym-checkin-stats')!)).to.include('Not connected');
    await expect(boundary).to.be.accessible();
  });

  it('"Try again" re-creates the children and recovers', async () => {
    const boundary = await fixture<GymErrorBoundary>(html`<gym-error-boundary><test-flaky-widget data-keep="yes"></test-flaky-widget></gym-error-boundary>`);
    await boundary.updateComplete;
    const before = FlakyWidget.created;
    FlakyWidget.broken = false;
    boundary.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry]')!.click();
    await boundary.updateComplete;
    const widget = boundary.querySelector('test-flaky-widget') as FlakyWidget;
    await widget.updateComplete;
    expect(FlakyWidget.created).to.equal(before + 1);
    expect(widget.dataset.keep).to.equal('yes');
    expect(shadowText(widget)).to.equal('working');
    expect(boundary.error).to.equal(undefined);
    expect(boundary.matches(':state(tripped)')).to.equal(false);
  });

  it('shows a custom fallback from the fallback slot', async () => {
    const boundary = await fixture<GymErrorBoundary>(
      html`<gym-error-boundary><p slot="fallback">Live data is resting.</p><test-flaky-widget></test-flaky-widget></gym-error-boundary>`,
    );
    await boundary.updateComplete;
    const slot = boundary.shadowRoot!.querySelector<HTMLSlotElement>('slot[name=fallback]')!;
    expect(slot.assignedElements().map((el) => el.textContent)).to.deep.equal(['Live data is resting.']);
  });

  it('the nearest boundary wins', async () => {
    const outer = await fixture<GymErrorBoundary>(
      html`<gym-error-boundary><gym-error-boundary id="inner"><test-flaky-widget></test-flaky-widget></gym-error-boundary></gym-error-boundary>`,
    );
    const inner = outer.querySelector('#inner') as GymErrorBoundary;
    await inner.updateComplete;
    expect(inner.error).to.not.equal(undefined);
    expect(outer.error).to.equal(undefined);
  });

  it('catches a socket handler that throws; the link and the other widgets carry on', async () => {
    const c = await connected('<gym-error-boundary><test-throwing-subscriber></test-throwing-subscriber></gym-error-boundary><gym-checkin-stats></gym-checkin-stats>');
    const boundary = c.provider.querySelector('gym-error-boundary')!;
    c.gym.send({ type: 'check_in_stats', payload: stats(4, 4, 4) });
    await c.settle();
    expect(boundary.error).to.deep.include({ source: 'handler', message: 'handler exploded' });
    expect(c.provider.querySelector('gym-checkin-stats')!.stats?.currentlyIn).to.equal(4);
    expect(c.client.state).to.equal('open');
    expect(onerror).to.have.length(0);
  });

  it('after a connection error, "Try again" asks the provider to reconnect', async () => {
    const c = await connected('<gym-error-boundary><gym-checkin-feed></gym-checkin-feed></gym-error-boundary>', { initialRetryDelay: 60_000 });
    const boundary = c.provider.querySelector('gym-error-boundary')!;
    c.gym.drop();
    await until(() => c.client.state === 'reconnecting', 'the link to go down');
    c.provider.querySelector('gym-checkin-feed')!.reportError(new Error('link failed'), 'connection');
    await boundary.updateComplete;
    expect(boundary.error?.source).to.equal('connection');
    boundary.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry]')!.click();
    // The next retry is a minute away: only "Try again" brings the link back this soon.
    await until(() => c.client.state === 'open', 'the link to open again');
    expect(boundary.error).to.equal(undefined);
  });

  it('lets configuration errors through: the element concerned shows them', async () => {
    const seen: string[] = [];
    const page = await fixture<HTMLElement>(html`<div @gym-error=${(e: CustomEvent) => seen.push(e.detail.source)}>
      <gym-error-boundary><gym-checkin-feed limit="0"></gym-checkin-feed></gym-error-boundary>
    </div>`);
    const boundary = page.querySelector('gym-error-boundary') as GymErrorBoundary;
    await boundary.updateComplete;
    expect(seen).to.deep.equal(['config']);
    expect(boundary.error).to.equal(undefined);
  });
});
