import { expect } from '@open-wc/testing';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { stats } from '../helpers/fixtures.js';

describe('RealtimeClient: liveness', () => {
  let h: Harness;
  afterEach(() => h.restore());

  it('sends {"type":"heartbeat"} on the interval while open', async () => {
    h = createHarness({ heartbeatInterval: 15_000 });
    await h.open();
    await h.tick(14_999);
    expect(h.gym.received('heartbeat')).to.have.length(0);
    await h.tick(5);
    expect(h.gym.received().at(-1)).to.deep.equal({ type: 'heartbeat' });
    await h.tick(15_000);
    expect(h.gym.received('heartbeat')).to.have.length(2);
    expect(h.client.state).to.equal('open');
  });

  it('detects a silent server within the heartbeat timeout, closes and reconnects', async () => {
    h = createHarness({ heartbeatInterval: 15_000, heartbeatTimeout: 10_000 });
    await h.open();
    h.gym.answerHeartbeats = false;
    const socket = h.gym.socket;
    let serverSawClose = false;
    socket.on('close', () => (serverSawClose = true));
    await h.tick(15_000 + 9_999);
    expect(h.client.state).to.equal('open');
    await h.tick(1);
    expect(h.changes.at(-1)).to.deep.include({ state: 'reconnecting', reason: 'heartbeat-timeout' });
    await h.tick(4);
    expect(serverSawClose).to.equal(true);
  });

  it('counts any inbound frame as a sign of life', async () => {
    h = createHarness({ heartbeatInterval: 15_000, heartbeatTimeout: 10_000 });
    await h.open();
    h.gym.answerHeartbeats = false;
    await h.tick(15_000 + 5_000);
    h.gym.send({ type: 'check_in_stats', payload: stats(1, 1, 0) });
    await h.tick(6_000);
    expect(h.client.state).to.equal('open');
  });

  it('does not reconnect when its own timers were throttled (the page slept, not the server)', async () => {
    h = createHarness({ heartbeatInterval: 15_000, heartbeatTimeout: 10_000 });
    await h.open();
    h.gym.answerHeartbeats = false;
    await h.tick(15_004);
    expect(h.gym.received('heartbeat')).to.have.length(1);
    // The tab is frozen for a minute: the wall clock moves on, timers fire late.
    h.clock.setSystemTime(Date.now() + 60_000);
    h.gym.answerHeartbeats = true;
    await h.tick(10_000);
    expect(h.gym.received('heartbeat')).to.have.length(2);
    await h.tick(10_000);
    expect(h.client.state).to.equal('open');
    expect(h.states()).to.not.include('reconnecting');
  });

  it('measures the heartbeat round trip', async () => {
    h = createHarness({ heartbeatInterval: 1_000 });
    await h.open();
    h.gym.answerHeartbeats = false;
    await h.tick(1_000);
    await h.tick(25);
    h.gym.send('{"type":"heartbeat_ack","timestamp":"2026-11-27T08:00:01.025000+00:00"}');
    await h.tick(5);
    expect(h.client.metrics.lastHeartbeatRtt).to.equal(25);
  });

  it('checks the link at once when the page becomes visible again', async () => {
    h = createHarness({ heartbeatInterval: 15_000 });
    await h.open();
    h.network.signal('visible');
    await h.tick(4);
    expect(h.gym.received('heartbeat')).to.have.length(1);
  });
});
