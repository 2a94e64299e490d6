import { expect, nextFrame } from '@open-wc/testing';
import sinon from 'sinon';
import '../../src/index.js';
import { RealtimeClient } from '../../src/core/client.js';
import { FakeNetwork, MockGym } from '../helpers/mock-gym.js';
import { stats, visit } from '../helpers/fixtures.js';

describe('cleanup', () => {
  it('removing every element and disposing the client leaves no timer behind', async () => {
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const gym = new MockGym('ws://cleanup.test/ws/checkins/');
    const network = new FakeNetwork();
    const client = new RealtimeClient({ url: 'ws://cleanup.test/ws/checkins/', WebSocket: gym.WebSocket, environment: network, initialRetryDelay: 60_000, share: 'none' });
    const provider = document.createElement('gym-realtime-provider');
    provider.client = client;
    const page = document.createElement('template');
    page.setHTMLUnsafe(
      '<gym-error-boundary><gym-connection-status></gym-connection-status><gym-checkin-stats></gym-checkin-stats><gym-checkin-feed notify></gym-checkin-feed><gym-checkin-form></gym-checkin-form></gym-error-boundary>',
    );
    provider.append(page.content);
    document.body.append(provider);
    try {
      await clock.tickAsync(10);
      expect(client.state).to.equal('open');
      gym.send({ type: 'initial_stats', payload: stats(1, 1, 1) });
      gym.send({ type: 'member_checked_in', payload: visit(1) });
      await nextFrame();
      await clock.tickAsync(1);
      // The link drops: a countdown ticks, the stats go stale, a toast and an announcement are pending.
      gym.drop();
      await clock.tickAsync(5);
      await nextFrame();
      await clock.tickAsync(1);
      expect(clock.countTimers()).to.be.greaterThan(3);
      provider.remove();
      await clock.tickAsync(0);
      client.dispose();
      gym.stop();
      expect(clock.countTimers()).to.equal(0);
    } finally {
      clock.restore();
    }
  });
});
