import { expect } from '@open-wc/testing';
import { RealtimeClient } from '../../src/core/client.js';
import type { GymCheckinFeed, GymConnectionStatus, GymRealtimeProvider } from '../../src/index.js';
import type { GymErrorDetail } from '../../src/events/gym-error.js';
import { urlError } from '../../src/elements/realtime-provider/socket-address.js';
import { MisspeltAttribute } from '../../src/elements/shared/gym-element.js';
import { cleanupConnected, connected, shadowText } from '../helpers/element-harness.js';
import { FakeNetwork, MockGym } from '../helpers/mock-gym.js';
import { until } from '../helpers/wait.js';

/** Every gym-error that reaches the document while a test runs. */
function recordErrors() {
  const errors: GymErrorDetail[] = [];
  const listener = (event: Event) => errors.push((event as CustomEvent<GymErrorDetail>).detail);
  document.addEventListener('gym-error', listener);
  return { errors, stop: () => document.removeEventListener('gym-error', listener) };
}

const statusOf = (provider: HTMLElement) => provider.querySelector('gym-connection-status') as GymConnectionStatus;
const errorPart = (provider: GymRealtimeProvider) => provider.shadowRoot!.querySelector('[part=error]')?.textContent ?? '';

describe('what the widgets say when the page or the network is wrong', () => {
  let recorder: ReturnType<typeof recordErrors>;
  beforeEach(() => (recorder = recordErrors()));
  afterEach(() => {
    recorder.stop();
    cleanupConnected();
  });

  it('the status says "Checking connection…" at once when the browser goes offline while live, then Offline', async () => {
    const c = await connected('<gym-connection-status></gym-connection-status>', { offlineCheckTimeout: 50 });
    c.gym.answerHeartbeats = false;
    c.network.signal('offline');
    await c.settle();
    expect(shadowText(statusOf(c.provider))).to.equal('… Checking connection…');
    expect(statusOf(c.provider).matches(':state(checking)')).to.equal(true);
    await until(() => c.client.state === 'offline', 'offline after the check');
    await c.settle();
    expect(shadowText(statusOf(c.provider))).to.match(/^✕ Offline — waiting for network/);
  });

  it("a token the server keeps refusing: 'Can't sign in to the live feed', with a countdown and Retry now", async () => {
    const c = await connected('<gym-connection-status></gym-connection-status>', { initialRetryDelay: 1, maxRetryDelay: 1, refusedAfter: 0 });
    c.gym.acceptToken = () => false;
    c.gym.drop();
    await until(() => c.client.state === 'refused', 'the refused state', 10_000);
    await c.settle();
    const el = statusOf(c.provider);
    expect(shadowText(el)).to.match(/^! Can't sign in to the live feed · retrying in \d+ s Retry now$/);
    expect(el.matches(':state(refused)')).to.equal(true);
    expect(c.provider.matches(':state(refused)')).to.equal(true);
  });

  for (const [token, wording] of [
    ['t', 'Sign-in required'],
    [undefined, 'Live feed unavailable'],
  ] as const) {
    it(`unauthorized reads "${wording}" ${token ? 'on a page with a token' : 'on a page that uses no token'}`, async () => {
      const c = await connected('<gym-connection-status></gym-connection-status>', { token });
      c.gym.drop(4001);
      await until(() => c.client.state === 'unauthorized', 'unauthorized');
      await c.settle();
      expect(shadowText(statusOf(c.provider))).to.equal(`! ${wording} Retry now`);
    });
  }

  it('a token-url answering a 404 page: gym-error (config) naming it, shown in the provider, and the connection keeps trying', async () => {
    const url = 'ws://misconfigured.test/ws/checkins/';
    const gym = new MockGym(url);
    let fetches = 0;
    const client = new RealtimeClient({
      url,
      tokenUrl: '/api/widget-token',
      WebSocket: gym.WebSocket,
      environment: new FakeNetwork(),
      fetch: async () => {
        fetches++;
        return new Response('<!doctype html><h1>Not found</h1>', { status: 404, headers: { 'Content-Type': 'text/html' } });
      },
    });
    const provider = document.createElement('gym-realtime-provider');
    provider.client = client;
    provider.innerHTML = '<gym-connection-status></gym-connection-status>';
    document.body.append(provider);
    try {
      await until(() => recorder.errors.length > 0, 'a gym-error');
      await provider.updateComplete;
      const message = 'token-url answered 404 text/html — is the address right?';
      expect(recorder.errors).to.deep.equal([{ source: 'config', message, error: recorder.errors[0]!.error }]);
      expect(errorPart(provider)).to.equal(`This live widget is misconfigured: ${message}`);
      expect(provider.connectionState).to.equal('reconnecting');
      expect(client.nextAttemptAt! - Date.now()).to.be.above(25_000);
      expect(fetches).to.equal(1);
      expect(gym.urls).to.deep.equal([]);
    } finally {
      provider.remove();
      client.dispose();
      gym.stop();
    }
  });

  describe('an invalid timing is named as the page wrote it', () => {
    async function provider(setup: (provider: GymRealtimeProvider) => void) {
      const element = document.createElement('gym-realtime-provider');
      element.setAttribute('url', 'ws://misconfigured.test/ws/checkins/');
      setup(element);
      document.body.append(element);
      await element.updateComplete;
      return element;
    }

    it('from an attribute: the attribute and the text typed into it, not the property', async () => {
      const element = await provider((p) => p.setAttribute('heartbeat-interval', '15s'));
      try {
        const message = 'heartbeat-interval must be a number of ms ≥ 0, not "15s"';
        expect(recorder.errors.map(({ source, message }) => `${source}: ${message}`)).to.deep.equal([`config: ${message}`]);
        expect(errorPart(element)).to.equal(`This live widget is misconfigured: ${message}`);
      } finally {
        element.remove();
      }
    });

    it('from a property set by script (over a valid attribute): the property and its value', async () => {
      const element = await provider((p) => {
        p.setAttribute('heartbeat-interval', '20000');
        p.heartbeatInterval = -1;
      });
      try {
        const message = 'heartbeatInterval must be a number of ms ≥ 0, not -1';
        expect(recorder.errors.map(({ message }) => message)).to.deep.equal([message]);
        expect(errorPart(element)).to.equal(`This live widget is misconfigured: ${message}`);
      } finally {
        element.remove();
      }
    });
  });

  for (const [historyUrl, what] of [
    ['/no-such-history/', /^history-url answered 404 [\w/-]+ — is the address right\?$/],
    ['/package.json', /^history-url answered 200 application\/json that is not a list of check-ins — is the address right\?$/],
    ['http://127.0.0.1:9/api/checkins/recent/', /^history-url could not be fetched: .*CORS/],
  ] as const) {
    it(`a history-url that is wrong (${historyUrl}): gym-error (config) and the provider says what came back`, async () => {
      const c = await connected(`<gym-checkin-feed history-url="${historyUrl}"></gym-checkin-feed>`);
      await until(() => recorder.errors.length > 0, 'a gym-error');
      await c.settle();
      expect(recorder.errors.map(({ source }) => source)).to.deep.equal(['config']);
      expect(recorder.errors[0]!.message).to.match(what);
      expect(errorPart(c.provider)).to.equal(`This live widget is misconfigured: ${recorder.errors[0]!.message}`);
      expect(shadowText(c.provider.querySelector('gym-checkin-feed')!)).to.include('Could not load earlier check-ins');
      expect(c.client.state).to.equal('open');
    });
  }

  describe('a url that is no socket address is a configuration error naming url and the fix', () => {
    async function provider(url: string) {
      const element = document.createElement('gym-realtime-provider');
      element.setAttribute('url', url);
      element.innerHTML = '<gym-connection-status></gym-connection-status>';
      document.body.append(element);
      await element.updateComplete;
      return element;
    }

    const SOCKET = "AV-Gym's socket is wss://…/ws/checkins/";
    for (const [url, message] of [
      ['ws://misconfigured.test/ws/checkins', `url must end with /: write "ws://misconfigured.test/ws/checkins/"; ${SOCKET}`],
      ['/ws/checkins', `url must end with /: write "/ws/checkins/"; ${SOCKET}`],
      ['https://gym.example/ws/checkins?site=2', `url must end with /: write "https://gym.example/ws/checkins/?site=2"; ${SOCKET}`],
      ['wss://gym.example/ws/checkins?token=s3cret', `url must end with /: write "wss://gym.example/ws/checkins/?token=[redacted]"; ${SOCKET}`],
      ['ftp://gym.example/ws/checkins/', `url must use ws:, wss:, http: or https:, not ftp:; ${SOCKET}`],
      ['mailto:desk@gym.example', `url must use ws:, wss:, http: or https:, not mailto:; ${SOCKET}`],
    ] as const) {
      it(`${url}: said in the provider and as gym-error (config), and nothing is opened`, async () => {
        const element = await provider(url);
        try {
          expect(recorder.errors.map(({ source, message }) => `${source}: ${message}`)).to.deep.equal([`config: ${message}`]);
          expect(errorPart(element)).to.equal(`This live widget is misconfigured: ${message}`);
          expect(element.connectionState).to.equal('invalid');
          expect(element.client).to.equal(undefined);
          expect(errorPart(element)).to.not.include('s3cret');
          await expect(element).to.be.accessible();
        } finally {
          element.remove();
        }
      });
    }

    it('a path is read against the page, as the client reads it: on a page with no http(s) address it is no socket', () => {
      expect(urlError('/ws/checkins/', 'file:///home/desk/gym.html')?.message).to.equal(`url "/ws/checkins/" is no socket address on this page: write the whole address; ${SOCKET}`);
      expect(urlError('/ws/checkins/', 'https://www.gym.example/live/')).to.equal(undefined);
      expect(urlError('ws/checkins/', 'https://www.gym.example/live/')).to.equal(undefined);
      expect(urlError('//gym.example/ws/checkins/', 'https://www.gym.example/')).to.equal(undefined);
      expect(urlError('/ws/checkins', 'https://www.gym.example/')?.message).to.equal(`url must end with /: write "/ws/checkins/"; ${SOCKET}`);
    });

    it('every address a page may write for the socket is let through: ws:, wss:, http:, https:, a path, a query', () => {
      for (const url of ['ws://gym.example/ws/checkins/', 'wss://gym.example:8443/ws/checkins/', 'http://gym.example/ws/checkins/', 'https://gym.example/ws/checkins/?site=2', '/gateway/ws/checkins/', 'wss://gym.example/']) {
        expect(urlError(url), url).to.equal(undefined);
      }
    });
  });

  describe('a misspelt attribute is said once, naming the right spelling, on every element', () => {
    const TAGS = ['gym-realtime-provider', 'gym-connection-status', 'gym-checkin-stats', 'gym-checkin-feed', 'gym-checkin-form', 'gym-error-boundary'];
    const messages = () => recorder.errors.map(({ source, message }) => `${source}: ${message}`);

    it('on the provider: token_url, tokenUrl, historyUrl, history_url; said in its message, and still said once the link is live', async () => {
      const url = 'ws://misspelt.test/ws/checkins/';
      const gym = new MockGym(url);
      const client = new RealtimeClient({ url, token: 't', WebSocket: gym.WebSocket, environment: new FakeNetwork(), share: 'none' });
      const parser = document.createElement('template');
      parser.setHTMLUnsafe('<gym-realtime-provider token_url="/api/widget-token" tokenUrl="/api/widget-token" historyUrl="/h" history_url="/h"></gym-realtime-provider>');
      const element = parser.content.firstElementChild as GymRealtimeProvider;
      element.client = client;
      document.body.append(element);
      try {
        await until(() => client.state === 'open', 'the link to open');
        await element.updateComplete;
        const said = [
          'token_url is not an attribute of <gym-realtime-provider>: did you mean token-url?',
          'tokenurl is not an attribute of <gym-realtime-provider>: did you mean token-url?',
          'historyurl is not an attribute of <gym-realtime-provider>: did you mean history-url?',
          'history_url is not an attribute of <gym-realtime-provider>: did you mean history-url?',
        ];
        expect(messages()).to.deep.equal(said.map((message) => `config: ${message}`));
        expect(recorder.errors.every(({ error }) => error instanceof MisspeltAttribute)).to.equal(true);
        expect(errorPart(element)).to.equal(`This live widget is misconfigured: ${said.join('; ')}`);
        await expect(element).to.be.accessible();
      } finally {
        element.remove();
        client.dispose();
        gym.stop();
      }
    });

    it('on an element inside: a provider attribute misspelt on a feed names the provider, and the provider shows it', async () => {
      const c = await connected('<gym-checkin-feed token_url="/t" history_url="/h" Limit="3"></gym-checkin-feed>');
      await c.settle();
      const said = [
        'token_url is not an attribute of <gym-checkin-feed>: did you mean token-url, an attribute of <gym-realtime-provider>?',
        'history_url is not an attribute of <gym-checkin-feed>: did you mean history-url?',
      ];
      expect(messages()).to.deep.equal(said.map((message) => `config: ${message}`));
      expect(errorPart(c.provider)).to.equal(`This live widget is misconfigured: ${said.join('; ')}`);
    });

    it('in a browser without customElements.getName (before 2023): the message names no tag, and nothing throws', async () => {
      const registry = customElements as { getName?: unknown };
      const getName = registry.getName;
      registry.getName = undefined;
      const element = document.createElement('gym-checkin-stats');
      element.setAttribute('token_url', '/t');
      try {
        document.body.append(element);
        expect(messages().filter((line) => line.includes('token_url'))).to.deep.equal(['config: token_url is not an attribute of <gym-checkin-stats>: did you mean token-url, an attribute of another widget?']);
      } finally {
        registry.getName = getName;
        element.remove();
      }
    });

    for (const tag of TAGS) {
      it(`<${tag}>: a provider attribute misspelt is named, once per element, not again when it is moved`, async () => {
        const element = document.createElement(tag);
        element.setAttribute('max_retry_delay', '5');
        document.body.append(element);
        const section = document.createElement('section');
        document.body.append(section);
        section.append(element);
        try {
          const where = tag === 'gym-realtime-provider' ? '' : ', an attribute of <gym-realtime-provider>';
          expect(messages().filter((line) => line.includes(' is not an attribute of '))).to.deep.equal([`config: max_retry_delay is not an attribute of <${tag}>: did you mean max-retry-delay${where}?`]);
        } finally {
          section.remove();
        }
      });
    }

    it('says nothing of attributes spelt right (on their element or another), global attributes, data- and aria- ones', async () => {
      const parser = document.createElement('template');
      parser.setHTMLUnsafe(
        '<gym-checkin-feed id="f" class="wide" style="color: red" title="Feed" data-url="x" aria-label="Check-ins" hidden lang="fr" dir="rtl" theme="dark" limit="2" history-url="/h" token-url="/t" text-empty="Rien"></gym-checkin-feed>' +
          '<gym-connection-status compact details text-live="En direct" slot="x" part="p" tabindex="0"></gym-connection-status>',
      );
      const elements = [...parser.content.children];
      document.body.append(...elements);
      try {
        await Promise.all(elements.map((element) => (element as GymCheckinFeed).updateComplete));
        expect(messages().filter((line) => line.includes(' is not an attribute of '))).to.deep.equal([]);
      } finally {
        for (const element of elements) element.remove();
      }
    });

    for (const tag of TAGS) {
      it(`<${tag}>: each of its own attributes misspelt (- as _) is named, text-* ones too`, async () => {
        const own = (customElements.get(tag) as unknown as { observedAttributes: string[] }).observedAttributes.filter((name) => name.includes('-'));
        expect(own, 'attributes with a -').to.not.have.length(0);
        const element = document.createElement(tag);
        for (const name of own) element.setAttribute(name.replaceAll('-', '_'), '1');
        document.body.append(element);
        try {
          expect(messages().filter((line) => line.includes(' is not an attribute of '))).to.deep.equal(
            own.map((name) => `config: ${name.replaceAll('-', '_')} is not an attribute of <${tag}>: did you mean ${name}?`),
          );
        } finally {
          element.remove();
        }
      });
    }
  });

  it("the provider's message is in the kit's font and colours, not the host page's", async () => {
    const page = document.createElement('div');
    page.setAttribute('style', 'font: italic 30px/3 Georgia, serif; color: rgb(0, 128, 0)');
    page.innerHTML = '<gym-realtime-provider url="ftp://gym.example/"><gym-connection-status></gym-connection-status></gym-realtime-provider>';
    document.body.append(page);
    const element = page.querySelector('gym-realtime-provider') as GymRealtimeProvider;
    const status = page.querySelector('gym-connection-status') as GymConnectionStatus;
    try {
      await element.updateComplete;
      const part = () => getComputedStyle(element.shadowRoot!.querySelector('[part=error]')!);
      const kit = getComputedStyle(status);
      expect([part().fontFamily, part().fontSize, part().lineHeight]).to.deep.equal([kit.fontFamily, kit.fontSize, kit.lineHeight]);
      expect(part().fontFamily).to.not.include('Georgia');
      expect(part().color).to.not.equal('rgb(0, 128, 0)');
      // The page's own tokens reach it, as they reach every element.
      page.style.setProperty('--gym-font-family', 'monospace');
      page.style.setProperty('--gym-font-size', '20px');
      page.style.setProperty('--gym-color-danger', 'rgb(1, 2, 3)');
      expect([part().fontFamily, part().fontSize, part().color]).to.deep.equal(['monospace', '20px', 'rgb(1, 2, 3)']);
      // The page's own content inside the provider keeps the page's font.
      expect(getComputedStyle(element).fontFamily).to.include('Georgia');
    } finally {
      page.remove();
    }
  });
});
