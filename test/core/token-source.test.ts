import { expect } from '@open-wc/testing';
import { GymClientError, UnauthorizedError, isUnauthorized } from '../../src/core/errors.js';
import { TokenSource, tokenExpiry } from '../../src/core/token-source.js';

const NOW = Date.parse('2026-11-27T08:00:00Z');
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
    const source = new TokenSource({ token: 'abc' }, fakeFetch().fetcher, () => NOW);
    expect(source.refreshable).to.equal(false);
    expect(await source.get(true)).to.equal('abc');
  });

  it('reads {"access"}, {"token"} or plain text from the token URL, with credentials', async () => {
    const { fetcher, calls } = fakeFetch(
      Response.json({ access: 'A', refresh: 'R' }),
      Response.json({ token: 'T' }),
      new Response('  plain-token\n', { headers: { 'Content-Type': 'text/plain' } }),
    );
    const source = new TokenSource({ tokenUrl: '/demo/token' }, fetcher, () => NOW);
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
    const source = new TokenSource({ tokenUrl: '/t' }, fetcher, () => NOW);
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
    const source = new TokenSource({ tokenUrl: '/t' }, fetcher, () => now);
    expect(await source.get(false)).to.equal(soon);
    now += 31_000;
    expect(await source.get(false)).to.equal('renewed');
    expect(calls).to.have.length(2);
    expect(tokenExpiry(soon)).to.equal(NOW + 60_000);
    expect(tokenExpiry('not-a-jwt')).to.equal(undefined);
  });

  it('turns 401 and 403 into UnauthorizedError', async () => {
    for (const status of [401, 403]) {
      const source = new TokenSource({ tokenUrl: '/t' }, fakeFetch(new Response('', { status })).fetcher, () => NOW);
      const error = await rejection(source.get(false));
      expect(error).to.be.instanceOf(UnauthorizedError);
      expect(isUnauthorized(error)).to.equal(true);
    }
  });

  it('reports other failures as token-failed', async () => {
    const answers = [new Response('', { status: 500 }), new TypeError('Failed to fetch'), new Response('{"access": 5}'), new Response('{oops')];
    for (const answer of answers) {
      const source = new TokenSource({ tokenUrl: '/t' }, fakeFetch(answer).fetcher, () => NOW);
      const error = await rejection(source.get(false));
      expect(error).to.be.instanceOf(GymClientError);
      expect((error as GymClientError).code).to.equal('token-failed');
      expect(isUnauthorized(error)).to.equal(false);
    }
  });

  it('asks a token provider, which wins over the URL', async () => {
    let calls = 0;
    const source = new TokenSource({ tokenUrl: '/t', tokenProvider: () => `p${++calls}` }, fakeFetch().fetcher, () => NOW);
    expect(await source.get(false)).to.equal('p1');
    expect(await source.get(true)).to.equal('p2');
    const refusing = new TokenSource({ tokenProvider: () => Promise.reject(Object.assign(new Error('nope'), { status: 401 })) }, fakeFetch().fetcher, () => NOW);
    expect(isUnauthorized(await rejection(refusing.get(false)))).to.equal(true);
  });
});
