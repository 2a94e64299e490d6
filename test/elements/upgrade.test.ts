import { expect, nextFrame, oneEvent } from '@open-wc/testing';
import '../../src/cdn-classic.js';
import { upgradeWidgets } from '../../src/upgrade.js';
import type { GymErrorEvent } from '../../src/events/gym-error.js';

const URL = 'wss://gym.invalid/ws/checkins/';

/** `data-gym-widget` blocks, as a CMS that strips unknown tags leaves them. */
describe('data-gym-widget blocks', () => {
  let page: HTMLElement;
  const mount = (markup: string) => {
    page = document.createElement('div');
    page.setHTMLUnsafe(markup);
    document.body.append(page);
    return page;
  };
  afterEach(() => page.remove());

  it('become the element they name, with their data-* as attributes and a provider of their own', () => {
    mount(`<div class="cms" data-gym-widget="checkin-feed" data-url="${URL}" data-token-url="/token" data-limit="3" data-notify="" data-text-empty="Nobody yet">Live check-ins load here.</div>`);
    upgradeWidgets();
    const block = page.querySelector('.cms')!;
    expect(block.children.length).to.equal(1);
    const provider = block.firstElementChild!;
    expect(provider.localName).to.equal('gym-realtime-provider');
    expect(provider.getAttribute('url')).to.equal(URL);
    expect(provider.getAttribute('token-url')).to.equal('/token');
    const feed = provider.querySelector('gym-checkin-feed')!;
    expect(feed.getAttribute('limit')).to.equal('3');
    expect(feed.hasAttribute('notify')).to.equal(true);
    expect(feed.getAttribute('text-empty')).to.equal('Nobody yet');
    // The fallback text is gone.
    expect(block.textContent).to.equal('');
  });

  it('share one provider when nested in a provider block, and upgrade once', () => {
    mount(`<div data-gym-widget="realtime-provider" data-url="${URL}">
      <h2>Today</h2>
      <div data-gym-widget="connection-status" data-compact=""></div>
      <div data-gym-widget="checkin-stats"></div>
    </div>`);
    upgradeWidgets();
    upgradeWidgets();
    expect(page.querySelectorAll('gym-realtime-provider').length).to.equal(1);
    const provider = page.querySelector('gym-realtime-provider')!;
    expect(provider.querySelector('h2')?.textContent).to.equal('Today');
    expect(provider.querySelector('gym-connection-status')?.hasAttribute('compact')).to.equal(true);
    expect(provider.querySelectorAll('gym-checkin-stats').length).to.equal(1);
  });

  it('are left alone once upgraded, also by a second copy of the bundle on the page', () => {
    mount(`<div data-gym-widget="realtime-provider" data-url="${URL}"><div data-gym-widget="checkin-stats"></div></div>`);
    upgradeWidgets();
    const before = page.innerHTML;
    // What another copy sees: the same blocks, marked in the page rather than in its own memory.
    expect(page.querySelectorAll('[data-gym-upgraded]').length).to.equal(2);
    upgradeWidgets();
    expect(page.innerHTML).to.equal(before);
    expect(page.querySelectorAll('gym-realtime-provider').length).to.equal(1);
  });

  it('say so, visibly and with a gym-error, when the widget does not exist', async () => {
    mount(`<div data-gym-widget="checkin-chart" data-url="${URL}"></div>`);
    const block = page.firstElementChild!;
    const error = oneEvent(page, 'gym-error') as Promise<GymErrorEvent>;
    upgradeWidgets();
    const { detail } = await error;
    expect(detail.source).to.equal('config');
    expect(detail.message).to.include('"checkin-chart" is not a widget');
    expect(block.textContent).to.include('misconfigured');
    expect(page.querySelector('gym-realtime-provider')).to.equal(null);
  });

  it('report data-* attributes the element does not have, and still work', async () => {
    mount(`<div data-gym-widget="checkin-stats" data-url="${URL}" data-colour="red"></div>`);
    const error = oneEvent(page, 'gym-error') as Promise<GymErrorEvent>;
    upgradeWidgets();
    expect((await error).detail.message).to.include('data-colour');
    expect(page.querySelector('gym-realtime-provider gym-checkin-stats')).to.not.equal(null);
  });

  it('added later (a page builder) are upgraded by the CDN bundle on its own', async () => {
    mount('');
    const block = document.createElement('div');
    block.dataset.gymWidget = 'checkin-form';
    block.dataset.url = URL;
    block.dataset.location = 'Side door';
    page.append(block);
    await nextFrame();
    expect(block.querySelector('gym-checkin-form')?.getAttribute('location')).to.equal('Side door');
  });
});
