import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { GymCheckinFeed } from '../../src/index.js';
import { cleanupConnected, connected } from '../helpers/element-harness.js';
import { visit } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';
import { getJson } from '../../src/elements/checkin-form/members.js';

/**
 * A token the server stopped taking before it expired (#29): the REST calls beside the socket get
 * 401. Each gets one new token and one retry, and elements that meet the 401 together share one
 * token fetch: the page asks once.
 */
describe('REST calls with a token the server stopped taking', () => {
  afterEach(() => {
    sinon.restore();
    cleanupConnected();
  });

  it('two feeds: 401 on the history, one new token for both, one retry each, and the history shows', async () => {
    const tokens = ['first', 'second'];
    const tokenFetches: string[] = [];
    const tokenFetch = (async () => {
      const token = tokens[Math.min(tokenFetches.length, tokens.length - 1)]!;
      tokenFetches.push(token);
      return Response.json({ access: token });
    }) as typeof fetch;
    const history: string[] = [];
    sinon.stub(window, 'fetch').callsFake(async (_input, init) => {
      const bearer = new Headers(init?.headers).get('Authorization') ?? '';
      history.push(bearer);
      return bearer === 'Bearer second' ? Response.json([visit(1)]) : new Response('{"detail":"Token is invalid"}', { status: 401 });
    });
    const c = await connected('<gym-checkin-feed history-url="/history"></gym-checkin-feed><gym-checkin-feed history-url="/history"></gym-checkin-feed>', { token: undefined, tokenUrl: '/token', fetch: tokenFetch });
    const feeds = [...c.provider.querySelectorAll<GymCheckinFeed>('gym-checkin-feed')];
    await until(() => feeds.every((feed) => feed.entries.length === 1), 'both feeds to show the history');
    expect(tokenFetches, 'the first token, then one new one for both').to.deep.equal(['first', 'second']);
    expect([...history].sort()).to.deep.equal(['Bearer first', 'Bearer first', 'Bearer second', 'Bearer second']);
  });

  it('a token source that has no other: one retry is not made, and the feed says it could not load', async () => {
    const tokenFetch = (async () => Response.json({ access: 'only' })) as typeof fetch;
    const history: string[] = [];
    sinon.stub(window, 'fetch').callsFake(async (_input, init) => {
      history.push(new Headers(init?.headers).get('Authorization') ?? '');
      return new Response('', { status: 401 });
    });
    const c = await connected('<gym-checkin-feed history-url="/history"></gym-checkin-feed>', { token: undefined, tokenUrl: '/token', fetch: tokenFetch });
    const feed = c.provider.querySelector<GymCheckinFeed>('gym-checkin-feed')!;
    await until(() => !feed.matches(':state(loading)') && history.length > 0, 'the history to fail');
    await c.settle();
    // The same token again is no reason to ask twice.
    expect(history).to.deep.equal(['Bearer only']);
  });

  it("the form's member search and visits: 401, the refused token handed back for a new one, one retry", async () => {
    const asked: (string | undefined)[] = [];
    const token = async (refused?: string) => (asked.push(refused), refused === undefined ? 'first' : 'second');
    const sent: string[] = [];
    sinon.stub(window, 'fetch').callsFake(async (_input, init) => {
      const bearer = new Headers(init?.headers).get('Authorization') ?? '';
      sent.push(bearer);
      return bearer === 'Bearer second' ? Response.json([{ id: 'm1', full_name: 'Alice Example' }]) : new Response('', { status: 401 });
    });
    expect(await getJson('/api/members/search/', 'search-url', { q: 'ali' }, token)).to.deep.equal([{ id: 'm1', full_name: 'Alice Example' }]);
    expect(asked).to.deep.equal([undefined, 'first']);
    expect(sent).to.deep.equal(['Bearer first', 'Bearer second']);
  });
});
