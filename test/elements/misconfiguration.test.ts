import { expect } from '@open-wc/testing';
import { RealtimeClient } from '../../src/core/client.js';
import type { GymConnectionStatus, GymRealtimeProvider } from '../../src/index.js';
import type { GymErrorDetail } from '../../src/events/gym-error.js';
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
});
