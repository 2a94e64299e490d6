import { expect } from '@open-wc/testing';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { tokenOf } from '../helpers/mock-gym.js';

const b64 = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
/** A JWT that expires `seconds` after the harness's start time. */
const jwt = (name: string, seconds: number) => `${b64({ alg: 'HS256' })}.${b64({ exp: Date.parse('2026-11-27T08:00:00Z') / 1000 + seconds, name })}.sig`;

/**
 * A server restart, as the staff page lives it: the socket drops, handshakes fail while the server
 * is down, and the token URL (on the same server) is down too. The token in hand is still valid.
 */
describe('RealtimeClient: through a server restart', () => {
  let h: Harness;
  afterEach(() => h.restore());

  /** A token URL that gives `valid` first, then answers each later fetch with `later()`. */
  const tokenUrl = (valid: string, later: () => Response) => {
    let fetches = 0;
    let checks = 0;
    const fetcher = async (url: RequestInfo | URL) => {
      // The REST API beside the socket is down with the server.
      if (String(url) !== '/token') throw (checks++, new TypeError('Failed to fetch'));
      return ++fetches === 1 ? Response.json({ access: valid }) : later();
    };
    return { options: { token: undefined, tokenUrl: '/token', fetch: fetcher as typeof fetch }, fetches: () => fetches, checks: () => checks };
  };
  /** Connects, the token fetched first. */
  const live = async () => {
    h.client.connect();
    // Reading the token's JSON body takes real turns of the event loop, besides the fake clock's.
    for (let turns = 0; h.client.state !== 'open' && turns < 200; turns++) await h.tick(1);
    expect(h.client.state, JSON.stringify(h.changes)).to.equal('open');
  };
  /** The server goes away for `ms`, then takes handshakes again; resolves with how long "Live" took after it was back. */
  const restart = async (ms: number) => {
    h.gym.acceptToken = () => false;
    h.gym.drop();
    await h.tick(ms);
    h.gym.acceptToken = () => true;
    const back = Date.now();
    for (let waited = 0; h.client.state !== 'open' && waited < 60_000; waited += 100) await h.tick(100);
    return Date.now() - back;
  };

  it('keeps the valid token: socket attempts all through a 10 s outage, and no token fetch', async () => {
    const token = tokenUrl(jwt('valid', 3600), () => Response.json({ access: jwt('other', 3600) }));
    // A staff page: its history URL tells a refused token from a server that is down.
    h = createHarness({ ...token.options, authCheckUrl: '/api/checkins/recent/' });
    await live();
    const before = h.gym.urls.length;
    const backAfter = await restart(10_000);
    // With the jitter at half its window: attempts 0.5, 1.5, 3.5 and 7.5 s into the outage, then 7.5 s later.
    expect(h.gym.urls.length - before, 'socket attempts').to.be.at.least(5);
    expect(token.fetches(), 'token fetches').to.equal(1);
    // At the first failed handshake and the fourth: the server was down, so the token was kept.
    expect(token.checks(), 'the REST API was asked about the token').to.equal(2);
    expect(new Set(h.gym.urls.map(tokenOf))).to.deep.equal(new Set([jwt('valid', 3600)]));
    expect(backAfter).to.be.at.most(7500);
  });

  it('tries the socket even while the token URL answers 502: a failed refresh keeps the valid token', async () => {
    // No REST API to ask: every fourth failed handshake asks for a fresh token, and gets a 502.
    const token = tokenUrl(jwt('valid', 3600), () => new Response('', { status: 502 }));
    h = createHarness(token.options);
    await live();
    const before = h.gym.urls.length;
    await restart(20_000);
    expect(token.fetches(), 'a refresh was asked for').to.be.at.least(2);
    expect(h.changes.some((change) => change.reason === 'token-failed'), 'an attempt stopped at the token').to.equal(false);
    const waits = h.changes.filter((change) => change.state === 'reconnecting').length;
    expect(h.gym.urls.length - before, 'a socket for every attempt').to.equal(waits);
    expect(h.client.state).to.equal('open');
  });

  it('refreshes a token that expired during the outage before the next attempt', async () => {
    const fresh = jwt('fresh', 3600);
    const token = tokenUrl(jwt('short', 40), () => Response.json({ access: fresh }));
    // With a REST API to ask (down with the server), no fresh token is asked for but for the expiry.
    h = createHarness({ ...token.options, authCheckUrl: '/api/checkins/recent/' });
    await live();
    await restart(30_000);
    expect(h.client.state).to.equal('open');
    expect(tokenOf(h.gym.urls.at(-1))).to.equal(fresh);
    expect(token.fetches()).to.equal(2);
  });
});
