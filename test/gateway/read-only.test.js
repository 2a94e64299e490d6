// Read-only: the gateway answers heartbeats, refuses every other client frame with the
// protocol's error frames (counted), and forwards none of them upstream. A fake AV-Gym records
// every frame the gateway sends it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, fakeUpstream, readMetrics, roundTrip, startGateway, until } from './helpers.js';

const READ_ONLY = 'This live feed is read-only: check-ins and check-outs go through the front desk';

describe('a client frame at the gateway', { timeout: 20_000 }, () => {
  /** @type {Awaited<ReturnType<typeof fakeUpstream>>} */
  let upstream;
  /** @type {Awaited<ReturnType<typeof startGateway>>} */
  let instance;

  before(async () => {
    upstream = await fakeUpstream();
    instance = await startGateway(upstream.url, { credentials: { token: 'service-token' }, limits: { maxFrameBurst: 100 } });
  });
  after(async () => {
    await instance.close();
    await upstream.close();
  });

  it('heartbeat: answered with heartbeat_ack at once', async () => {
    const client = /** @type {any} */ (await connect(instance.url));
    client.ws.send('{"type":"heartbeat"}');
    const ack = await client.next((/** @type {any} */ frame) => frame.type === 'heartbeat_ack', 'the ack');
    assert.match(ack.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    client.ws.close();
  });

  it('everything else: refused with an error frame, counted, and never sent upstream', async () => {
    const client = /** @type {any} */ (await connect(instance.url));
    const refusedBefore = await refusedCount();
    /** [frame sent, replies expected] */
    const cases = /** @type {[string | Buffer, object[]][]} */ ([
      ['{"type":"check_in","payload":{"memberId":"00000000-0000-4000-8000-000000000001","location":"Front desk"}}', [{ type: 'check_in_error', payload: { error: READ_ONLY } }]],
      ['{"type":"check_out","payload":{"checkInId":"a29957bc-178e-4a2c-bfb2-0e9e5ff331d2"}}', [{ type: 'check_out_error', payload: { error: READ_ONLY } }]],
      [
        '{"type":"batch","batches":{"check_in":[{"memberId":"m1"},{"memberId":"m2"}],"check_out":[{"checkInId":"c1"}],"other":[{}]}}',
        [{ type: 'check_in_error', payload: { error: READ_ONLY } }, { type: 'check_in_error', payload: { error: READ_ONLY } }, { type: 'check_out_error', payload: { error: READ_ONLY } }],
      ],
      ['{"type":"batch","batches":{}}', [{ type: 'error', message: READ_ONLY }]],
      ['{"type":"authenticate","token":"abc"}', [{ type: 'error', message: READ_ONLY }]],
      ['{"type":"ping"}', [{ type: 'error', message: READ_ONLY }]],
      ['{"type":"member_checked_in","payload":{}}', [{ type: 'error', message: READ_ONLY }]],
      ['{"payload":{}}', [{ type: 'error', message: READ_ONLY }]],
      ['[1,2]', [{ type: 'error', message: READ_ONLY }]],
      ['"heartbeat"', [{ type: 'error', message: READ_ONLY }]],
      ['not json', [{ type: 'error', message: 'Invalid JSON format' }]],
      [Buffer.from([1, 2, 3]), [{ type: 'error', message: 'Binary frames are not accepted' }]],
    ]);
    for (const [frame, replies] of cases) {
      const from = client.received.length;
      client.ws.send(frame, { binary: Buffer.isBuffer(frame) });
      await roundTrip(client);
      assert.deepEqual(
        client.received.slice(from).filter((/** @type {any} */ reply) => reply.type !== 'heartbeat_ack'),
        replies,
        String(frame),
      );
    }
    assert.equal(client.closed, undefined, 'the connection stays open');
    assert.equal((await refusedCount()) - refusedBefore, cases.length);
    // The upstream heard only the gateway's own heartbeats, if any: not one client frame.
    assert.deepEqual(upstream.frames.filter((frame) => frame.type !== 'heartbeat'), []);
    client.ws.close();
  });

  it('upstream, it presents the upstream\'s own origin (AV-Gym may check Origin against its allowed hosts)', () => {
    assert.deepEqual(upstream.origins, [new URL(upstream.url).origin.replace('ws:', 'http:')]);
  });

  /** Refused client frames, from the gateway's metrics. */
  const refusedCount = async () => (await readMetrics(instance)).value('gym_gateway_client_frames_total', { result: 'refused' }) ?? 0;
});

describe('per-connection limits', { timeout: 20_000 }, () => {
  /** @type {Awaited<ReturnType<typeof fakeUpstream>>} */
  let upstream;
  /** @type {Awaited<ReturnType<typeof startGateway>>} */
  let instance;

  before(async () => {
    upstream = await fakeUpstream();
    instance = await startGateway(upstream.url, { credentials: { token: 'service-token' }, limits: { maxFrameBytes: 256, maxFrameRate: 1, maxFrameBurst: 5 } });
  });
  after(async () => {
    await instance.close();
    await upstream.close();
  });

  it('a frame over --max-frame-bytes closes the connection (1009) and is counted', async () => {
    const client = /** @type {any} */ (await connect(instance.url));
    client.ws.send(JSON.stringify({ type: 'heartbeat', padding: 'x'.repeat(300) }));
    assert.equal((await client.closing()).code, 1009);
    await until(async () => (await dropped('frame-size')) === 1, 'the drop to be counted');
  });

  it('frames faster than --max-frame-rate beyond the burst close the connection (1008), and are counted', async () => {
    const client = /** @type {any} */ (await connect(instance.url));
    // The burst (5) is answered; the sixth in the same instant is one too many.
    for (let i = 0; i < 6; i++) client.ws.send('{"type":"heartbeat"}');
    const { code, reason } = await client.closing();
    assert.deepEqual({ code, reason }, { code: 1008, reason: 'Too many frames' });
    assert.equal(client.of('heartbeat_ack').length, 5);
    assert.equal(await dropped('rate'), 1);
  });

  it('a client within the rate is never cut off', async () => {
    const client = /** @type {any} */ (await connect(instance.url));
    for (let i = 0; i < 5; i++) await roundTrip(client);
    assert.equal(client.closed, undefined);
    client.ws.close();
  });

  const dropped = async (/** @type {string} */ reason) => (await readMetrics(instance)).value('gym_gateway_clients_dropped_total', { reason }) ?? 0;
});
