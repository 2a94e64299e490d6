// One hostile address against the gateway, inside every documented limit: each attack is a
// bounded loop on loopback, and each test fails without the rule it names. The heavier runs
// (memory growth, thousands of descriptors, /healthz under attack) are in test/abuse/.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readdirSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { after, describe, it } from 'node:test';
import { connect, fakeUpstream, gateway, handshake, readMetrics, roundTrip, startGateway, until, visit } from './helpers.js';

/** @type {(() => Promise<unknown>)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A gateway in front of a fake AV-Gym, closed after the file's tests. */
async function gatewayWith(/** @type {Partial<import('../../gateway/src/index.js').GatewayOptions>} */ options = {}) {
  const upstream = await fakeUpstream();
  const instance = await startGateway(upstream.url, { credentials: { token: 'service-token' }, ...options });
  cleanups.push(() => upstream.close(), () => instance.close());
  return { upstream, instance };
}

const dropped = async (/** @type {any} */ instance, /** @type {string} */ reason) => (await readMetrics(instance)).value('gym_gateway_clients_dropped_total', { reason }) ?? 0;

/** A batch frame of `count` check-in items, as compact as JSON allows (AV-Gym counts any item). */
const batchOf = (/** @type {number} */ count) => JSON.stringify({ type: 'batch', batches: { check_in: Array.from({ length: count }, () => 0) } });

/** Generous per-client and per-address budgets, so only the rule under test can cut a client. */
const LOOSE = { maxFrameRate: 100_000, maxFrameBurst: 100_000, maxAddressFrameRate: 100_000, maxAddressFrameBurst: 100_000, maxAddressByteRate: 1e9, maxAddressByteBurst: 1e9 };

describe('work per frame is bounded by the frame', { timeout: 30_000 }, () => {
  it('answers a batch of up to --max-batch-items with one reply each, in order', async () => {
    const { instance } = await gatewayWith({ limits: { ...LOOSE, maxBatchItems: 50 } });
    const client = /** @type {any} */ (await connect(instance.url));
    client.ws.send(batchOf(50));
    await roundTrip(client);
    assert.equal(client.of('check_in_error').length, 50);
    assert.equal(client.closed, undefined);
    client.ws.close();
  });

  it('closes a larger batch unanswered, and counts it: 2,026 items in 4 KB get no 2,026 replies', async () => {
    const { instance } = await gatewayWith({ limits: { ...LOOSE, maxBatchItems: 50 } });
    const client = /** @type {any} */ (await connect(instance.url));
    const frame = batchOf(2026);
    // The report's frame: within the default frame size, so only the batch rule can stop it.
    assert.ok(Buffer.byteLength(frame) <= 4096, `${Buffer.byteLength(frame)} bytes`);
    const before = client.received.length;
    client.ws.send(frame);
    const { code } = await client.closing();
    assert.equal(code, 1008);
    assert.equal(client.of('check_in_error').length, 0, 'not one reply');
    assert.equal(client.received.length, before);
    assert.equal(await dropped(instance, 'batch'), 1);
  });

  it('replies to a client that sends but never reads fill no memory: it is cut off by its backlog', async () => {
    const { instance } = await gatewayWith({ limits: { ...LOOSE, maxBatchItems: 50, maxBufferedBytes: 64 * 1024, slowClientBytes: 16 * 1024 } });
    const attacker = /** @type {any} */ (await connect(instance.url));
    // Stops reading: the kernel's buffers fill, then the gateway's.
    attacker.ws.pause();
    const frame = batchOf(50);
    // Each frame is ~6.5 KB of replies. Stop as soon as the gateway cut it: bounded either way.
    for (let i = 0; i < 4000 && (await dropped(instance, 'slow')) === 0; i++) {
      for (let j = 0; j < 25; j++) attacker.ws.send(frame);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(await dropped(instance, 'slow'), 1, 'cut off without any upstream traffic');
    attacker.ws.resume();
    await attacker.closing();
  });
});

describe('a budget per address, across all its connections', { timeout: 30_000 }, () => {
  it('cuts connections of an address whose frames together exceed --max-address-frame-burst', async () => {
    const { instance } = await gatewayWith({ limits: { maxFrameRate: 1, maxFrameBurst: 10, maxAddressFrameRate: 1, maxAddressFrameBurst: 30, maxClientsPerIp: 100 } });
    const clients = /** @type {any[]} */ (await Promise.all(Array.from({ length: 10 }, () => connect(instance.url))));
    // 5 frames each: every connection is within its own burst of 10, the address (50 > 30) is not.
    for (const client of clients) for (let i = 0; i < 5; i++) client.ws.send('{"type":"heartbeat"}');
    await until(async () => (await dropped(instance, 'address-rate')) >= 1, 'a connection to be cut for its address');
    assert.equal(await dropped(instance, 'rate'), 0, 'no connection went over its own budget');
    for (const client of clients) client.ws.close();
  });

  it('counts bytes too: large frames from many connections exceed --max-address-byte-burst', async () => {
    const { instance } = await gatewayWith({ limits: { maxFrameRate: 1, maxFrameBurst: 10, maxAddressByteRate: 1000, maxAddressByteBurst: 16_000 } });
    const clients = /** @type {any[]} */ (await Promise.all(Array.from({ length: 5 }, () => connect(instance.url))));
    const big = JSON.stringify({ type: 'heartbeat', pad: 'x'.repeat(3900) });
    // One 4 KB frame each: 20 KB from the address, within every connection's frame budget.
    for (const client of clients) client.ws.send(big);
    await until(async () => (await dropped(instance, 'address-rate')) >= 1, 'a connection to be cut for its address\'s bytes');
    for (const client of clients) client.ws.close();
  });

  it('a ping flood is a frame flood: cut off and counted', async () => {
    const { instance } = await gatewayWith({ limits: { maxFrameRate: 1, maxFrameBurst: 10 } });
    const client = /** @type {any} */ (await connect(instance.url));
    for (let i = 0; i < 50; i++) client.ws.ping();
    assert.equal((await client.closing()).code, 1008);
    assert.equal(await dropped(instance, 'rate'), 1);
  });
});

/** Descriptors this process holds (the gateway runs in it, beside the test's own sockets). */
const openDescriptors = () => readdirSync('/proc/self/fd').length;

/**
 * Opens `count` raw TCP connections that each send the upgrade request `request`, then never
 * read nor close; resolves once the gateway's ends of them are gone (the process holds no more
 * descriptors than the test's own ends), or rejects after `timeout` ms.
 */
async function halfOpen(/** @type {number} */ port, /** @type {string} */ request, /** @type {number} */ count, timeout = 5000) {
  const before = openDescriptors();
  /** @type {import('node:net').Socket[]} */
  const sockets = [];
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve) => {
          const socket = connectTcp(port, '127.0.0.1', () => {
            socket.write(request);
            resolve(undefined);
          });
          socket.on('error', () => {});
          // Never reads what the gateway answers, nor ends its side.
          socket.pause();
          sockets.push(socket);
        }),
    ),
  );
  try {
    await until(() => openDescriptors() <= before + count, `the gateway to let go of all ${count} refused sockets`, timeout);
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}

describe('refused handshakes let their descriptor go', { timeout: 30_000 }, () => {
  const upgrade = (/** @type {string} */ path, /** @type {string} */ extra = '') =>
    `GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

  it('a wrong path, a wrong Origin, and a full address are destroyed at once, even when the peer never reads', async () => {
    const { instance } = await gatewayWith({ allowOrigins: ['https://www.gym.example'], limits: { maxClientsPerIp: 2 } });
    const port = Number(new URL(instance.url).port);
    await halfOpen(port, upgrade('/wrong/'), 200);
    await halfOpen(port, upgrade('/ws/checkins/', 'Origin: https://evil.example\r\n'), 200);
    const held = /** @type {any[]} */ ([await connect(instance.url), await connect(instance.url)]);
    await halfOpen(port, upgrade('/ws/checkins/'), 200);
    await until(async () => (await readMetrics(instance)).value('gym_gateway_sockets') === 2, 'only the two clients to hold descriptors');
    for (const client of held) client.ws.close();
  });

  it('the address cap comes before the path check: a full address gets 429 for any path', async () => {
    const { instance } = await gatewayWith({ limits: { maxClientsPerIp: 1 } });
    const held = /** @type {any} */ (await connect(instance.url));
    const port = Number(new URL(instance.url).port);
    const status = await new Promise((resolve) => {
      const socket = connectTcp(port, '127.0.0.1', () => socket.write(upgrade('/wrong/')));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('close', () => resolve(text.split('\r\n')[0]));
    });
    assert.equal(status, 'HTTP/1.1 429 Too Many Requests');
    held.ws.close();
  });
});

describe('what the operator sees', { timeout: 20_000 }, () => {
  it('refusals are logged at info with the address and Origin, one line per reason every 10 s however many come', async () => {
    const { instance } = await gatewayWith({ allowOrigins: ['https://www.gym.example'], logLevel: 'info', limits: { maxClientsPerIp: 1 } });
    const refused = (/** @type {string} */ reason) => instance.lines.map((line) => JSON.parse(line)).filter((line) => line.event === 'client.refused' && line.reason === reason);
    for (let i = 0; i < 50; i++) await handshake(instance.url, { origin: 'https://evil.example' });
    const held = /** @type {any} */ (await connect(instance.url));
    for (let i = 0; i < 50; i++) await handshake(instance.url);
    assert.equal(refused('origin').length, 1);
    assert.deepEqual({ level: refused('origin')[0].level, origin: refused('origin')[0].origin, ip: refused('origin')[0].ip }, { level: 'info', origin: 'https://evil.example', ip: '127.0.0.1' });
    assert.equal(refused('per-ip').length, 1, 'a reason of its own, not hidden behind the Origin line');
    held.ws.close();
  });
});

describe('slow consumers: a burst is no slow reader', { timeout: 60_000 }, () => {
  const limits = { maxBufferedBytes: 1024 * 1024, slowClientMs: 5000 };

  it('the rule, in plain values: a backlog that drains is kept, one that stays or overflows is cut', () => {
    const { keepsUp } = gateway;
    assert.equal(keepsUp(0, 4096, undefined, 0, limits), true, 'keeping up');
    assert.equal(keepsUp(600_000, 4096, 1000, 1200, limits), true, 'a burst: 600 KB queued for 200 ms');
    assert.equal(keepsUp(200_000, 4096, 1000, 6001, limits), false, 'behind for more than 5 s');
    assert.equal(keepsUp(200_000, 4096, 1000, 6000, limits), true, 'behind for exactly 5 s');
    assert.equal(keepsUp(1024 * 1024 - 10, 11, undefined, 0, limits), false, 'past the memory a client may hold');
    assert.equal(keepsUp(1024 * 1024 - 10, 10, undefined, 0, limits), true, 'up to it');
  });

  it('a reader that pauses for a moment in a burst catches up and stays', async () => {
    const { upstream, instance } = await gatewayWith({ limits: { slowClientMs: 2000 } });
    const reader = /** @type {any} */ (await connect(instance.url));
    const padding = 'x'.repeat(1000);
    const COUNT = 3000;
    for (let i = 0; i < COUNT; i++) {
      // 300 ms into the burst it stops reading for 300 ms (a busy tab, a slow radio), with ~1 MB queued for it.
      if (i === 1000) reader.ws.pause();
      if (i === 2000) setTimeout(() => reader.ws.resume(), 300);
      upstream.push({ type: 'member_checked_in', payload: visit({ id: `00000000-0000-4000-9100-${String(i).padStart(12, '0')}`, location: `Door ${padding}` }) });
      if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await until(() => reader.of('member_checked_in').length === COUNT, 'the reader to catch up', 20_000);
    assert.equal(reader.closed, undefined);
    assert.equal(await dropped(instance, 'slow'), 0);
    reader.ws.close();
  });

  it('readers keep up with 10,000 upstream events in about a second, and the figures of the burst coalesce', async () => {
    const { upstream, instance } = await gatewayWith();
    const readers = /** @type {any[]} */ (await Promise.all(Array.from({ length: 5 }, () => connect(instance.url))));
    const COUNT = 10_000;
    const started = Date.now();
    // 10 events a millisecond, in 100 steps of 100, each followed by figures, as AV-Gym sends them.
    for (let i = 0; i < COUNT; i++) {
      upstream.push({ type: 'member_checked_in', payload: visit({ id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}` }) });
      upstream.push({ type: 'check_in_stats', payload: { currentlyIn: i, todayTotal: i, averageStayMinutes: 30 } });
      if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const pushedIn = Date.now() - started;
    for (const reader of readers) await until(() => reader.of('member_checked_in').length === COUNT, 'every reader to get every check-in', 20_000);
    for (const reader of readers) assert.equal(reader.closed, undefined, 'no healthy reader was cut off');
    const figures = readers[0].of('check_in_stats');
    assert.ok(figures.length < COUNT, `${figures.length} figures frames for ${COUNT} events`);
    assert.equal(figures.at(-1).payload.currentlyIn, COUNT - 1, 'the last figures are the newest');
    assert.equal(await dropped(instance, 'slow'), 0);
    process.stdout.write(`# 10,000 events pushed in ${pushedIn} ms\n`);
    for (const reader of readers) reader.ws.close();
  });

  it('a reader that stopped is cut off, however fast the others read', async () => {
    // No ping sweep within the test: only its backlog can give the stalled reader away.
    const { upstream, instance } = await gatewayWith({ limits: { slowClientMs: 1000 }, timings: { pingInterval: 600_000 } });
    const reader = /** @type {any} */ (await connect(instance.url));
    const stalled = /** @type {any} */ (await connect(instance.url));
    stalled.ws.pause();
    // Until it is cut: at most 40,000 events (~20 MB), far more than the kernel holds for it.
    let sent = 0;
    while (sent < 40_000 && (await dropped(instance, 'slow')) === 0) {
      for (let i = 0; i < 500; i++, sent++) upstream.push({ type: 'member_checked_in', payload: visit({ id: `00000000-0000-4000-9300-${String(sent).padStart(12, '0')}` }) });
      await until(() => reader.of('member_checked_in').length === sent, `the reader to get check-in ${sent}`, 10_000);
    }
    assert.equal(await dropped(instance, 'slow'), 1, `the stalled reader cut off after ${sent} events`);
    assert.equal(reader.closed, undefined);
    stalled.ws.resume();
    assert.equal((await stalled.closing()).code, 1006, 'cut, not closed politely behind its backlog');
    reader.ws.close();
  });
});

describe('what reaches visitors from AV-Gym and what leaves with the credentials', { timeout: 20_000 }, () => {
  it('a stats error text becomes a fixed word: no traceback, name or email reaches a browser', async () => {
    const { upstream, instance } = await gatewayWith();
    const client = /** @type {any} */ (await connect(instance.url));
    upstream.push({ type: 'check_in_stats', payload: { currentlyIn: 0, todayTotal: 0, averageStayMinutes: 0, error: 'Traceback: Member "Alice Example" <alice@example.org> failed', secret: 'x' } });
    const frame = await client.next((/** @type {any} */ f) => f.type === 'check_in_stats' && 'error' in f.payload, 'the failed figures');
    assert.deepEqual(frame.payload, { currentlyIn: 0, todayTotal: 0, averageStayMinutes: 0, error: 'Stats calculation failed' });
    const late = /** @type {any} */ (await connect(instance.url));
    const initial = await late.next((/** @type {any} */ f) => f.type === 'initial_stats', 'the greeting');
    assert.equal(initial.payload.error, 'Stats calculation failed');
    client.ws.close();
    late.ws.close();
  });

  it('the service account\'s password never follows a redirect: the sign-in fails and says so', async () => {
    /** Requests the other origin got, with their bodies. @type {string[]} */
    const elsewhere = [];
    const other = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        elsewhere.push(`${request.method} ${request.url} ${body}`);
        response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"access":"stolen","refresh":"stolen"}');
      });
    });
    await new Promise((resolve) => other.listen(0, '127.0.0.1', () => resolve(undefined)));
    const otherPort = /** @type {import('node:net').AddressInfo} */ (other.address()).port;
    const redirecting = createServer((_request, response) => response.writeHead(307, { Location: `http://127.0.0.1:${otherPort}/api/auth/token/` }).end());
    await new Promise((resolve) => redirecting.listen(0, '127.0.0.1', () => resolve(undefined)));
    const redirectPort = /** @type {import('node:net').AddressInfo} */ (redirecting.address()).port;
    cleanups.push(
      () => new Promise((resolve) => other.close(resolve)),
      () => new Promise((resolve) => redirecting.close(resolve)),
    );
    const upstream = await fakeUpstream();
    cleanups.push(() => upstream.close());
    /** @type {string[]} */
    const lines = [];
    const instance = new gateway.Gateway({
      upstream: upstream.url,
      authUrl: `http://127.0.0.1:${redirectPort}/api/auth/token/`,
      credentials: { username: 'kiosk', password: 'hunter2-secret' },
      port: 0,
      logLevel: 'debug',
      logWrite: (line) => lines.push(line),
      upstreamTimings: { initialRetryDelay: 50, maxRetryDelay: 200 },
    });
    cleanups.push(() => instance.close());
    await instance.start();
    await until(() => lines.some((line) => line.includes('redirect (307)')), 'the refusal of the redirect in the log');
    assert.deepEqual(elsewhere, [], 'nothing reached the other origin');
    assert.ok(!lines.some((line) => line.includes('hunter2-secret')), 'the password is in no log line');
    assert.equal(upstream.connections, 0, 'and no socket was opened without a token');
  });
});
