import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { RealtimeClient } from '../../src/core/client.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { MockGym } from '../helpers/mock-gym.js';

describe('RealtimeClient: network awareness', () => {
  let h: Harness;
  afterEach(() => h.restore());

  it('makes no attempt while offline, and connects at once when back online', async () => {
    h = createHarness();
    h.network.online = false;
    h.client.connect();
    expect(h.client.state).to.equal('offline');
    await h.tick(10 * 60_000);
    expect(h.client.metrics.connectAttempts).to.equal(0);
    expect(h.gym.urls).to.have.length(0);
    h.network.signal('online');
    await h.tick(5);
    expect(h.client.state).to.equal('open');
    expect(h.changes.at(-2)).to.deep.include({ state: 'connecting', reason: 'online' });
  });

  it('waits for the network instead of retrying when the link drops while offline', async () => {
    h = createHarness();
    await h.open();
    h.network.online = false;
    h.gym.drop();
    await h.tick(4);
    expect(h.changes.at(-1)).to.deep.include({ state: 'offline', reason: 'offline', code: 1006 });
    await h.tick(60_000);
    expect(h.gym.urls).to.have.length(1);
  });

  it('cancels a pending retry when the browser goes offline', async () => {
    h = createHarness({ initialRetryDelay: 10_000 });
    await h.open();
    h.gym.drop();
    await h.tick(4);
    expect(h.client.state).to.equal('reconnecting');
    h.network.signal('offline');
    expect(h.client.state).to.equal('offline');
    expect(h.client.nextAttemptAt).to.equal(undefined);
    await h.tick(60_000);
    expect(h.gym.urls).to.have.length(1);
  });

  it('tries at once when the page becomes visible while a retry is pending', async () => {
    h = createHarness({ initialRetryDelay: 60_000 });
    await h.open();
    h.gym.drop();
    await h.tick(4);
    h.network.signal('visible');
    await h.tick(5);
    expect(h.client.state).to.equal('open');
    expect(h.changes.at(-2)).to.deep.include({ state: 'connecting', reason: 'visible' });
  });

  describe('with the browser environment', () => {
    let onLine: boolean;
    beforeEach(() => {
      onLine = true;
      Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => onLine });
    });
    afterEach(() => {
      delete (navigator as { onLine?: boolean }).onLine;
    });

    it('follows navigator.onLine and the window online event, and stops listening on dispose', async () => {
      h = createHarness();
      const gym = new MockGym('ws://browser-env.test/ws/checkins/');
      const client = new RealtimeClient({ url: 'ws://browser-env.test/ws/checkins/', token: 't', WebSocket: gym.WebSocket, share: 'none' });
      const added = sinon.spy(window, 'addEventListener');
      const removed = sinon.spy(window, 'removeEventListener');
      try {
        onLine = false;
        client.connect();
        expect(client.state).to.equal('offline');
        onLine = true;
        window.dispatchEvent(new Event('online'));
        await h.tick(5);
        expect(client.state).to.equal('open');
        client.dispose();
        expect(removed.callCount).to.equal(added.callCount);
        expect(added.args.map((args) => args[0]).sort()).to.deep.equal(['offline', 'online']);
      } finally {
        added.restore();
        removed.restore();
        client.dispose();
        gym.stop();
      }
    });
  });
});
