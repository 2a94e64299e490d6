// Abuse limits at the handshake and on the link: the Origin allowlist, connection caps in all and
// per address, slow consumers cut off by their backlog, dead links cut off by the ping sweep.
import assert from 'node:assert/strict';
import { connect as connectTcp } from 'node:net';
import { after, describe, it } from 'node:test';
import { connect, fakeUpstream, handshake, readMetrics, startGateway, until, visit } from './helpers.js';

/** @type {(() => Promise<unknown>)[]} */
const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A gateway in front of a fake AV-Gym, closed after the file's tests. */
async function gatewayWith(/** @type {Partial<import('../../gateway/src/index.js').GatewayOptions>} */ options) {
  const upstream = await fakeUpstream();
  const instance = await startGateway(upstream.url, { credentials: { token: 'service-token' }, ...options });
  cleanups.push(() => upstream.close(), () => instance.close());
  return { upstream, instance };
}

describe('the Origin allowlist', { timeout: 20_000 }, () => {
  it('admits listed origins and clients without Origin, refuses the rest with 403 (counted)', async () => {
    const { instance } = await gatewayWith({ allowOrigins: ['https://www.gym.example', 'http://localhost:8080'] });
    assert.equal(await handshake(instance.url, { origin: 'https://www.gym.example' }), 'opened');
    assert.equal(await handshake(instance.url, { origin: 'http://localhost:8080' }), 'opened');
    assert.equal(await handshake(instance.url), 'opened', 'no Origin: not a browser page');
    assert.equal(await handshake(instance.url, { origin: 'https://evil.example' }), 403);
    assert.equal(await handshake(instance.url, { origin: 'https://www.gym.example:8443' }), 403);
    assert.equal(await handshake(instance.url, { origin: 'null' }), 403);
    assert.equal((await readMetrics(instance)).value('gym_gateway_connections_refused_total', { reason: 'origin' }), 3);
  });

  it('admits every origin when none is listed', async () => {
    const { instance } = await gatewayWith({});
    assert.equal(await handshake(instance.url, { origin: 'https://any.example' }), 'opened');
  });

  it('serves only /ws/checkins/: another path is a 404', async () => {
    const { instance } = await gatewayWith({});
    assert.equal(await handshake(instance.url.replace('/ws/checkins/', '/ws/other/')), 404);
  });
});

describe('connection caps', { timeout: 20_000 }, () => {
  it('refuses connections beyond --max-clients with 503, and admits again once one leaves', async () => {
    const { instance } = await gatewayWith({ limits: { maxClients: 3, maxClientsPerIp: 10 } });
    const clients = /** @type {any[]} */ ([await connect(instance.url), await connect(instance.url), await connect(instance.url)]);
    assert.equal(await handshake(instance.url), 503);
    clients[0].ws.close();
    await until(() => instance.clients === 2, 'the slot to free');
    assert.equal(await handshake(instance.url), 'opened');
    assert.equal((await readMetrics(instance)).value('gym_gateway_connections_refused_total', { reason: 'capacity' }), 1);
    for (const client of clients) client.ws.close();
  });

  it('refuses connections beyond --max-clients-per-ip with 429, per address', async () => {
    const { instance } = await gatewayWith({ limits: { maxClients: 100, maxClientsPerIp: 2 } });
    const clients = /** @type {any[]} */ ([await connect(instance.url), await connect(instance.url)]);
    assert.equal(await handshake(instance.url), 429);
    // Without --trust-proxy a client cannot dodge the cap with a header of its own.
    assert.equal(await handshake(instance.url, { headers: { 'X-Forwarded-For': '203.0.113.9' } }), 429);
    clients[0].ws.close();
    await until(() => instance.clients === 1, 'the slot to free');
    assert.equal(await handshake(instance.url), 'opened');
    assert.equal((await readMetrics(instance)).value('gym_gateway_connections_refused_total', { reason: 'per-ip' }), 2);
    clients[1].ws.close();
  });

  it('gives the place of a handshake that fails midway back', async () => {
    const { instance } = await gatewayWith({ limits: { maxClients: 2, maxClientsPerIp: 2 } });
    const { port } = new URL(instance.url);
    // An upgrade without Sec-WebSocket-Key passes the caps, then ws refuses it (400).
    for (let i = 0; i < 3; i++) {
      const answer = await new Promise((resolve) => {
        const socket = connectTcp(Number(port), '127.0.0.1', () => socket.write('GET /ws/checkins/ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n'));
        let text = '';
        socket.on('data', (chunk) => (text += chunk));
        socket.on('close', () => resolve(text.split('\r\n')[0]));
      });
      assert.equal(answer, 'HTTP/1.1 400 Bad Request');
    }
    const clients = /** @type {any[]} */ ([await connect(instance.url), await connect(instance.url)]);
    for (const client of clients) client.ws.close();
  });

  it('behind a proxy (--trust-proxy), counts the address the proxy added to X-Forwarded-For', async () => {
    const { instance } = await gatewayWith({ trustProxy: true, limits: { maxClients: 100, maxClientsPerIp: 1 } });
    const as = (/** @type {string} */ chain) => ({ headers: { 'X-Forwarded-For': chain } });
    const first = /** @type {any} */ (await connect(instance.url, as('203.0.113.1')));
    // The client wrote the first entry; the proxy appended the real one.
    assert.equal(await handshake(instance.url, as('203.0.113.2, 203.0.113.1')), 429);
    assert.equal(await handshake(instance.url, as('203.0.113.1, 203.0.113.2')), 'opened');
    first.ws.close();
  });
});

describe('slow and dead clients', { timeout: 30_000 }, () => {
  it('cuts off a client that stops reading once its backlog passes --max-buffered-bytes; the others get everything', async () => {
    const { upstream, instance } = await gatewayWith({ limits: { maxBufferedBytes: 64 * 1024 } });
    const reader = /** @type {any} */ (await connect(instance.url));
    const stalled = /** @type {any} */ (await connect(instance.url));
    stalled.ws.pause();
    // Check-ins until the stalled one is cut off (at most 40,000 of ~500 bytes, far more than the
    // kernel's socket buffers hold for it), in steps the reader keeps up with.
    const COUNT = 40_000;
    const STEP = 200;
    const slowDrops = async () => (await readMetrics(instance)).value('gym_gateway_clients_dropped_total', { reason: 'slow' }) ?? 0;
    let sent = 0;
    while (sent < COUNT && (await slowDrops()) === 0) {
      for (let i = 0; i < STEP; i++, sent++) upstream.push({ type: 'member_checked_in', payload: visit({ id: `00000000-0000-4000-9000-${String(sent).padStart(12, '0')}`, location: `Door ${sent}` }) });
      await until(() => reader.of('member_checked_in').length === sent, `the reader to get check-in ${sent}`);
    }
    assert.equal(await slowDrops(), 1, `the stalled client dropped after ${sent} check-ins`);
    stalled.ws.resume();
    assert.equal((await stalled.closing()).code, 1006, 'cut off, not closed politely behind its backlog');
    assert.ok(stalled.of('member_checked_in').length < sent);
    assert.equal(reader.closed, undefined);
    assert.equal(instance.clients, 1);
    reader.ws.close();
  });

  it('cuts off a client that answers no ping, keeps one that does', async () => {
    const { instance } = await gatewayWith({ timings: { pingInterval: 100 } });
    const silent = /** @type {any} */ (await connect(instance.url, { autoPong: false }));
    const healthy = /** @type {any} */ (await connect(instance.url));
    assert.equal((await silent.closing()).code, 1006);
    assert.equal((await readMetrics(instance)).value('gym_gateway_clients_dropped_total', { reason: 'unresponsive' }), 1);
    assert.equal(healthy.closed, undefined);
    healthy.ws.close();
  });
});
