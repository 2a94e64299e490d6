import { expect } from '@open-wc/testing';
import '../../src/index.js';
import { forgetPagePolicy } from '../../src/core/page-policy.js';
import type { GymErrorDetail } from '../../src/events/gym-error.js';
import type { GymCheckinFeed, GymCheckinForm, GymRealtimeProvider } from '../../src/index.js';
import { upgradeWidgets } from '../../src/upgrade.js';
import { shadowText } from '../helpers/element-harness.js';
import { countingServer, type CountingServer } from '../helpers/counting-server.js';
import { member } from '../helpers/fixtures.js';
import { gymServer, type GymServer } from '../helpers/gym-server.js';
import { until } from '../helpers/wait.js';

/** An attribute value as a CMS author may write it. */
const QUOTES = {
  double: (value: string) => `"${value}"`,
  single: (value: string) => `'${value}'`,
  none: (value: string) => value,
};

/**
 * The page's <meta name="gym-realtime-policy"> and a tag soup an author wrote,
 * against the local gym server (which the policy lists) and the counting
 * server, an origin of its own that no token may reach.
 */
describe('the connection policy: a token goes only where the page head says', function () {
  this.timeout(20_000);
  let gym: GymServer;
  let other: CountingServer;
  let page: HTMLElement | undefined;
  const metas: HTMLMetaElement[] = [];
  let errors: GymErrorDetail[] = [];
  const record = (event: Event) => errors.push((event as CustomEvent<GymErrorDetail>).detail);

  before(async () => {
    [gym, other] = await Promise.all([gymServer(), countingServer()]);
  });
  beforeEach(async () => {
    errors = [];
    document.addEventListener('gym-error', record);
    await Promise.all([gym.control('reset'), other.reset()]);
  });
  afterEach(() => {
    page?.remove();
    page = undefined;
    for (const meta of metas.splice(0)) meta.remove();
    forgetPagePolicy();
    document.removeEventListener('gym-error', record);
  });

  function policy(content: string, where: HTMLElement = document.head): void {
    const meta = document.createElement('meta');
    meta.setAttribute('name', 'gym-realtime-policy');
    meta.setAttribute('content', content);
    where.append(meta);
    metas.push(meta);
  }

  /** The author's markup, through innerHTML as a CMS puts it in a page. */
  function mount(markup: string): HTMLElement {
    page = document.createElement('div');
    page.innerHTML = markup;
    document.body.append(page);
    return page;
  }

  const provider = () => page!.querySelector<GymRealtimeProvider>('gym-realtime-provider')!;
  const errorPart = () => provider().shadowRoot!.querySelector('[part=error]')?.textContent ?? '';
  /** The page's configuration errors, by message. */
  const configErrors = () => errors.filter(({ source }) => source === 'config').map(({ message }) => message);
  const otherOrigin = (scheme = 'http') => other.origin.replace(/^http/, scheme);
  const refusal = (setting: string, scheme = 'http') =>
    `${setting} points at ${otherOrigin(scheme)}, which this page's gym-realtime-policy does not allow to receive a sign-in token: use an address on an origin it lists, or ask the site owner to add this one`;

  const tokenUrlRefusal = () =>
    `token-url points at ${other.origin}, which this page's gym-realtime-policy does not allow to hand out sign-in tokens: use an address on an origin it lists, or ask the site owner to add this one`;

  async function refusedWith(message: string): Promise<void> {
    await until(() => configErrors().includes(message), `a gym-error saying "${message}"`);
    await provider().updateComplete;
    expect(errorPart()).to.equal(`This live widget is misconfigured: ${message}`);
    expect(await other.requests()).to.deep.equal([]);
  }

  const live = async () => until(() => provider().client?.state === 'open', 'the link to the gym server to open', 10_000);

  /** A card scanned at the form: it looks the member up (search, visits) before it checks them in. */
  async function scan(form: GymCheckinForm): Promise<void> {
    form.shadowRoot!.querySelector('input')!.value = member(2);
    form.shadowRoot!.querySelector<HTMLButtonElement>('[part=submit]')!.click();
    await until(() => shadowText(form).includes('checked in'), 'the check-in to go through over the socket', 10_000);
  }

  const ok = () => `url="${gym.socketUrl}" token-url="${gym.tokenUrl}"`;

  describe('an attribute set to another origin, in any quoting, is refused before any request', () => {
    for (const [style, q] of Object.entries(QUOTES)) {
      it(`provider url (${style} quotes)`, async () => {
        policy(gym.origin);
        mount(`<gym-realtime-provider url=${q(other.socketUrl)} token-url="${gym.tokenUrl}"><gym-connection-status></gym-connection-status></gym-realtime-provider>`);
        await refusedWith(refusal('url', 'ws'));
        expect(provider().connectionState).to.equal('invalid');
      });

      it(`provider token-url (${style} quotes)`, async () => {
        policy(gym.origin);
        mount(`<gym-realtime-provider url="${gym.socketUrl}" token-url=${q(`${other.origin}/token`)}></gym-realtime-provider>`);
        await refusedWith(tokenUrlRefusal());
      });

      it(`provider history-url (${style} quotes)`, async () => {
        policy(gym.origin);
        mount(`<gym-realtime-provider ${ok()} history-url=${q(`${other.origin}/api/checkins/recent/`)}><gym-checkin-feed></gym-checkin-feed></gym-realtime-provider>`);
        await refusedWith(refusal('history-url'));
      });

      it(`feed history-url (${style} quotes)`, async () => {
        policy(gym.origin);
        mount(`<gym-realtime-provider ${ok()}><gym-checkin-feed history-url=${q(`${other.origin}/api/checkins/recent/`)}></gym-checkin-feed></gym-realtime-provider>`);
        await refusedWith(refusal('history-url'));
        expect(provider().client?.state).to.equal('open');
        expect(shadowText(page!.querySelector('gym-checkin-feed')!)).to.include('Could not load earlier check-ins');
      });

      for (const attribute of ['search-url', 'visits-url']) {
        it(`form ${attribute} (${style} quotes)`, async () => {
          policy(gym.origin);
          mount(`<gym-realtime-provider ${ok()}><gym-checkin-form ${attribute}=${q(`${other.origin}/api/`)}></gym-checkin-form></gym-realtime-provider>`);
          await live();
          await scan(page!.querySelector<GymCheckinForm>('gym-checkin-form')!);
          await refusedWith(refusal(attribute));
          expect(configErrors()).to.deep.equal([refusal(attribute)]);
        });
      }
    }

    const connect = () => `data-url="${gym.socketUrl}" data-token-url="${gym.tokenUrl}"`;
    for (const [widget, setting, scheme, value, scans] of [
      ['connection-status', 'url', 'ws', () => other.socketUrl, false],
      ['connection-status', 'token-url', 'http', () => `${other.origin}/token`, false],
      ['checkin-feed', 'history-url', 'http', () => `${other.origin}/api/checkins/recent/`, false],
      ['checkin-form', 'search-url', 'http', () => `${other.origin}/api/members/search/`, true],
      ['checkin-form', 'visits-url', 'http', () => `${other.origin}/api/checkins/checkins/`, true],
    ] as const) {
      for (const [style, q] of Object.entries(QUOTES)) {
        it(`a data-gym-widget block's data-${setting} (${style} quotes)`, async () => {
          policy(gym.origin);
          // A connection that works, but for the setting under test.
          const rest = connect().replace(new RegExp(`data-${setting}="[^"]*"`), '');
          mount(`<div data-gym-widget="${widget}" ${rest} data-${setting}=${q(value())}>Live check-ins load here.</div>`);
          upgradeWidgets(page);
          if (scans) {
            await live();
            await scan(page!.querySelector<GymCheckinForm>('gym-checkin-form')!);
          }
          await refusedWith(setting === 'token-url' ? tokenUrlRefusal() : refusal(setting, scheme));
        });
      }
    }
  });

  describe('set at run time, after the connection is live', () => {
    beforeEach(() => policy(gym.origin));

    for (const [setting, what, how] of [
      ['url', 'the attribute', (p: GymRealtimeProvider) => p.setAttribute('url', other.socketUrl)],
      ['url', 'the property', (p: GymRealtimeProvider) => (p.url = other.socketUrl)],
      ['token-url', 'the attribute', (p: GymRealtimeProvider) => p.setAttribute('token-url', `${other.origin}/token`)],
      ['history-url', 'the property', (p: GymRealtimeProvider) => (p.historyUrl = `${other.origin}/api/checkins/recent/`)],
    ] as const) {
      it(`provider ${setting}: ${what}`, async () => {
        mount(`<gym-realtime-provider ${ok()}><gym-connection-status></gym-connection-status></gym-realtime-provider>`);
        await live();
        how(provider());
        await until(() => configErrors().length > 0, 'a gym-error');
        expect(configErrors()[0]).to.match(new RegExp(`^${setting} points at ${otherOrigin(setting === 'url' ? 'ws' : 'http').replace(/[./]/g, '\\$&')}, `));
        await provider().updateComplete;
        expect(errorPart()).to.include(`${setting} points at`);
        expect(await other.requests()).to.deep.equal([]);
      });
    }

    it('form search-url and visits-url', async () => {
      mount(`<gym-realtime-provider ${ok()}><gym-checkin-form></gym-checkin-form></gym-realtime-provider>`);
      await live();
      const form = page!.querySelector<GymCheckinForm>('gym-checkin-form')!;
      form.setAttribute('search-url', `${other.origin}/api/members/search/`);
      form.visitsUrl = `${other.origin}/api/checkins/checkins/`;
      await scan(form);
      await until(() => configErrors().length === 2, 'two gym-errors');
      expect(configErrors().sort()).to.deep.equal([refusal('search-url'), refusal('visits-url')]);
      expect(await other.requests()).to.deep.equal([]);
    });

    it('feed history-url, at the next reconnection', async () => {
      mount(`<gym-realtime-provider ${ok()} initial-retry-delay="50"><gym-checkin-feed></gym-checkin-feed></gym-realtime-provider>`);
      await live();
      page!.querySelector<GymCheckinFeed>('gym-checkin-feed')!.historyUrl = `${other.origin}/api/checkins/recent/`;
      await gym.control('drop');
      await refusedWith(refusal('history-url'));
    });
  });

  describe('a second policy, or one added later, can narrow but never widen', () => {
    it('a wider meta added after the first read, or the first one removed, lets nothing more through', async () => {
      policy(gym.origin);
      mount(`<gym-realtime-provider ${ok()}><gym-connection-status></gym-connection-status></gym-realtime-provider>`);
      await live();
      policy(`${gym.origin} ${other.origin}`);
      metas[0]!.remove();
      provider().setAttribute('url', other.socketUrl);
      await refusedWith(refusal('url', 'ws'));
      // A provider added to the page later reads the same frozen policy.
      page!.insertAdjacentHTML('beforeend', `<gym-realtime-provider class="late" url=${other.socketUrl} token-url=${gym.tokenUrl}></gym-realtime-provider>`);
      await until(() => configErrors().length === 2, 'the late provider refused too');
      expect(configErrors()[1]).to.equal(refusal('url', 'ws'));
      expect(await other.requests()).to.deep.equal([]);
    });

    it('two metas at once: only what both list', async () => {
      policy(`${gym.origin} ${other.origin}`);
      policy(gym.origin);
      mount(`<gym-realtime-provider url=${other.socketUrl} token-url=${gym.tokenUrl}></gym-realtime-provider>`);
      await refusedWith(refusal('url', 'ws'));
    });

    it('a narrower meta added later stops the token at the next attempt', async () => {
      policy(`${gym.origin} ${other.origin}`);
      mount(`<gym-realtime-provider url="${other.socketUrl}" token-url="${gym.tokenUrl}" initial-retry-delay="50"><gym-connection-status></gym-connection-status></gym-realtime-provider>`);
      await until(() => provider().client?.state === 'open', 'open to the counting server, which the first policy lists');
      expect((await other.requests()).map(({ kind, token }) => ({ kind, token }))).to.deep.equal([{ kind: 'ws', token: true }]);
      await other.reset();
      policy(gym.origin);
      await other.drop();
      await refusedWith(refusal('url', 'ws'));
      expect(provider().client?.state).to.equal('reconnecting');
    });

    it('a meta in the body (where CMS authors write) counts for nothing', async () => {
      policy(gym.origin);
      policy(`${gym.origin} ${other.origin}`, document.body);
      mount(`<gym-realtime-provider url=${other.socketUrl} token-url=${gym.tokenUrl}></gym-realtime-provider>`);
      await refusedWith(refusal('url', 'ws'));
    });
  });

  describe('content="none": a public page', () => {
    beforeEach(() => policy('none'));

    it('connects without a token wherever it is pointed', async () => {
      mount(`<gym-realtime-provider url=${other.socketUrl}><gym-connection-status></gym-connection-status></gym-realtime-provider>`);
      await until(() => provider().client?.state === 'open', 'open without a token');
      expect((await other.requests()).map(({ kind, token }) => ({ kind, token }))).to.deep.equal([{ kind: 'ws', token: false }]);
      expect(configErrors()).to.deep.equal([]);
    });

    for (const attribute of ['token-url', 'token']) {
      it(`takes a ${attribute} as a configuration error, and asks nothing`, async () => {
        mount(`<gym-realtime-provider url=${other.socketUrl} ${attribute}="/demo/token"></gym-realtime-provider>`);
        const message = `${attribute} is set, but this page's gym-realtime-policy is "none": no sign-in token may be used here; remove ${attribute}`;
        await refusedWith(message);
      });
    }

    it('takes a tokenProvider as a configuration error', async () => {
      const element = document.createElement('gym-realtime-provider');
      element.url = other.socketUrl;
      element.tokenProvider = () => 'secret';
      page = document.createElement('div');
      page.append(element);
      document.body.append(page);
      await refusedWith(`tokenProvider is set, but this page's gym-realtime-policy is "none": no sign-in token may be used here; remove tokenProvider`);
    });
  });

  it('without any meta, nothing is restricted (as before): the counting server sees the token', async () => {
    mount(`<gym-realtime-provider url="${other.socketUrl}" token-url="${gym.tokenUrl}"></gym-realtime-provider>`);
    await until(() => provider().client?.state === 'open', 'open to the counting server');
    expect((await other.requests()).map(({ kind, token }) => ({ kind, token }))).to.deep.equal([{ kind: 'ws', token: true }]);
    expect(configErrors()).to.deep.equal([]);
  });
});
