import { expect } from '@open-wc/testing';
import { RealtimeClient } from '../../src/core/client.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { GYM_URL } from '../helpers/mock-gym.js';

/** A socket that never opens (a server that accepts TCP but never answers the upgrade). */
class HangingSocket {
  static instances: HangingSocket[] = [];
  closed: number | undefined;
  onopen: unknown = null;
  onclose: unknown = null;
  onmessage: unknown = null;
  onerror: unknown = null;
  constructor(readonly url: string) {
    HangingSocket.instances.push(this);
  }
  close(code?: number) {
    this.closed = code;
  }
}

describe('RealtimeClient: connection life', () => {
  let h: Harness;
  afterEach(() => h.restore());

  it('goes idle → connecting → open, one event per transition, each with a reason', async () => {
    h = createHarness();
    expect(h.client.state).to.equal('idle');
    await h.open();
    expect(h.changes).to.deep.equal([
      { state: 'connecting', previous: 'idle', reason: 'connect' },
      { state: 'open', previous: 'connecting', reason: 'open' },
    ]);
  });

  it('reconnects after the server drops the link, exposing nextAttemptAt', async () => {
    h = createHarness();
    await h.open();
    h.gym.drop(1006);
    await h.tick(4);
    const change = h.changes.at(-1)!;
    expect(change).to.deep.include({ state: 'reconnecting', reason: 'connection-lost', code: 1006 });
    expect(change.nextAttemptAt).to.equal(Date.now() + 500);
    expect(h.client.nextAttemptAt).to.equal(change.nextAttemptAt);
    await h.tick(499);
    expect(h.client.state).to.equal('reconnecting');
    await h.tick(5);
    expect(h.client.state).to.equal('open');
    expect(h.client.metrics.reconnects).to.equal(1);
  });

  it('backs off exponentially with jitter up to the cap, and never gives up while the server cannot be reached', async () => {
    // The REST API is unreachable too, so the failures are the network's, not a refused token.
    h = createHarness({ authCheckUrl: '/api/checkins/recent/', fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    h.gym.acceptToken = () => false;
    h.client.connect();
    const delays: number[] = [];
    for (let i = 0; i < 30; i++) {
      await h.tick(4);
      const change = h.changes.at(-1)!;
      expect(change.state).to.equal('reconnecting');
      delays.push(change.nextAttemptAt! - Date.now());
      await h.clock.tickAsync(change.nextAttemptAt! - Date.now());
    }
    expect(delays.slice(0, 7)).to.deep.equal([500, 1000, 2000, 4000, 7500, 7500, 7500]);
    expect(delays.slice(7).every((delay) => delay === 7500)).to.equal(true);
    expect(h.client.metrics.connectAttempts).to.equal(31);
  });

  it('resets the backoff only after the link stayed open for stableAfter', async () => {
    h = createHarness();
    await h.open();
    const delayAfterDrop = async (openFor: number) => {
      await h.tick(openFor);
      h.gym.drop();
      await h.tick(4);
      const delay = h.client.nextAttemptAt! - Date.now();
      await h.tick(delay + 5);
      expect(h.client.state).to.equal('open');
      return delay;
    };
    expect(await delayAfterDrop(1000)).to.equal(500);
    expect(await delayAfterDrop(1000)).to.equal(1000);
    expect(await delayAfterDrop(1000)).to.equal(2000);
    expect(await delayAfterDrop(5000)).to.equal(500);
  });

  it('abandons a connection that does not open within connectTimeout, and retries', async () => {
    h = createHarness();
    HangingSocket.instances = [];
    const client = new RealtimeClient({ url: GYM_URL, token: 't', WebSocket: HangingSocket as never, environment: h.network, random: () => 0.5, share: 'none' });
    const reasons: string[] = [];
    client.on('state', (change) => reasons.push(`${change.state}:${change.reason}`));
    client.connect();
    await h.tick(9999);
    expect(client.state).to.equal('connecting');
    await h.tick(1);
    expect(reasons).to.deep.equal(['connecting:connect', 'reconnecting:connect-timeout']);
    expect(HangingSocket.instances[0]!.closed).to.equal(1000);
    await h.tick(500);
    expect(HangingSocket.instances).to.have.length(2);
    client.dispose();
  });

  it('reconnectNow() skips the wait, and does nothing while open', async () => {
    h = createHarness({ initialRetryDelay: 60_000 });
    await h.open();
    h.client.reconnectNow();
    expect(h.gym.urls).to.have.length(1);
    h.gym.drop();
    await h.tick(4);
    expect(h.client.state).to.equal('reconnecting');
    h.client.reconnectNow();
    await h.tick(5);
    expect(h.client.state).to.equal('open');
    expect(h.changes.at(-2)).to.deep.include({ state: 'connecting', reason: 'retry-now' });
  });

  it('close() stops for good until connect() is called again', async () => {
    h = createHarness();
    await h.open();
    h.client.close();
    expect(h.client.state).to.equal('closed');
    expect(h.changes.at(-1)).to.deep.include({ state: 'closed', reason: 'close' });
    await h.tick(120_000);
    expect(h.gym.urls).to.have.length(1);
    h.client.connect();
    await h.tick(5);
    expect(h.client.state).to.equal('open');
  });

  it('reconnects when the server closes the link normally', async () => {
    h = createHarness();
    await h.open();
    h.gym.drop(1000);
    await h.tick(4);
    expect(h.changes.at(-1)).to.deep.include({ state: 'reconnecting', code: 1000 });
  });

  it('reconnects once with the new values when the URL or token changes', async () => {
    h = createHarness();
    await h.open();
    h.client.configure({ token: 'fixed-token' });
    h.client.configure({ url: GYM_URL });
    expect(h.gym.urls).to.have.length(1);
    h.client.configure({ token: 'rotated' });
    await h.tick(5);
    expect(h.client.state).to.equal('open');
    expect(h.gym.urls.map((url) => new URL(url).searchParams.get('token'))).to.deep.equal(['fixed-token', 'rotated']);
    expect(h.states().slice(-2)).to.deep.equal(['connecting', 'open']);
    expect(h.changes.at(-2)!.reason).to.equal('reconfigured');
    await h.tick(60_000);
    expect(h.gym.urls).to.have.length(2);
  });

  it('rejects a URL that is not a WebSocket URL, in the constructor and in configure()', () => {
    h = createHarness();
    expect(() => new RealtimeClient({ url: 'ftp://gym.test/' })).to.throw(TypeError);
    expect(() => h.client.configure({ url: 'mailto:x@y' })).to.throw(TypeError);
    expect(h.client.url).to.equal(GYM_URL);
    expect(() => new RealtimeClient({ url: GYM_URL, heartbeatInterval: -5 })).to.throw(RangeError);
  });
});
