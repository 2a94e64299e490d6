import { expect } from '@open-wc/testing';
import type { ClientEvents } from '../../src/core/client.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { member } from '../helpers/fixtures.js';
import { tokenOf } from '../helpers/mock-gym.js';

const NOW_S = Date.parse('2026-11-27T08:00:00Z') / 1000;
const b64 = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '');
/** A JWT that expires `inSeconds` from the harness's start time. */
const jwt = (inSeconds: number, id = 'x') => `${b64({ alg: 'HS256' })}.${b64({ exp: NOW_S + inSeconds, jti: id })}.sig`;
const MINUTE = 60_000;

/**
 * An HTTP answer whose body is read without a real task: Chromium reads a real
 * Response's body in a task of its own, which a fake clock does not wait for.
 */
const httpAnswer = (status: number, body: string, type = 'application/json') =>
  ({ status, ok: status < 300, headers: new Headers({ 'Content-Type': type }), text: async () => body }) as Response;

/** A token URL whose answers the test switches: a token to hand out, or an HTTP status. */
function tokenUrl(answer: () => string | number) {
  const asked: string[] = [];
  const checked: (string | null)[] = [];
  const fetcher = (async (url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (String(url) === '/api/checkins/recent/') {
      checked.push(new Headers(init?.headers).get('Authorization'));
      return httpAnswer(401, '{"code":"token_not_valid"}');
    }
    asked.push(String(url));
    const value = answer();
    return typeof value === 'number' ? httpAnswer(value, '') : httpAnswer(200, JSON.stringify({ access: value }));
  }) as typeof fetch;
  return { fetch: fetcher, asked, checked };
}

function record<K extends keyof ClientEvents>(h: Harness, type: K): ClientEvents[K][] {
  const seen: ClientEvents[K][] = [];
  h.client.on(type, (event) => seen.push(event));
  return seen;
}

describe('RealtimeClient: refused tokens, signing in again, configuration errors', () => {
  let h: Harness;
  afterEach(() => h.restore());

  /** A token URL handing out a garbage token the gym refuses, with the REST API to ask; runs `ms`. */
  async function refusedFor(ms: number) {
    const source = tokenUrl(() => 'garbage');
    h = createHarness({ token: undefined, tokenUrl: '/token', fetch: source.fetch, authCheckUrl: '/api/checkins/recent/' });
    h.gym.acceptToken = () => false;
    h.client.connect();
    await h.tick(ms);
    return source;
  }

  it('a garbage token from token-url: the REST API says 401 after the first refused handshake, a fresh token is the same, and the state is unauthorized', async () => {
    const source = await refusedFor(60_000);
    expect(h.client.state).to.equal('unauthorized');
    expect(h.changes.at(-1)).to.deep.include({ state: 'unauthorized', reason: 'token-refused' });
    expect(h.client.metrics.connectAttempts).to.equal(1);
    expect(source.checked).to.deep.equal(['Bearer garbage']);
    // The first token; another asked for at once, the same; and one slow recheck (45 s) in the minute.
    expect(source.asked).to.have.length(3);
    // Signed out: the token URL is asked again slowly; the gym is not called again with the same token.
    await h.tick(30 * MINUTE);
    expect(h.client.metrics.connectAttempts).to.equal(1);
    expect(source.asked.length).to.be.within(4, 12);
  });

  it('a refused token without a REST API to ask: the distinct refused state after a minute of refusals, then one try every 30–60 s', async () => {
    h = createHarness({ token: 'garbage' });
    h.gym.acceptToken = () => false;
    let atRefusal: number | undefined;
    h.client.on('state', ({ state }) => {
      if (state === 'refused') atRefusal ??= h.client.metrics.connectAttempts;
    });
    h.client.connect();
    await h.tick(2 * MINUTE);
    expect(h.client.state).to.equal('refused');
    expect(h.changes.find((change) => change.state === 'refused')).to.deep.include({ reason: 'refused' });
    // 8 or more in a row over at least a minute: with this harness's delays (0.5, 1, 2, 4, then 7.5 s), the 12th.
    expect(atRefusal).to.equal(12);
    const attempts = h.client.metrics.connectAttempts;
    await h.tick(30 * MINUTE);
    // At the normal pace (≤ 15 s) that would be 120 or more.
    expect(h.client.metrics.connectAttempts - attempts).to.be.within(30, 60);
  });

  it('a restart with quick retries (many refusals in a few seconds) is not taken for a refused token', async () => {
    h = createHarness({ token: 'fixed', initialRetryDelay: 100, maxRetryDelay: 400 });
    await h.open();
    h.gym.acceptToken = () => false;
    h.gym.drop();
    await h.tick(10_000);
    expect(h.client.metrics.connectAttempts, 'more than 8 refusals in a row').to.be.above(9);
    expect(h.states()).to.not.include('refused');
    h.gym.acceptToken = () => true;
    await h.tick(500);
    expect(h.client.state).to.equal('open');
  });

  it('an expired token from token-url is never used: one more fetch, then unauthorized without connecting', async () => {
    const source = tokenUrl(() => jwt(-60));
    h = createHarness({ token: undefined, tokenUrl: '/token', fetch: source.fetch });
    h.client.connect();
    await h.tick(1);
    expect(h.client.state).to.equal('unauthorized');
    expect(source.asked).to.have.length(2);
    expect(h.gym.urls).to.have.length(0);
  });

  it('leaves unauthorized without a click once the token URL has a token again (slow schedule)', async () => {
    let status: string | number = 401;
    const source = tokenUrl(() => status);
    h = createHarness({ token: undefined, tokenUrl: '/token', fetch: source.fetch });
    h.client.connect();
    await h.tick(1);
    expect(h.client.state).to.equal('unauthorized');
    await h.tick(5 * MINUTE);
    expect(h.client.state).to.equal('unauthorized');
    const asked = source.asked.length;
    expect(asked).to.be.within(3, 6);
    status = jwt(3600, 'restored');
    await h.tick(5 * MINUTE);
    expect(h.client.state).to.equal('open');
    expect(h.changes.find((change) => change.previous === 'unauthorized')).to.deep.include({ reason: 'token-renewed' });
    expect(tokenOf(h.gym.urls.at(-1))).to.equal(status);
  });

  it('asks the token source again at once when the page becomes visible or comes back online', async () => {
    let status: string | number = 401;
    const source = tokenUrl(() => status);
    h = createHarness({ token: undefined, tokenUrl: '/token', fetch: source.fetch });
    h.client.connect();
    await h.tick(1);
    status = jwt(3600);
    h.network.signal('visible');
    await h.tick(5);
    expect(h.client.state).to.equal('open');
    expect(source.asked).to.have.length(2);
  });

  it('a token the server stopped taking (a restart with new keys): the REST API says 401 after the first refused handshake, and a new token connects at once', async () => {
    let tokens = 0;
    const source = tokenUrl(() => (++tokens === 1 ? 'revoked' : 'renewed'));
    h = createHarness({ token: undefined, tokenUrl: '/token', fetch: source.fetch, authCheckUrl: '/api/checkins/recent/' });
    h.gym.acceptToken = (token) => token === 'renewed';
    h.client.connect();
    await h.tick(20);
    expect(h.client.state).to.equal('open');
    expect(h.gym.urls.map(tokenOf)).to.deep.equal(['revoked', 'renewed']);
    expect(source.checked).to.deep.equal(['Bearer revoked']);
    expect(h.states()).to.not.include('unauthorized');
  });

  it('stays unauthorized when the token source hands back the token the server refused', async () => {
    await refusedFor(60_000);
    expect(h.client.state).to.equal('unauthorized');
    h.network.signal('visible');
    await h.tick(5);
    expect(h.client.state).to.equal('unauthorized');
    expect(h.client.metrics.connectAttempts).to.equal(1);
  });

  it('reports a token URL that answers an HTML page as a configuration error, and retries slowly', async () => {
    h = createHarness({
      token: undefined,
      tokenUrl: '/token',
      fetch: async () => httpAnswer(404, '<!doctype html><title>Not found</title>', 'text/html'),
    });
    const errors = record(h, 'config-error');
    h.client.connect();
    await h.tick(1);
    expect(errors).to.deep.equal([{ message: 'token-url answered 404 text/html — is the address right?' }]);
    expect(h.changes.at(-1)).to.deep.include({ state: 'reconnecting', reason: 'misconfigured' });
    expect(h.client.nextAttemptAt! - Date.now()).to.be.within(30_000, 60_000);
    await h.tick(10 * MINUTE);
    expect(errors.length).to.be.within(3, 6);
    expect(h.gym.urls).to.have.length(0);
  });

  it('says "checking" at once when the browser goes offline while open, and offline within the check timeout', async () => {
    h = createHarness();
    await h.open();
    h.gym.answerHeartbeats = false;
    h.network.signal('offline');
    expect(h.client.state).to.equal('checking');
    await h.tick(5);
    expect(h.gym.received('heartbeat')).to.have.length(1);
    await h.tick(2995);
    expect(h.client.state).to.equal('offline');
    expect(h.states().slice(-2)).to.deep.equal(['checking', 'offline']);
  });

  it('goes back to open when the link answers the check, and sends what was asked meanwhile', async () => {
    h = createHarness();
    await h.open();
    h.network.signal('offline');
    void h.client.request('check_in', { memberId: member(1) }).catch(() => {});
    expect(h.gym.received('check_in')).to.have.length(0);
    await h.tick(60);
    expect(h.client.state).to.equal('open');
    expect(h.changes.at(-1)).to.deep.include({ previous: 'checking', reason: 'alive' });
    expect(h.gym.received('check_in')).to.have.length(1);
  });

  it('a REST API that answers 403 (a valid token without the permission) takes the token: neither unauthorized nor refused', async () => {
    const checked: string[] = [];
    h = createHarness({
      token: 'valid-but-member',
      authCheckUrl: '/api/checkins/recent/',
      fetch: async () => {
        checked.push('asked');
        return httpAnswer(403, '{"detail":"You do not have permission"}');
      },
    });
    h.gym.acceptToken = () => false;
    h.client.connect();
    await h.tick(60_000);
    expect(checked.length).to.be.above(0);
    // The token is fine: what fails is elsewhere, so neither a refusal nor sign-in is said.
    expect(h.changes.some((change) => change.state === 'unauthorized' || change.state === 'refused')).to.equal(false);
  });

  it('a page with no token never asks the REST API about one', async () => {
    let asked = 0;
    h = createHarness({ token: undefined, authCheckUrl: '/api/checkins/recent/', fetch: async () => (asked++, httpAnswer(401, '')) });
    h.gym.acceptToken = () => false;
    h.client.connect();
    await h.tick(60_000);
    expect(asked).to.equal(0);
    expect(h.client.state).to.not.equal('unauthorized');
  });

  it('a verdict that comes after the next attempt began still counts, and stops that attempt', async () => {
    let answer!: (response: Response) => void;
    const source = tokenUrl(() => 'garbage');
    h = createHarness({
      token: undefined,
      tokenUrl: '/token',
      authCheckUrl: '/api/checkins/recent/',
      fetch: (url, init) => (String(url) === '/api/checkins/recent/' ? new Promise<Response>((resolve) => (answer = resolve)) : source.fetch(url, init)),
    });
    h.gym.acceptToken = () => false;
    h.client.connect();
    while (h.client.metrics.connectAttempts < 5) await h.tick(500);
    answer(httpAnswer(401, '{"code":"token_not_valid"}'));
    await h.tick(1);
    expect(h.client.state).to.equal('unauthorized');
    const attempts = h.client.metrics.connectAttempts;
    await h.tick(60_000);
    expect(h.client.metrics.connectAttempts).to.equal(attempts);
  });

  it('a token URL that never answers ends the attempt after connectTimeout, and the next one tries again', async () => {
    let calls = 0;
    h = createHarness({ token: undefined, tokenUrl: '/token', fetch: () => (++calls === 1 ? new Promise<Response>(() => {}) : Promise.resolve(httpAnswer(200, '{"access":"late"}'))) });
    h.client.connect();
    await h.tick(10_000);
    expect(h.changes.at(-1)).to.deep.include({ state: 'reconnecting', reason: 'token-failed' });
    await h.tick(h.client.nextAttemptAt! - Date.now() + 5);
    expect(h.client.state).to.equal('open');
  });

  it('signed out, a re-ask that never answers does not end the re-asking', async () => {
    let calls = 0;
    const hang = new Promise<Response>(() => {});
    h = createHarness({
      token: undefined,
      tokenUrl: '/token',
      fetch: () => {
        calls++;
        if (calls === 1) return Promise.resolve(httpAnswer(401, ''));
        if (calls === 2) return hang;
        return Promise.resolve(httpAnswer(200, JSON.stringify({ access: jwt(3600, 'back') })));
      },
    });
    h.client.connect();
    await h.tick(1);
    expect(h.client.state).to.equal('unauthorized');
    await h.tick(15 * MINUTE);
    expect(calls).to.be.at.least(3);
    expect(h.client.state).to.equal('open');
  });

  it('a hidden tab whose check was throttled checks again when it comes into view', async () => {
    h = createHarness();
    await h.open();
    h.gym.answerHeartbeats = false;
    h.network.signal('offline');
    // Hidden: the 3 s check fires 10 s late and is taken for the page's own sleep.
    await h.clock.tickAsync(5);
    h.clock.setSystemTime(Date.now() + 10_000);
    await h.tick(3000);
    expect(h.client.state).to.equal('checking');
    h.network.signal('visible');
    await h.tick(3000);
    expect(h.client.state).to.equal('offline');
  });

  it('tells whether the page uses a token at all', () => {
    h = createHarness({ token: undefined });
    expect(h.client.usesToken).to.equal(false);
    h.client.configure({ tokenUrl: '/token' });
    expect(h.client.usesToken).to.equal(true);
  });
});
