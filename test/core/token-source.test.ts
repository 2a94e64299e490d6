import { expect } from '@open-wc/testing';
import { GymClientError, UnauthorizedError, isUnauthorized } from '../../src/core/errors.js';
import { TokenSource, tokenExpiry } from '../../src/core/token-source.js';

const NOW = Date.parse('2026-11-27T08:00:00Z');
/** A clock that stands at `now`; its timers are the test's to fire (`fire()`). */
const at = (now: number) => {
  const due: (() => void)[] = [];
  return { now: () => now, setTimeout: (callback: () => void) => due.push(callback), clearTimeout: () => {}, fire: () => due.splice(0).forEach((callback) => callback()) };
};
const b64 = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const jwt = (exp: number) => `${b64({ alg: 'HS256' })}.${b64({ exp, token_type: 'access' })}.sig`;

/** A fetch that answers from a list and records what it was asked. */
function fakeFetch(...answers: (Response | Error)[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetcher = (async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init });
    const answer = answers.shift();
    if (!answer) throw new Error('unexpected fetch');
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof fetch;
  return { fetcher, calls };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('TokenSource', () => {
  it('returns a fixed token as it is, and is not refreshable', async () => {
    const source = new TokenSource({ token: 'abc' }, fakeFetch().fetcher, at(NOW));
    expect(source.refreshable).to.equal(false);
    expect(await source.get(true)).to.equal('abc');
  });

  it('reads {"access"}, {"token"} or plain text from the token URL, with credentials', async () => {
    const { fetcher, calls } = fakeFetch(
      Response.json({ access: 'A', refresh: 'R' }),
      Response.json({ token: 'T' }),
      new Response('  plain-token\n', { headers: { 'Content-Type': 'text/plain' } }),
    );
    const source = new TokenSource({ tokenUrl: '/demo/token' }, fetcher, at(NOW));
    expect(source.refreshable).to.equal(true);
    expect(await source.get(true)).to.equal('A');
    expect(await source.get(true)).to.equal('T');
    expect(await source.get(true)).to.equal('plain-token');
    expect(calls[0]).to.deep.include({ url: '/demo/token' });
    expect(calls[0]!.init?.credentials).to.equal('include');
  });

  it('caches a token until it is about to expire or a fresh one is asked for', async () => {
    const live = jwt(NOW / 1000 + 3600);
    const { fetcher, calls } = fakeFetch(Response.json({ access: live }), Response.json({ access: 'second' }));
    const source = new TokenSource({ tokenUrl: '/t' }, fetcher, at(NOW));
    expect(await source.get(false)).to.equal(live);
    expect(await source.get(false)).to.equal(live);
    expect(calls).to.have.length(1);
    expect(await source.get(true)).to.equal('second');
    expect(calls).to.have.length(2);
  });

  it('asks again when the cached JWT expires within 30 s', async () => {
    let now = NOW;
    const soon = jwt(NOW / 1000 + 60);
    const { fetcher, calls } = fakeFetch(Response.json({ access: soon }), Response.json({ access: 'renewed' }));
    const source = new TokenSource({ tokenUrl: '/t' }, fetcher, { ...at(NOW), now: () => now });
    expect(await source.get(false)).to.equal(soon);
    now += 31_000;
    expect(await source.get(false)).to.equal('renewed');
    expect(calls).to.have.length(2);
    expect(tokenExpiry(soon)).to.equal(NOW + 60_000);
    expect(tokenExpiry('not-a-jwt')).to.equal(undefined);
  });

  it('turns 401 and 403 into UnauthorizedError', async () => {
    for (const status of [401, 403]) {
      const source = new TokenSource({ tokenUrl: '/t' }, fakeFetch(new Response('', { status })).fetcher, at(NOW));
      const error = await rejection(source.get(false));
      expect(error).to.be.instanceOf(UnauthorizedError);
      expect(isUnauthorized(error)).to.equal(true);
    }
  });

  it('reports failures that may pass (5xx, an unreachable same-origin URL) as token-failed', async () => {
    for (const answer of [new Response('', { status: 500 }), new Response('', { status: 503 }), new TypeError('Failed to fetch')]) {
      const source = new TokenSource({ tokenUrl: '/t' }, fakeFetch(answer).fetcher, at(NOW));
      const error = await rejection(source.get(false));
      expect(error).to.be.instanceOf(GymClientError);
      expect((error as GymClientError).code).to.equal('token-failed');
      expect(isUnauthorized(error)).to.equal(false);
    }
  });

  it('calls an answer that is not a token a configuration error, naming token-url and what came back', async () => {
    const html = { headers: { 'Content-Type': 'text/html; charset=utf-8' } };
    const cases: [Response, string][] = [
      [new Response('<!doctype html><h1>Not found</h1>', { status: 404, ...html }), 'token-url answered 404 text/html — is the address right?'],
      [new Response('<!doctype html><p>Welcome</p>', html), 'token-url answered 200 text/html that is not a token — is the address right?'],
      [Response.json({ access: 5 }), 'token-url answered 200 application/json without an "access" or "token" field — is the address right?'],
      [new Response('{oops', { headers: { 'Content-Type': 'application/json' } }), 'token-url answered 200 application/json that is not JSON — is the address right?'],
      [new Response(''), 'token-url answered 200 text/plain with nothing — is the address right?'],
    ];
    for (const [answer, message] of cases) {
      const error = await rejection(new TokenSource({ tokenUrl: '/t' }, fakeFetch(answer).fetcher, at(NOW)).get(false));
      expect(error).to.be.instanceOf(GymClientError);
      expect((error as GymClientError).code).to.equal('misconfigured');
      expect((error as GymClientError).message).to.equal(message);
    }
  });

  it('calls a cross-origin token URL that cannot be fetched a configuration error that names CORS', async () => {
    const source = new TokenSource({ tokenUrl: 'https://auth.example/token' }, fakeFetch(new TypeError('Failed to fetch')).fetcher, at(NOW));
    const error = (await rejection(source.get(false))) as GymClientError;
    expect(error.code).to.equal('misconfigured');
    expect(error.message).to.match(/^token-url could not be fetched: .*CORS/);
  });

  it('never hands out an expired token: asks once more, then says unauthorized', async () => {
    const expired = jwt(NOW / 1000 - 1);
    const live = jwt(NOW / 1000 + 3600);
    const once = fakeFetch(Response.json({ access: expired }), Response.json({ access: live }));
    expect(await new TokenSource({ tokenUrl: '/t' }, once.fetcher, at(NOW)).get(false)).to.equal(live);
    expect(once.calls).to.have.length(2);
    const always = fakeFetch(Response.json({ access: expired }), Response.json({ access: expired }));
    const error = await rejection(new TokenSource({ tokenUrl: '/t' }, always.fetcher, at(NOW)).get(false));
    expect(error).to.be.instanceOf(UnauthorizedError);
    expect(always.calls).to.have.length(2);
    // A fixed token cannot be asked for again: the server judges it (this device's clock may be off).
    expect(await new TokenSource({ token: expired }, fakeFetch().fetcher, at(NOW)).get(false)).to.equal(expired);
  });

  it("on a device whose clock is ahead, takes a second, new token that looks expired, and learns the offset from its iat", async () => {
    const ahead = NOW + 2 * 3600_000; // this device's clock, two hours ahead of the issuer's
    const issued = (id: string) => `${b64({ alg: 'HS256' })}.${b64({ iat: NOW / 1000, exp: NOW / 1000 + 300, jti: id })}.sig`;
    const { fetcher, calls } = fakeFetch(Response.json({ access: issued('a') }), Response.json({ access: issued('b') }));
    const source = new TokenSource({ tokenUrl: '/t' }, fetcher, at(ahead));
    expect(await source.get(false)).to.equal(issued('b'));
    // Cached from then on, by the issuer's clock.
    expect(await source.get(false)).to.equal(issued('b'));
    expect(calls).to.have.length(2);
  });

  it('shares one fetch among everyone who asks while it is under way', async () => {
    const { fetcher, calls } = fakeFetch(Response.json({ access: 'only' }));
    const source = new TokenSource({ tokenUrl: '/t' }, fetcher, at(NOW));
    expect(await Promise.all([source.get(true), source.get(true), source.get(false)])).to.deep.equal(['only', 'only', 'only']);
    expect(calls).to.have.length(1);
  });

  it('keeps an unexpired token when a fresh one cannot be had (5xx, unreachable, timeout), and says so otherwise', async () => {
    const valid = jwt(NOW / 1000 + 3600);
    const { fetcher, calls } = fakeFetch(Response.json({ access: valid }), new Response('', { status: 502 }), new TypeError('Failed to fetch'));
    const source = new TokenSource({ tokenUrl: '/t' }, fetcher, at(NOW));
    expect(await source.get(false)).to.equal(valid);
    // Down with the server: the socket still gets the token it has.
    expect(await source.get(true)).to.equal(valid);
    expect(await source.get(true)).to.equal(valid);
    expect(calls).to.have.length(3);
    expect(await source.get(false), 'kept in the cache').to.equal(valid);
    expect(calls).to.have.length(3);
  });

  it('never keeps a token past its expiry, nor one the source refused, when the refresh fails', async () => {
    const clock = { ...at(NOW), now: () => NOW };
    const { fetcher } = fakeFetch(Response.json({ access: jwt(NOW / 1000 + 10) }), new Response('', { status: 502 }), new Response('', { status: 401 }));
    let now = NOW;
    clock.now = () => now;
    const source = new TokenSource({ tokenUrl: '/t' }, fetcher, clock);
    await source.get(false);
    now = NOW + 11_000;
    expect(((await rejection(source.get(false))) as GymClientError).code).to.equal('token-failed');
    const fresh = jwt(NOW / 1000 + 3600);
    const second = new TokenSource({ tokenUrl: '/t' }, fakeFetch(Response.json({ access: fresh }), new Response('', { status: 401 })).fetcher, at(NOW));
    await second.get(false);
    expect(isUnauthorized(await rejection(second.get(true))), 'signed out: the old token is not used').to.equal(true);
  });

  it('renews a token a REST call was refused with once for everyone who asks, and hands out one already renewed', async () => {
    const { fetcher, calls } = fakeFetch(Response.json({ access: 'first' }), Response.json({ access: 'second' }));
    const source = new TokenSource({ tokenUrl: '/t' }, fetcher, at(NOW));
    expect(await source.get(false)).to.equal('first');
    expect(await Promise.all([source.renew('first'), source.renew('first')])).to.deep.equal(['second', 'second']);
    // A third element comes late with the old token: the new one is already there.
    expect(await source.renew('first')).to.equal('second');
    expect(calls).to.have.length(2);
  });

  it('gives up on a source that does not answer within its timeout, and asks anew next time', async () => {
    const clock = at(NOW);
    let calls = 0;
    const fetcher = (() => (++calls === 1 ? new Promise<Response>(() => {}) : Promise.resolve(Response.json({ access: 'second' })))) as typeof fetch;
    const source = new TokenSource({ tokenUrl: '/t' }, fetcher, clock, 10_000);
    const first = rejection(source.get(false));
    clock.fire();
    expect(((await first) as GymClientError).code).to.equal('token-failed');
    expect(await source.get(false)).to.equal('second');
  });

  it('calls a token-url that is no address a configuration error', async () => {
    const error = (await rejection(new TokenSource({ tokenUrl: 'http://[nope' }, fakeFetch(new TypeError('Failed to parse URL')).fetcher, at(NOW)).get(false))) as GymClientError;
    expect(error.code).to.equal('misconfigured');
  });

  it('asks a token provider, which wins over the URL', async () => {
    let calls = 0;
    const source = new TokenSource({ tokenUrl: '/t', tokenProvider: () => `p${++calls}` }, fakeFetch().fetcher, at(NOW));
    expect(await source.get(false)).to.equal('p1');
    expect(await source.get(true)).to.equal('p2');
    const refusing = new TokenSource({ tokenProvider: () => Promise.reject(Object.assign(new Error('nope'), { status: 401 })) }, fakeFetch().fetcher, at(NOW));
    expect(isUnauthorized(await rejection(refusing.get(false)))).to.equal(true);
  });
});
