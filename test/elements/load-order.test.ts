import { expect, nextFrame } from '@open-wc/testing';
import { GymCheckinStats, GymConnectionStatus, GymRealtimeProvider } from '../../src/elements.js';
import { RealtimeClient } from '../../src/core/client.js';
import { shadowText } from '../helpers/element-harness.js';
import { stats } from '../helpers/fixtures.js';
import { MockGym } from '../helpers/mock-gym.js';
import { until } from '../helpers/wait.js';

/**
 * The markup is parsed before any definition, and the provider is defined
 * last — as on a CMS page whose script loads late. Fresh tag names, so these
 * definitions are the first for them.
 */
describe('load order', () => {
  it('works when the markup comes first and the provider is defined last', async () => {
    const gym = new MockGym('ws://load-order.test/ws/checkins/');
    const page = document.createElement('div');
    page.setHTMLUnsafe(`<late-provider><section><late-status></late-status><late-stats></late-stats></section></late-provider>`);
    document.body.append(page);
    const client = new RealtimeClient({ url: 'ws://load-order.test/ws/checkins/', WebSocket: gym.WebSocket });
    try {
      (page.querySelector('late-provider') as unknown as { client: RealtimeClient }).client = client;
      class LateStatus extends GymConnectionStatus {}
      class LateStats extends GymCheckinStats {}
      class LateProvider extends GymRealtimeProvider {}
      LateStatus.define('late-status');
      LateStats.define('late-stats');
      await nextFrame();
      expect(shadowText(page.querySelector('late-status')!)).to.include('Not connected');
      LateProvider.define('late-provider');
      const provider = page.querySelector('late-provider') as LateProvider;
      await provider.updateComplete;
      await until(() => client.state === 'open', 'the late provider to connect');
      gym.send({ type: 'initial_stats', payload: stats(8, 9, 10) });
      await nextFrame();
      await nextFrame();
      expect(shadowText(page.querySelector('late-status')!)).to.include('Live');
      expect((page.querySelector('late-stats') as LateStats).stats?.currentlyIn).to.equal(8);
    } finally {
      page.remove();
      client.dispose();
      gym.stop();
    }
  });

  it('defining an element twice (the bundle pasted twice) is harmless', async () => {
    await import('../../src/index.js');
    expect(() => GymConnectionStatus.define('gym-connection-status')).to.not.throw();
    class Other extends GymConnectionStatus {}
    expect(() => Other.define('gym-connection-status')).to.not.throw();
    expect(customElements.get('gym-connection-status')).to.not.equal(Other);
  });
});
