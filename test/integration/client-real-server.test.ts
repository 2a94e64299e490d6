import { expect } from '@open-wc/testing';
import { RealtimeClient } from '../../src/core/client.js';
import type { ConnectionState } from '../../src/core/client.js';
import type { RealtimeClientOptions } from '../../src/core/options.js';
import type { GymClientError } from '../../src/core/errors.js';
import { member } from '../helpers/fixtures.js';
import { gymServer, type GymServer } from '../helpers/gym-server.js';
import { until } from '../helpers/wait.js';

describe('RealtimeClient against the local gym server (real ws, loopback)', function () {
  this.timeout(20_000);
  let server: GymServer;
  const clients: RealtimeClient[] = [];

  before(async () => {
    server = await gymServer();
  });
  beforeEach(() => server.control('reset'));
  afterEach(() => clients.splice(0).forEach((client) => client.dispose()));

  /** A client with fast retries that records its states and messages. */
  function connect(options: Partial<RealtimeClientOptions> = {}) {
    const client = new RealtimeClient({ url: server.socketUrl, tokenUrl: server.tokenUrl, initialRetryDelay: 100, maxRetryDelay: 400, ...options });
    clients.push(client);
    const states: ConnectionState[] = [];
    const types: string[] = [];
    client.on('state', (change) => states.push(change.state));
    client.subscribe('*', (message) => types.push(message.type));
    client.connect();
    return { client, states, types };
  }

  it('connects with a token from the token URL and receives initial stats', async () => {
    const { client, types } = connect();
    await until(() => types.includes('initial_stats'), 'initial_stats');
    expect(client.state).to.equal('open');
  });

  it('gets HTTP 403 on the handshake for a bad token: never opens, then recovers with a fresh token', async () => {
    let calls = 0;
    const { client, states } = connect({ tokenUrl: undefined, tokenProvider: async () => (++calls <= 1 ? 'not-a-jwt' : server.token()) });
    await until(() => client.state === 'open', 'open after a token refresh');
    expect(states.slice(0, 5)).to.deep.equal(['connecting', 'reconnecting', 'connecting', 'reconnecting', 'connecting']);
    expect(calls).to.equal(2);
    expect((await server.state()).refusedHandshakes).to.equal(2);
  });

  it('moves to unauthorized when the token URL says 401, with no socket attempts', async () => {
    await server.control('demo-token-status', { status: 401 });
    const { client } = connect();
    await until(() => client.state === 'unauthorized', 'unauthorized');
    // Nothing is scheduled that could try later (test/core checks that on a fake clock).
    expect(client.nextAttemptAt, 'a pending retry').to.equal(undefined);
    expect(client.metrics.connectAttempts).to.equal(0);
    expect((await server.state()).handshakes).to.equal(0);
  });

  it('a check-in from one client settles its request and reaches the other once', async () => {
    const desk = connect();
    const wall = connect();
    const wallSaw: string[] = [];
    const deskSaw: string[] = [];
    wall.client.subscribe('member_checked_in', (m) => wallSaw.push(m.payload.member.full_name));
    desk.client.subscribe('member_checked_in', (m) => deskSaw.push(m.payload.member.full_name));
    await until(() => desk.client.state === 'open' && wall.client.state === 'open', 'both open');
    const checkIn = await desk.client.request('check_in', { memberId: member(1), location: 'Front desk' });
    expect(checkIn.member.full_name).to.equal('Alice Example');
    const duplicate = await desk.client.request('check_in', { memberId: member(1) }).catch((e: GymClientError) => `${e.code}: ${e.message}`);
    expect(duplicate).to.equal('rejected: Alice Example is already checked in');
    await until(() => wallSaw.length === 1 && wall.types.includes('check_in_stats'), 'broadcast and stats');
    // A second check-in is broadcast after anything left of the first: a duplicate would show before it.
    await desk.client.request('check_in', { memberId: member(2) });
    await until(() => wallSaw.includes('Bob Example') && deskSaw.includes('Bob Example'), 'the second broadcast');
    expect(wallSaw).to.deep.equal(['Alice Example', 'Bob Example']);
    expect(deskSaw).to.deep.equal(['Alice Example', 'Bob Example']);
  });

  it('sends many requests issued together as one batch frame, and all of them settle', async () => {
    const { client } = connect();
    await until(() => client.state === 'open', 'open');
    const framesBefore = client.metrics.framesOut;
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 99].map((n) => client.request('check_in', { memberId: member(n) })));
    expect(client.metrics.framesOut - framesBefore).to.equal(1);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect((results[5] as PromiseRejectedResult).reason.message).to.equal('Member matching query does not exist.');
  });

  it('reconnects after every connection is dropped (1006), and again after a restart', async () => {
    const { client, types } = connect();
    // Every state it passes through: 'reconnecting' can last less than one poll of until().
    const states: string[] = [];
    client.on('state', ({ state }) => states.push(state));
    await until(() => client.state === 'open', 'open');
    states.length = 0;
    await server.control('drop');
    await until(() => states.includes('reconnecting'), 'reconnecting');
    await until(() => client.state === 'open', 'open again');
    expect(client.metrics.reconnects).to.equal(1);
    await server.control('refuse', { ms: 1000 });
    await until(() => client.state !== 'open', 'link lost on restart');
    await until(() => client.state === 'open', 'open after the restart', 8000);
    expect(client.metrics.reconnects).to.equal(2);
    // Each new link starts with initial_stats, a moment after it opens.
    await until(() => types.filter((type) => type === 'initial_stats').length === 3, 'initial stats on every link');
  });

  it('sends requests queued while down once the server is back', async () => {
    const { client } = connect();
    await until(() => client.state === 'open', 'open');
    await server.control('refuse', { ms: 800 });
    await until(() => client.state !== 'open', 'down');
    const queued = client.request('check_in', { memberId: member(2) });
    expect(client.metrics.outboxDepth).to.equal(1);
    expect((await queued).member.full_name).to.equal('Bob Example');
  });

  it('answers heartbeats; the round trip is measured', async () => {
    const { client } = connect({ heartbeatInterval: 100 });
    await until(() => client.metrics.lastHeartbeatRtt !== undefined, 'a heartbeat round trip');
    expect(client.metrics.lastHeartbeatRtt).to.be.below(1000);
  });
});
