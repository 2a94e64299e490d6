import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Gym } from '../../demo/server/gym.js';
import { seedMorning, startSimulation } from '../../demo/server/simulator.js';
import { accessToken, gist, member, open, refusal, roundTrip, startServer, transcript, until } from './helpers.js';

describe('local gym server: the AV-Gym wire protocol, as the real server answered', () => {
  /** @type {Awaited<ReturnType<typeof startServer>>} */
  let server;
  /** @type {string} */
  let token;
  before(async () => {
    server = await startServer();
  });
  beforeEach(async () => {
    await fetch(`${server.origin}/control/reset`, { method: 'POST' });
    token = await accessToken(server);
  });
  after(() => server.close());

  const url = (/** @type {string} */ query = `token=${token}`) => `${server.socketUrl}?${query}`;

  it('refuses every bad handshake with HTTP 403, as in the transcript', async () => {
    const refresh = /** @type {{ refresh: string }} */ (
      await (await fetch(`${server.origin}/api/auth/token/`, { method: 'POST', body: JSON.stringify({ username: 'frontdesk', password: 'frontdesk' }) })).json()
    ).refresh;
    const [header, payload] = token.split('.');
    const cases = {
      'no query string': server.socketUrl,
      'no token': url('lang=en'),
      'empty token': url('token='),
      'garbage token': url('token=garbage'),
      'tampered signature': url(`token=${header}.${payload}.AAAA`),
      'refresh token as access': url(`token=${refresh}`),
      'no trailing slash': url().replace('/ws/checkins/', '/ws/checkins'),
      'unknown path': url().replace('/ws/checkins/', '/ws/other/'),
    };
    for (const [name, target] of Object.entries(cases)) assert.equal(await refusal(target), 403, name);
    const recorded = transcript('main').filter((line) => line.kind === 'unexpected-response');
    assert.ok(recorded.length >= 8 && recorded.every((line) => line.status === 403));
  });

  it('accepts a valid token (among other parameters) and sends initial_stats first', async () => {
    const client = await open(url(`lang=en&token=${token}`));
    const first = await client.nextMessage();
    assert.equal(first.type, 'initial_stats');
    assert.deepEqual(Object.keys(first.payload).sort(), ['averageStayMinutes', 'currentlyIn', 'timestamp', 'todayTotal']);
    assert.match(first.payload.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    client.ws.close();
  });

  it('selects no subprotocol, so a client that offers one fails', async () => {
    assert.match(String(await refusal(url(), ['graphql-ws'])), /subprotocol/i);
  });

  it('rejects expired tokens (expire-tokens) with 403', async () => {
    await fetch(`${server.origin}/control/expire-tokens`, { method: 'POST' });
    assert.equal(await refusal(url()), 403);
  });

  it('answers client A of the main transcript frame for frame (types, texts, figures)', async () => {
    const lines = transcript('main');
    const a = await open(url());
    const b = await open(url());
    // Client A's sends, in order, one at a time as the recording did: each once the messages
    // recorded before it have arrived. Visit ids are the server's own: each id the
    // recording's server assigned maps to the one this server did.
    /** @type {Map<string, string>} */
    const ids = new Map();
    const successes = (/** @type {any[]} */ messages) => messages.filter((m) => m.type === 'check_in_success').map((m) => m.payload.id);
    let mapped = 0;
    const sockets = { A: { client: a, count: 0 }, B: { client: b, count: 0 } };
    for (const line of lines) {
      const socket = sockets[/** @type {'A' | 'B'} */ (line.label)];
      if (socket && line.kind === 'recv') {
        const n = ++socket.count;
        await until(() => socket.client.received.length >= n, `${line.label}'s message #${n}: ${gist(line.msg)}`);
      }
      if (line.label === 'A' && line.kind === 'recv' && line.msg.type === 'check_in_success') {
        ids.set(line.msg.payload.id, successes(a.received)[mapped++]);
      }
      if (line.label !== 'A' || line.kind !== 'send') continue;
      let raw = line.raw.replaceAll('<JWT>', token);
      for (const [theirs, ours] of ids) raw = raw.replaceAll(theirs, ours);
      a.ws.send(raw);
    }
    // Nothing more is on its way once each socket's heartbeat is answered.
    const receivedA = await roundTrip(a);
    const receivedB = await roundTrip(b);
    const expected = (/** @type {string} */ label) => lines.filter((line) => line.label === label && line.kind === 'recv').map((line) => gist(line.msg));
    const expectedA = expected('A');
    const expectedB = expected('B');
    assert.deepEqual(receivedA.map(gist), expectedA);
    assert.deepEqual(receivedB.map(gist), expectedB);
    a.ws.close();
    b.ws.close();
  });

  it('closes with 4001 on a binary frame, and other clients carry on', async () => {
    const a = await open(url());
    const c = await open(url());
    c.ws.send(Buffer.from([1, 2, 3]));
    assert.equal(await c.closed, 4001);
    assert.deepEqual((await roundTrip(a)).map((m) => m.type), ['initial_stats']);
    a.ws.close();
  });

  it('answers a two-item batch in the recorded order: replies first, then each broadcast with its stats', async () => {
    const a = await open(url());
    await a.nextMessage();
    a.ws.send(JSON.stringify({ type: 'batch', batches: { check_in: [{ memberId: member(3), location: 'Side door' }, { memberId: member(4) }], ping: [{}] } }));
    const received = await roundTrip(a);
    assert.deepEqual(received.slice(1).map((m) => m.type), ['check_in_success', 'check_in_success', 'member_checked_in', 'check_in_stats', 'member_checked_in', 'check_in_stats']);
    a.ws.close();
  });

  it('keeps every frame bounded: an oversized frame closes that connection only', async () => {
    const a = await open(url());
    a.ws.send('x'.repeat(70 * 1024));
    assert.equal(await a.closed, 1009);
    const b = await open(url());
    assert.equal((await b.nextMessage()).type, 'initial_stats');
    b.ws.close();
  });

  describe('REST beside the socket', () => {
    it('issues tokens for the seeded users, refreshes them, and refuses bad credentials', async () => {
      const bad = await fetch(`${server.origin}/api/auth/token/`, { method: 'POST', body: JSON.stringify({ username: 'frontdesk', password: 'nope' }) });
      assert.equal(bad.status, 401);
      const good = /** @type {{ access: string, refresh: string }} */ (
        await (await fetch(`${server.origin}/api/auth/token/`, { method: 'POST', body: JSON.stringify({ username: 'frontdesk', password: 'frontdesk' }) })).json()
      );
      assert.equal(good.access.split('.').length, 3);
      const refreshed = await fetch(`${server.origin}/api/auth/token/refresh/`, { method: 'POST', body: JSON.stringify({ refresh: good.refresh }) });
      assert.equal(refreshed.status, 200);
      const access = /** @type {{ access: string }} */ (await refreshed.json()).access;
      assert.equal(await refusal(url(`token=${access}`)), 'opened');
      const garbage = await fetch(`${server.origin}/api/auth/token/refresh/`, { method: 'POST', body: '{"refresh": "x"' });
      assert.equal(garbage.status, 401);
    });

    it('lists recent check-ins newest first in the REST shape, for a bearer token only', async () => {
      for (const n of [1, 2, 3]) {
        await fetch(`${server.origin}/control/check-in?memberId=${member(n)}`, { method: 'POST' });
        // Times have millisecond precision: the next check-in must come a millisecond later.
        const done = Date.now();
        await until(() => Date.now() > done, 'the next millisecond');
      }
      assert.equal((await fetch(`${server.origin}/api/checkins/recent/`)).status, 401);
      const list = /** @type {any[]} */ (await (await fetch(`${server.origin}/api/checkins/recent/`, { headers: { Authorization: `Bearer ${token}` } })).json());
      assert.deepEqual(
        list.map((item) => item.member.full_name),
        ['Carol Example', 'Bob Example', 'Alice Example'],
      );
      assert.deepEqual(Object.keys(list[0]).sort(), ['check_in_time', 'check_out_time', 'id', 'location', 'member', 'notes']);
      assert.match(list[0].check_in_time, /Z$/);
    });

    it('never crashes on bad input: unknown routes, huge or broken bodies', async () => {
      assert.equal((await fetch(`${server.origin}/nope`)).status, 404);
      const huge = await fetch(`${server.origin}/api/auth/token/`, { method: 'POST', body: 'x'.repeat(64 * 1024) }).catch(() => ({ status: 'reset' }));
      assert.ok(huge.status === 401 || huge.status === 'reset');
      assert.equal((await fetch(`${server.origin}/control/state`)).status, 200);
    });
  });

  describe('nullable columns: location and notes may be null, as on the real server', () => {
    it('stores a null location and notes and sends them back as null: reply, broadcast and REST history', async () => {
      const a = await open(url());
      await a.nextMessage();
      a.ws.send(JSON.stringify({ type: 'check_in', payload: { memberId: member(1), location: null, notes: null } }));
      const replies = [await a.nextMessage(), await a.nextMessage()];
      assert.deepEqual(replies.map((m) => m.type), ['check_in_success', 'member_checked_in']);
      for (const { payload } of replies) assert.deepEqual([payload.location, payload.notes, payload.member.email], [null, null, null]);
      const list = /** @type {any[]} */ (await (await fetch(`${server.origin}/api/checkins/recent/`, { headers: { Authorization: `Bearer ${token}` } })).json());
      assert.deepEqual([list[0].location, list[0].notes], [null, null]);
      a.ws.close();
    });

    it('seeds a morning in which every fourth visit came from the kiosk, with null location and notes', () => {
      const gym = new Gym();
      seedMorning(gym, { random: () => 0.5 });
      const visits = gym.recent();
      assert.equal(visits.length, 14);
      assert.equal(visits.filter((visit) => visit.location === null && visit.notes === null).length, 3);
      assert.ok(visits.every((visit) => visit.location === null || typeof visit.location === 'string'));
    });

    it('simulates kiosk arrivals, which send a null location and notes', async () => {
      // random 0.9 picks the last desk, the kiosk; the first tick (1 ms) is an arrival into an empty gym.
      const sent = await new Promise((resolve) => {
        const stop = startSimulation(new Gym(), (type, payload) => {
          stop();
          resolve({ type, payload });
        }, { eventsPerMinute: 60_000, random: () => 0.9 });
      });
      assert.deepEqual(sent, { type: 'check_in', payload: { memberId: member(37), location: null, notes: null } });
    });
  });

  describe('control endpoints', () => {
    it('drop: every client sees 1006', async () => {
      const a = await open(url());
      await fetch(`${server.origin}/control/drop`, { method: 'POST' });
      assert.equal(await a.closed, 1006);
    });

    it('refuse: connections fail for the given time, and the gym state survives', async () => {
      await fetch(`${server.origin}/control/check-in?memberId=${member(5)}`, { method: 'POST' });
      await fetch(`${server.origin}/control/refuse?ms=300`, { method: 'POST' });
      assert.notEqual(await refusal(url()), 'opened');
      await until(async () => (await refusal(url())) === 'opened', 'connections to be accepted again');
      const a = await open(url());
      const stats = await a.nextMessage();
      assert.equal(stats.payload.currentlyIn, 1);
      a.ws.close();
    });

    it('latency: replies come later', async () => {
      await fetch(`${server.origin}/control/latency?ms=200`, { method: 'POST' });
      const a = await open(url());
      await until(() => a.received.length === 1, 'initial_stats');
      const sent = Date.now();
      a.ws.send('{"type":"heartbeat"}');
      await until(() => a.received.at(-1)?.type === 'heartbeat_ack', 'the heartbeat ack');
      // The delay is the server's doing, a lower bound: no wall-clock budget.
      assert.ok(Date.now() - sent >= 190, `answered after ${Date.now() - sent} ms`);
      a.ws.close();
    });

    it('flood: N real check-ins and check-outs, each broadcast with its stats', async () => {
      const a = await open(url());
      await a.nextMessage();
      await fetch(`${server.origin}/control/flood?count=1000`, { method: 'POST' });
      await until(() => a.received.length >= 1 + 2000, 'the 2,000 frames of the flood', 20_000);
      const types = a.received.slice(1).map((m) => m.type);
      assert.equal(types.filter((t) => t === 'check_in_stats').length, 1000);
      assert.equal(types.filter((t) => t.startsWith('member_checked_')).length, 1000);
      a.ws.close();
    });
  });
});
