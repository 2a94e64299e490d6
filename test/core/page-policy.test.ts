import { expect } from '@open-wc/testing';
import { RealtimeClient } from '../../src/core/client.js';
import { GymClientError } from '../../src/core/errors.js';
import { forgetPagePolicy, pagePolicy } from '../../src/core/page-policy.js';
import { TokenSource } from '../../src/core/token-source.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { GYM_URL, MockGym } from '../helpers/mock-gym.js';

const metas: HTMLMetaElement[] = [];

/** Declares a policy in `where` (the head unless told); removed after each test. */
function policy(content: string, where: HTMLElement = document.head): HTMLMetaElement {
  const meta = document.createElement('meta');
  meta.name = 'gym-realtime-policy';
  meta.content = content;
  where.append(meta);
  metas.push(meta);
  return meta;
}

const origins = () => {
  const read = pagePolicy();
  return read === 'any' ? 'any' : [...read].sort();
};

/** What `make` threw. */
function thrown(make: () => unknown): unknown {
  try {
    make();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** A fetch that records what it was asked; its answer's body is read without a real task, which a fake clock would not wait for. */
const counted = () => {
  const asked: string[] = [];
  const fetch = (async (url: RequestInfo | URL) => {
    asked.push(String(url));
    return { status: 200, ok: true, headers: new Headers({ 'Content-Type': 'application/json' }), text: async () => '{"access":"from-token-url"}' } as Response;
  }) as typeof globalThis.fetch;
  return { asked, fetch };
};

const PAGE = location.origin;
const GYM = 'http://gym.test';

describe('the page policy (gym-realtime-policy metas)', () => {
  afterEach(() => {
    for (const meta of metas.splice(0)) meta.remove();
    forgetPagePolicy();
  });

  describe('reading it', () => {
    it('restricts nothing without a meta (what a page without one always got)', () => {
      expect(origins()).to.equal('any');
    });

    it('counts only metas in <head>: one in the body (where CMS authors write) is ignored', () => {
      policy('https://evil.example', document.body);
      expect(origins()).to.equal('any');
      policy('https://gym.example');
      expect(origins()).to.deep.equal(['https://gym.example']);
    });

    it('takes the intersection of several metas', () => {
      policy('https://gym.example https://api.example');
      policy('https://gym.example wss://evil.example');
      expect(origins()).to.deep.equal(['https://gym.example']);
    });

    it('is frozen when first read: a meta added later narrows it, a wider one or a removal never widens it', () => {
      const first = policy('https://gym.example https://api.example');
      expect(origins()).to.deep.equal(['https://api.example', 'https://gym.example']);
      policy('https://gym.example https://api.example https://evil.example');
      expect(origins()).to.deep.equal(['https://api.example', 'https://gym.example']);
      first.remove();
      expect(origins()).to.deep.equal(['https://api.example', 'https://gym.example']);
      policy('https://gym.example');
      expect(origins()).to.deep.equal(['https://gym.example']);
    });

    it('a page without a policy when first read can still be narrowed later', () => {
      expect(origins()).to.equal('any');
      policy('none');
      expect(origins()).to.deep.equal([]);
    });
  });

  describe('the client refuses, before any request, a token the policy does not let go', () => {
    it('a socket url on an origin the policy does not list, when a token would be in it', () => {
      policy('https://gym.example');
      const error = thrown(() => new RealtimeClient({ url: 'wss://evil.example/ws/checkins/', token: 't', share: 'none' }));
      expect(error).to.be.instanceOf(GymClientError);
      expect((error as GymClientError).code).to.equal('misconfigured');
      expect((error as Error).message).to.equal(
        "url points at wss://evil.example, which this page's gym-realtime-policy does not allow to receive a sign-in token: use an address on an origin it lists, or ask the site owner to add this one",
      );
      // Without a token, the same url is fine: nothing to leak.
      new RealtimeClient({ url: 'wss://evil.example/ws/checkins/', share: 'none' }).dispose();
      new RealtimeClient({ url: 'wss://gym.example/ws/checkins/', token: 't', share: 'none' }).dispose();
    });

    it('a token-url on neither the page origin nor a listed one; the page origin and listed ones are fine', () => {
      policy('https://gym.example');
      const url = 'wss://gym.example/ws/checkins/';
      expect((thrown(() => new RealtimeClient({ url, tokenUrl: 'https://evil.example/token' })) as Error).message).to.match(
        /^token-url points at https:\/\/evil\.example, which this page's gym-realtime-policy does not allow to hand out sign-in tokens: /,
      );
      for (const tokenUrl of ['/api/widget-token', `${PAGE}/api/widget-token`, 'https://gym.example/token']) new RealtimeClient({ url, tokenUrl, share: 'none' }).dispose();
    });

    it('with "none": a token, a token-url (even on the page origin) or a tokenProvider; token-less is fine', () => {
      policy('none');
      const url = 'wss://gym.example/ws/checkins/';
      for (const [options, setting] of [
        [{ token: 't' }, 'token'],
        [{ tokenUrl: '/api/widget-token' }, 'token-url'],
        [{ tokenProvider: () => 't' }, 'tokenProvider'],
      ] as const) {
        const error = thrown(() => new RealtimeClient({ url, ...options }));
        expect((error as GymClientError).code).to.equal('misconfigured');
        expect((error as Error).message).to.equal(
          `${setting} is set, but this page's gym-realtime-policy is "none": no sign-in token may be used here; remove ${setting}`,
        );
      }
      new RealtimeClient({ url, share: 'none' }).dispose();
    });

    it('an authCheckUrl (which gets the token as a Bearer header) on an unlisted origin', () => {
      policy('https://gym.example');
      const error = thrown(() => new RealtimeClient({ url: 'wss://gym.example/ws/checkins/', token: 't', authCheckUrl: 'https://evil.example/api/checkins/recent/' }));
      expect((error as Error).message).to.match(/^authCheckUrl points at https:\/\/evil\.example, /);
    });

    it('configure() to an unlisted url throws, and changes nothing', () => {
      policy('https://gym.example');
      const client = new RealtimeClient({ url: 'wss://gym.example/ws/checkins/', token: 't', share: 'none' });
      try {
        expect((thrown(() => client.configure({ url: 'wss://evil.example/ws/checkins/' })) as Error).message).to.match(/^url points at wss:\/\/evil\.example, /);
        expect((thrown(() => client.configure({ tokenUrl: 'https://evil.example/token' })) as Error).message).to.match(/^token-url points at /);
        expect(client.url).to.equal('wss://gym.example/ws/checkins/');
      } finally {
        client.dispose();
      }
    });

    it('the token source gives no token under a later "none", cached or not, and asks nothing', async () => {
      const { asked, fetch } = counted();
      const clock = { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} } as never;
      const source = new TokenSource({ tokenUrl: '/api/widget-token' }, fetch, clock);
      expect(await source.get(false)).to.equal('from-token-url');
      policy('none');
      const error = await source.get(false).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as GymClientError).code).to.equal('misconfigured');
      expect(asked).to.deep.equal(['/api/widget-token']);
      expect(await new TokenSource({}, fetch, clock).get(false)).to.equal(undefined);
    });
  });

  describe('a policy narrowed after the client was made', () => {
    let h: Harness;
    afterEach(() => h?.restore());

    it('the next attempt is refused as a configuration error: no socket, no token fetched', async () => {
      const { asked, fetch } = counted();
      h = createHarness({ token: undefined, tokenUrl: '/api/widget-token', fetch, initialRetryDelay: 10 });
      const errors: string[] = [];
      h.client.on('config-error', ({ message }) => errors.push(message));
      h.client.connect();
      await h.tick(10);
      expect(h.client.state).to.equal('open');
      expect(h.gym.urls).to.have.length(1);
      policy(`${PAGE} https://elsewhere.example`);
      h.gym.drop();
      await h.tick(60_000);
      expect(errors[0]).to.match(/^url points at ws:\/\/gym\.test, which this page's gym-realtime-policy does not allow/);
      expect(h.gym.urls).to.have.length(1);
      expect(asked).to.deep.equal(['/api/widget-token']);
      expect(h.client.state).to.equal('reconnecting');
    });

    it('a failing handshake is not checked at an authCheckUrl the policy no longer lists', async () => {
      const { asked, fetch } = counted();
      h = createHarness({ authCheckUrl: 'https://api.example/api/checkins/recent/', fetch, initialRetryDelay: 100, maxRetryDelay: 100 });
      const errors: string[] = [];
      h.client.on('config-error', ({ message }) => errors.push(message));
      await h.open();
      policy(GYM);
      h.gym.acceptToken = () => false;
      h.gym.drop();
      // The REST check comes after every 4th failed handshake.
      while (h.client.metrics.connectAttempts < 10) await h.tick(100);
      expect(asked).to.deep.equal([]);
      expect(errors[0]).to.match(/^authCheckUrl points at https:\/\/api\.example, /);
    });
  });

  it('in a page without any meta, the client connects anywhere as before', async () => {
    const gym = new MockGym(GYM_URL);
    const client = new RealtimeClient({ url: GYM_URL, token: 't', WebSocket: gym.WebSocket, share: 'none' });
    try {
      client.connect();
      await new Promise<void>((resolve) => client.on('state', ({ state }) => state === 'open' && resolve()));
      expect(gym.urls).to.deep.equal([`${GYM_URL}?token=t`]);
    } finally {
      client.dispose();
      gym.stop();
    }
  });
});
