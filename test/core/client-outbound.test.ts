import { expect } from '@open-wc/testing';
import type { CheckIn } from '../../src/protocol/types.js';
import type { GymClientError } from '../../src/core/errors.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { member, visit } from '../helpers/fixtures.js';

/** Settles a promise into a comparable outcome. */
const outcome = (promise: Promise<CheckIn>) =>
  promise.then(
    (checkIn) => `ok ${checkIn.id}`,
    (error: GymClientError) => `${error.code}: ${error.message}`,
  );

describe('RealtimeClient: outbound', () => {
  let h: Harness;
  afterEach(() => h.restore());

  it('request() settles with the check-in of the server`s success reply', async () => {
    h = createHarness();
    await h.open();
    const result = h.client.request('check_in', { memberId: member(1), location: 'Front desk' });
    await h.tick(50 + 4);
    expect(h.gym.received()).to.deep.equal([{ type: 'check_in', payload: { memberId: member(1), location: 'Front desk' } }]);
    h.gym.send({ type: 'check_in_success', payload: visit(1) });
    await h.tick(4);
    expect((await result).member.full_name).to.equal('Member 1');
    expect(h.client.metrics.awaitingReply).to.equal(0);
  });

  it('request() rejects with the server`s error text, pairing errors with the oldest request', async () => {
    h = createHarness();
    await h.open();
    const first = outcome(h.client.request('check_in', { memberId: member(1) }));
    const second = outcome(h.client.request('check_in', { memberId: member(2) }));
    const out = outcome(h.client.request('check_out', { checkInId: 'visit-9' }));
    await h.tick(54);
    h.gym.send({ type: 'check_in_error', payload: { error: 'Member 1 is already checked in' } });
    h.gym.send({ type: 'check_in_success', payload: visit(2) });
    h.gym.send({ type: 'check_out_error', payload: { error: 'Check-in not found or already checked out' } });
    await h.tick(4);
    expect(await first).to.equal('rejected: Member 1 is already checked in');
    expect(await second).to.equal('ok visit-2');
    expect(await out).to.equal('rejected: Check-in not found or already checked out');
  });

  it('pairs a success with the request naming its member or check-in', async () => {
    h = createHarness();
    await h.open();
    const a = outcome(h.client.request('check_in', { memberId: member(1) }));
    const b = outcome(h.client.request('check_in', { memberId: member(2) }));
    const out = outcome(h.client.request('check_out', { checkInId: 'visit-7' }));
    await h.tick(54);
    h.gym.send({ type: 'check_in_success', payload: visit(2) });
    h.gym.send({ type: 'check_out_success', payload: { ...visit(7), check_out_time: '2026-11-27T09:00:00+00:00' } });
    h.gym.send({ type: 'check_in_success', payload: visit(1) });
    await h.tick(4);
    expect([await a, await b, await out]).to.deep.equal(['ok visit-1', 'ok visit-2', 'ok visit-7']);
  });

  it('sends check-ins issued within one batch window as one batch frame', async () => {
    h = createHarness({ batchWindow: 50 });
    await h.open();
    const results = [1, 2, 3].map((n) => outcome(h.client.request('check_in', { memberId: member(n) })));
    results.push(outcome(h.client.request('check_out', { checkInId: 'visit-9' })));
    await h.tick(49);
    expect(h.gym.received()).to.have.length(0);
    await h.tick(5);
    expect(h.gym.received()).to.deep.equal([
      { type: 'batch', batches: { check_in: [{ memberId: member(1) }, { memberId: member(2) }, { memberId: member(3) }], check_out: [{ checkInId: 'visit-9' }] } },
    ]);
    expect(h.client.metrics.framesOut).to.equal(1);
    // Each request of the batch settles with its own reply.
    for (const n of [1, 2, 3]) h.gym.send({ type: 'check_in_success', payload: visit(n) });
    h.gym.send({ type: 'check_out_success', payload: { ...visit(9), check_out_time: new Date().toISOString() } });
    await h.tick(4);
    expect(await Promise.all(results)).to.deep.equal(['ok visit-1', 'ok visit-2', 'ok visit-3', 'ok visit-9']);
  });

  it('puts at most maxBatchSize items in one frame', async () => {
    h = createHarness({ maxBatchSize: 50 });
    await h.open();
    for (let n = 0; n < 120; n++) h.client.send('check_in', { memberId: member(n) });
    await h.tick(54);
    const sizes = h.gym.received().map((frame) => frame.batches?.check_in?.length);
    expect(sizes).to.deep.equal([50, 50, 20]);
  });

  it('sends other types at once, not batched', async () => {
    h = createHarness();
    await h.open();
    expect(h.client.send('authenticate', { x: 1 })).to.equal(true);
    await h.tick(4);
    expect(h.gym.received()).to.deep.equal([{ type: 'authenticate', payload: { x: 1 } }]);
  });

  it('rejects request() of a type that has no reply', async () => {
    h = createHarness();
    const error = await h.client.request('heartbeat' as 'check_in', { memberId: 'x' }).catch((e: GymClientError) => e);
    expect((error as GymClientError).code).to.equal('unsupported');
  });

  it('times a request out, and a late reply does not answer the next request', async () => {
    h = createHarness({ requestTimeout: 15_000 });
    await h.open();
    const slow = outcome(h.client.request('check_in', { memberId: member(1) }));
    await h.tick(54 + 15_000);
    expect(await slow).to.match(/^timeout: /);
    const next = outcome(h.client.request('check_in', { memberId: member(2) }));
    await h.tick(54);
    h.gym.send({ type: 'check_in_error', payload: { error: 'late answer to the first' } });
    h.gym.send({ type: 'check_in_success', payload: visit(2) });
    await h.tick(4);
    expect(await next).to.equal('ok visit-2');
  });

  it('rejects written requests with connection-lost when the link dies before the reply', async () => {
    h = createHarness();
    await h.open();
    const written = outcome(h.client.request('check_in', { memberId: member(1) }));
    await h.tick(54);
    h.gym.drop();
    await h.tick(4);
    expect(await written).to.equal('connection-lost: The connection was lost before the server answered; the request may have been delivered');
    await h.tick(1000);
    expect(h.gym.received('check_in')).to.have.length(1);
  });

  it('keeps requests not yet written when the link dies, and sends them after reconnecting', async () => {
    h = createHarness();
    await h.open();
    const pending = outcome(h.client.request('check_in', { memberId: member(1) }));
    await h.tick(10);
    h.gym.drop();
    await h.tick(4);
    expect(h.gym.received()).to.have.length(0);
    expect(h.client.metrics.outboxDepth).to.equal(1);
    await h.tick(500 + 4 + 4);
    expect(h.client.state).to.equal('open');
    expect(h.gym.received('check_in')).to.have.length(1);
    h.gym.send({ type: 'check_in_success', payload: visit(1) });
    await h.tick(4);
    expect(await pending).to.equal('ok visit-1');
  });

  it('queues requests made while not connected and sends them in order after the next open', async () => {
    h = createHarness();
    const results = [1, 2, 3].map((n) => outcome(h.client.request('check_in', { memberId: member(n) })));
    h.client.send('check_out', { checkInId: 'visit-0' });
    expect(h.client.metrics.outboxDepth).to.equal(4);
    await h.open();
    await h.tick(4);
    expect(h.gym.received()).to.deep.equal([
      { type: 'batch', batches: { check_in: [1, 2, 3].map((n) => ({ memberId: member(n) })), check_out: [{ checkInId: 'visit-0' }] } },
    ]);
    h.gym.send({ type: 'check_out_error', payload: { error: 'Check-in not found or already checked out' } });
    for (const n of [1, 2, 3]) h.gym.send({ type: 'check_in_success', payload: visit(n) });
    await h.tick(4);
    expect(await Promise.all(results)).to.deep.equal(['ok visit-1', 'ok visit-2', 'ok visit-3']);
    expect(h.client.metrics.outboxDepth).to.equal(0);
  });

  it('refuses a request when the outbox is full, with a distinct error and an event', async () => {
    h = createHarness({ outboxLimit: 3 });
    const full: unknown[] = [];
    h.client.on('outbox-full', (event) => full.push(event));
    const accepted = [1, 2, 3].map((n) => h.client.request('check_in', { memberId: member(n) }));
    const refused = await outcome(h.client.request('check_in', { memberId: member(4) }));
    expect(refused).to.equal('outbox-full: The outbox is full (3 requests waiting); this one was not queued');
    expect(h.client.send('check_out', { checkInId: 'x' })).to.equal(false);
    expect(full).to.deep.equal([
      { type: 'check_in', limit: 3 },
      { type: 'check_out', limit: 3 },
    ]);
    expect(h.client.metrics.outboxDepth).to.equal(3);
    accepted.forEach((promise) => promise.catch(() => {}));
  });

  it('keeps fire-and-forget check-ins in the reply order so requests still pair correctly', async () => {
    h = createHarness();
    await h.open();
    h.client.send('check_in', { memberId: member(1) });
    const mine = outcome(h.client.request('check_in', { memberId: member(2) }));
    await h.tick(54);
    h.gym.send({ type: 'check_in_error', payload: { error: 'Member 1 is already checked in' } });
    h.gym.send({ type: 'check_in_error', payload: { error: 'Member matching query does not exist.' } });
    await h.tick(4);
    expect(await mine).to.equal('rejected: Member matching query does not exist.');
  });
});
