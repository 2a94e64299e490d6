import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { GymClientError } from '../../src/core/errors.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';

describe('RealtimeClient: observability and cleanup', () => {
  let h: Harness;
  afterEach(() => h.restore());

  it('keeps counters readable at any time', async () => {
    h = createHarness({ heartbeatInterval: 1000 });
    expect(h.client.metrics).to.deep.equal({
      framesIn: 0,
      framesOut: 0,
      bytesIn: 0,
      bytesOut: 0,
      connectAttempts: 0,
      reconnects: 0,
      protocolErrors: 0,
      truncated: 0,
      lastHeartbeatRtt: undefined,
      role: 'leader',
      tabs: 1,
      outboxDepth: 0,
      awaitingReply: 0,
    });
    await h.open();
    h.gym.send('{"type":"error","message":"Zoë"}');
    h.gym.send('nope');
    h.client.send('check_in', { memberId: 'm' });
    await h.tick(1010);
    const metrics = h.client.metrics;
    expect(metrics).to.deep.include({ framesIn: 3, framesOut: 2, protocolErrors: 1, connectAttempts: 1, awaitingReply: 1, lastHeartbeatRtt: 4 });
    // UTF-8 bytes: "ë" is two.
    expect(metrics.bytesIn).to.equal('{"type":"error","message":"Zoë"}'.length + 1 + 'nope'.length + '{"type":"heartbeat_ack"}'.length);
    expect(metrics.bytesOut).to.equal('{"type":"check_in","payload":{"memberId":"m"}}'.length + '{"type":"heartbeat"}'.length);
    h.gym.drop();
    await h.tick(600);
    expect(h.client.metrics.reconnects).to.equal(1);
  });

  it('is silent on the console by default, and hands diagnostics to a logger without the token', async () => {
    const consoleSpies = (['log', 'info', 'debug', 'warn', 'error'] as const).map((method) => sinon.spy(console, method));
    const lines: string[] = [];
    try {
      h = createHarness({ token: 'SECRET-TOKEN', logger: (level, message) => lines.push(`${level} ${message}`) });
      h.gym.acceptToken = () => false;
      h.client.connect();
      await h.tick(2000);
      h.gym.acceptToken = () => true;
      await h.tick(5000);
      h.gym.send('not json');
      await h.tick(4);
    } finally {
      consoleSpies.forEach((spy) => spy.restore());
    }
    expect(consoleSpies.map((spy) => spy.callCount)).to.deep.equal([0, 0, 0, 0, 0]);
    expect(lines).to.include('warn malformed frame: not JSON');
    expect(lines.some((line) => line.startsWith('debug connecting → reconnecting (handshake-failed'))).to.equal(true);
    expect(lines.join('\n')).to.not.include('SECRET-TOKEN');
  });

  it('redacts a token that reaches a log line', async () => {
    const lines: string[] = [];
    h = createHarness({
      token: undefined,
      tokenProvider: () => {
        throw new Error('fetch ws://x/?token=SECRET-TOKEN failed');
      },
      logger: (_level, message) => lines.push(message),
    });
    h.client.connect();
    await h.tick(1);
    expect(lines.join('\n')).to.include('token=[redacted]').and.not.include('SECRET-TOKEN');
  });

  it('dispose() leaves no timer, listener or socket behind, and rejects what was queued', async () => {
    h = createHarness({ heartbeatInterval: 1000 });
    const queued = h.client.request('check_in', { memberId: 'queued' }).catch((e: GymClientError) => e.code);
    await h.open();
    const inFlight = h.client.request('check_in', { memberId: 'in-flight' }).catch((e: GymClientError) => e.code);
    await h.tick(1000 + 10);
    h.client.request('check_in', { memberId: 'in-window' }).catch(() => {});
    h.client.send('check_out', { checkInId: 'x' });
    let serverSawClose = false;
    h.gym.socket.on('close', () => (serverSawClose = true));
    expect(h.network.watchers).to.equal(1);
    h.client.dispose();
    expect(h.client.state).to.equal('closed');
    expect(h.network.watchers).to.equal(0);
    expect(await queued).to.equal('connection-lost');
    expect(await inFlight).to.equal('connection-lost');
    await h.tick(4);
    expect(serverSawClose).to.equal(true);
    expect(h.clock.countTimers()).to.equal(0);
    expect(h.client.send('check_in', { memberId: 'late' })).to.equal(false);
  });

  it('dispose() while a token is on its way opens no socket afterwards', async () => {
    let release: (token: string) => void = () => {};
    h = createHarness({ token: undefined, tokenProvider: () => new Promise<string>((resolve) => (release = resolve)) });
    h.client.connect();
    h.client.dispose();
    release('late-token');
    await h.tick(100);
    expect(h.gym.urls).to.have.length(0);
    expect(h.clock.countTimers()).to.equal(0);
  });

  it('dispose() while a retry is pending leaves no timer', async () => {
    h = createHarness();
    await h.open();
    h.gym.drop();
    await h.tick(4);
    expect(h.client.state).to.equal('reconnecting');
    h.client.dispose();
    expect(h.clock.countTimers()).to.equal(0);
  });

  it('rejects requests still waiting in the outbox when disposed', async () => {
    h = createHarness();
    const queued = h.client.request('check_in', { memberId: 'm' }).catch((e: GymClientError) => e.code);
    h.client.dispose();
    expect(await queued).to.equal('closed');
  });
});
