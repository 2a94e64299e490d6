import { expect, fixture, html, nextFrame, oneEvent } from '@open-wc/testing';
import { RealtimeClient } from '../../src/core/client.js';
import type { GymConnectionStatus, GymRealtimeProvider } from '../../src/index.js';
import { cleanupConnected, connected, shadowText } from '../helpers/element-harness.js';
import { stats } from '../helpers/fixtures.js';
import { MockGym } from '../helpers/mock-gym.js';
import { until } from '../helpers/wait.js';

describe('<gym-realtime-provider>', () => {
  let gym: MockGym;
  beforeEach(() => {
    gym = new MockGym('ws://provider.test/ws/checkins/');
  });
  afterEach(() => {
    cleanupConnected();
    gym.stop();
  });

  /** A provider configured by attributes whose sockets go to the mock server. */
  async function fromAttributes(attributes: string, children = '') {
    const provider = document.createElement('gym-realtime-provider');
    const parser = document.createElement('template');
    parser.setHTMLUnsafe(`<gym-realtime-provider ${attributes}>${children}</gym-realtime-provider>`);
    const parsed = parser.content.firstElementChild!;
    for (const { name, value } of parsed.attributes) provider.setAttribute(name, value);
    provider.append(...parsed.childNodes);
    const original = window.WebSocket;
    window.WebSocket = gym.WebSocket as typeof WebSocket;
    try {
      document.body.append(provider);
      await provider.updateComplete;
    } finally {
      window.WebSocket = original;
    }
    return provider;
  }

  it('connects with its attributes: url, token and timings', async () => {
    const provider = await fromAttributes('url="ws://provider.test/ws/checkins/" token="abc" heartbeat-interval="20000" batch-window="75"');
    await until(() => provider.client?.state === 'open', 'the link to open');
    expect(provider.client?.state).to.equal('open');
    expect(gym.urls).to.deep.equal(['ws://provider.test/ws/checkins/?token=abc']);
    expect(provider.connectionState).to.equal('open');
    expect(provider.matches(':state(open)')).to.equal(true);
    provider.remove();
  });

  it('connects once with attributes set just after it was added (a script, a framework), and says nothing of the moment before', async () => {
    const errors: string[] = [];
    const listener = (e: GlobalEventHandlersEventMap['gym-error']) => errors.push(e.detail.message);
    document.addEventListener('gym-error', listener);
    const provider = document.createElement('gym-realtime-provider');
    const original = window.WebSocket;
    window.WebSocket = gym.WebSocket as typeof WebSocket;
    try {
      document.body.append(provider);
      provider.setAttribute('url', 'ws://provider.test/ws/checkins/');
      provider.setAttribute('token', 'late');
      await provider.updateComplete;
    } finally {
      window.WebSocket = original;
      document.removeEventListener('gym-error', listener);
    }
    await until(() => provider.client?.state === 'open', 'the link to open');
    expect(gym.urls, 'one socket, with the token').to.deep.equal(['ws://provider.test/ws/checkins/?token=late']);
    expect(errors, 'no "url is required" for the moment before').to.deep.equal([]);
    provider.remove();
  });

  it('fires gym-connection-change with the state and reason', async () => {
    const provider = document.createElement('gym-realtime-provider');
    provider.client = new RealtimeClient({ url: 'ws://provider.test/ws/checkins/', WebSocket: gym.WebSocket });
    const connecting = oneEvent(provider, 'gym-connection-change');
    document.body.append(provider);
    const first = await connecting;
    expect(first.detail).to.deep.include({ state: 'connecting', reason: 'connect' });
    expect(first.bubbles && first.composed).to.equal(true);
    const second = await oneEvent(provider, 'gym-connection-change');
    expect(second.detail).to.deep.include({ state: 'open' });
    provider.remove();
    provider.client.dispose();
  });

  for (const [attributes, message] of <[string, string][]>[
    ['url="ftp://gym.example/"', 'must use ws:, wss:, http: or https:'],
    ['url="ws://x/ws/checkins/" heartbeat-interval="-5"', 'heartbeat-interval must be a number of ms ≥ 0, not "-5"'],
    ['url="ws://x/ws/checkins/" max-retry-delay="soon"', 'max-retry-delay must be a number of ms ≥ 0, not "soon"'],
    ['', 'the url attribute is required'],
  ]) {
    it(`shows a clear, visible error for ${attributes || 'no url'} and fires gym-error, without throwing`, async () => {
      const errors: string[] = [];
      const listener = (e: GlobalEventHandlersEventMap['gym-error']) => errors.push(`${e.detail.source}: ${e.detail.message}`);
      document.addEventListener('gym-error', listener);
      try {
        const provider = await fromAttributes(attributes, '<gym-connection-status></gym-connection-status>');
        expect(provider.connectionState).to.equal('invalid');
        expect(provider.matches(':state(invalid)')).to.equal(true);
        expect(shadowText(provider)).to.include(message);
        expect(errors).to.have.length(1);
        expect(errors[0]).to.include(`config: `).and.include(message);
        await expect(provider).to.be.accessible();
        const status = provider.querySelector('gym-connection-status') as GymConnectionStatus;
        await nextFrame();
        expect(shadowText(status)).to.include('Not connected');
        provider.remove();
      } finally {
        document.removeEventListener('gym-error', listener);
      }
    });
  }

  it('recovers from an invalid url once it is corrected', async () => {
    const provider = await fromAttributes('url="nope:"');
    expect(provider.connectionState).to.equal('invalid');
    const original = window.WebSocket;
    window.WebSocket = gym.WebSocket as typeof WebSocket;
    provider.url = 'ws://provider.test/ws/checkins/';
    await provider.updateComplete;
    window.WebSocket = original;
    await until(() => provider.connectionState === 'open', 'the link to open with the corrected url');
    expect(shadowText(provider)).to.equal('');
    provider.remove();
  });

  it('changing url or token reconnects once, with the same client', async () => {
    const provider = await fromAttributes('url="ws://provider.test/ws/checkins/" token="one"');
    await until(() => provider.client?.state === 'open', 'the link to open');
    const client = provider.client;
    provider.setAttribute('token', 'two');
    await provider.updateComplete;
    await until(() => gym.urls.length === 2 && client?.state === 'open', 'the link to open again with the new token');
    expect(provider.client).to.equal(client);
    expect(gym.urls.map((u) => new URL(u).searchParams.get('token'))).to.deep.equal(['one', 'two']);
    expect(client?.state).to.equal('open');
    provider.remove();
  });

  it('keeps its connection when moved, and disposes it when removed for good', async () => {
    const provider = await fromAttributes('url="ws://provider.test/ws/checkins/"');
    await until(() => provider.client?.state === 'open', 'the link to open');
    const client = provider.client!;
    const elsewhere = await fixture(html`<section></section>`);
    elsewhere.append(provider);
    // The provider decides right after a removal whether it was a move; a frame later it has.
    await nextFrame();
    expect(provider.client).to.equal(client);
    expect(client.state).to.equal('open');
    expect(gym.urls).to.have.length(1);
    provider.remove();
    await until(() => client.state === 'closed', 'the provider to dispose its client');
    expect(provider.client).to.equal(undefined);
  });

  it('uses a client given by the app and never disposes it', async () => {
    const c = await connected('');
    c.provider.remove();
    await nextFrame();
    expect(c.client.state).to.not.equal('closed');
  });

  it('exposes reconnect(), send() and request()', async () => {
    const c = await connected('');
    const answer = c.provider.request('check_in', { memberId: 'member-3' });
    expect(c.provider.send('custom', { a: 1 })).to.equal(true);
    await until(() => c.gym.received('check_in').length > 0 && c.gym.received('custom').length > 0, 'the check_in and custom frames');
    c.gym.send({ type: 'check_in_error', payload: { error: 'Member matching query does not exist.' } });
    const failure = await answer.catch((e: Error) => e.message);
    expect(failure).to.equal('Member matching query does not exist.');
    c.gym.drop();
    await until(() => c.client.state === 'reconnecting', 'the link to go down');
    const changes: string[] = [];
    c.client.on('state', ({ state, reason }) => changes.push(`${state}: ${reason}`));
    c.provider.reconnect();
    await until(() => c.client.state === 'open', 'the link to open again');
    // At once, not when the pending retry was due.
    expect(changes).to.deep.equal(['connecting: retry-now', 'open: open']);
  });

  it('without a client, request() rejects instead of throwing', async () => {
    const provider = document.createElement('gym-realtime-provider') as GymRealtimeProvider;
    expect(provider.send('x')).to.equal(false);
    const error = await provider.request('check_in', { memberId: 'm' }).catch((e: Error) => e.message);
    expect(error).to.equal('No connection is configured');
  });

  it('two providers on one page stay independent', async () => {
    const a = await connected('<gym-checkin-stats></gym-checkin-stats>');
    const b = await connected('<gym-checkin-stats></gym-checkin-stats>');
    a.gym.send({ type: 'initial_stats', payload: stats(1, 1, 1) });
    b.gym.send({ type: 'initial_stats', payload: stats(2, 2, 2) });
    await a.settle();
    expect(a.provider.querySelector('gym-checkin-stats')!.stats?.currentlyIn).to.equal(1);
    expect(b.provider.querySelector('gym-checkin-stats')!.stats?.currentlyIn).to.equal(2);
    a.gym.drop();
    await until(() => a.client.state === 'reconnecting', 'the first link to go down');
    expect(b.client.state).to.equal('open');
  });
});
