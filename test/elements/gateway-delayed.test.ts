import { expect } from '@open-wc/testing';
import type { GymCheckinStats, GymConnectionStatus } from '../../src/index.js';
import { cleanupConnected, connected, shadowText } from '../helpers/element-harness.js';
import { stats } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';

/** The read-only gateway's `gateway_status` frame: its own link to AV-Gym is down, or back. */
const gatewayStatus = (upstream: 'up' | 'down', since = new Date(Date.now() - 120_000).toISOString()) => ({ type: 'gateway_status', payload: { upstream, since } });

describe('through the read-only gateway, while its own link to the gym server is down', () => {
  afterEach(() => cleanupConnected());

  it('the status says "Live · delayed", the figures say how old they are, and both recover', async () => {
    const c = await connected('<gym-connection-status></gym-connection-status><gym-checkin-stats></gym-checkin-stats>');
    const status = c.provider.querySelector('gym-connection-status') as GymConnectionStatus;
    const figures = c.provider.querySelector('gym-checkin-stats') as GymCheckinStats;
    c.gym.send({ type: 'initial_stats', payload: stats(3, 9) });
    await c.settle();
    expect(shadowText(status)).to.include('Live');
    c.gym.send(gatewayStatus('down'));
    await until(() => shadowText(status).includes('Live · delayed'), 'Live · delayed');
    expect(status.matches(':state(delayed)')).to.equal(true);
    expect(c.client.delayedSince).to.be.a('string');
    await c.settle();
    expect(figures.matches(':state(stale)')).to.equal(true);
    expect(shadowText(figures)).to.include('Last updated 2 min');
    c.gym.send(gatewayStatus('up'));
    await until(() => !shadowText(status).includes('delayed'), 'Live again');
    await c.settle();
    expect(status.matches(':state(delayed)')).to.equal(false);
    expect(figures.matches(':state(live)')).to.equal(true);
  });

  it('a new link to the gateway starts undelayed: the gateway says it again if it still is', async () => {
    const c = await connected('<gym-connection-status></gym-connection-status>');
    const changes: (string | undefined)[] = [];
    c.client.on('delayed', ({ since }) => changes.push(since === undefined ? 'up' : 'down'));
    c.gym.send(gatewayStatus('down'));
    await until(() => c.client.delayedSince !== undefined, 'delayed');
    c.gym.drop();
    await until(() => c.client.state !== 'open', 'the link lost');
    expect(c.client.delayedSince).to.equal(undefined);
    expect(changes).to.deep.equal(['down', 'up']);
  });
});
