import { expect } from '@open-wc/testing';
import type { ServerMessage } from '../../src/protocol/types.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { stats, visit } from '../helpers/fixtures.js';

const figures = stats(2, 5, 40);
const checkIn = visit(1);

describe('RealtimeClient: inbound', () => {
  let h: Harness;
  afterEach(() => h.restore());

  it('fans messages out by type; unsubscribing stops delivery', async () => {
    h = createHarness();
    await h.open();
    const statsSeen: unknown[] = [];
    const all: string[] = [];
    const stop = h.client.subscribe('check_in_stats', (message) => statsSeen.push(message.payload.currentlyIn));
    h.client.subscribe('*', (message) => all.push(message.type));
    h.gym.send({ type: 'check_in_stats', payload: figures });
    h.gym.send({ type: 'initial_stats', payload: figures });
    await h.tick(4);
    stop();
    h.gym.send({ type: 'check_in_stats', payload: { ...figures, currentlyIn: 3 } });
    await h.tick(4);
    expect(statsSeen).to.deep.equal([2]);
    expect(all).to.deep.equal(['check_in_stats', 'initial_stats', 'check_in_stats']);
  });

  it('delivers the sender`s success reply and the broadcast that follows as one check-in', async () => {
    h = createHarness();
    await h.open();
    const checkedIn: string[] = [];
    const successes: string[] = [];
    const checkedOut: string[] = [];
    h.client.subscribe('member_checked_in', (message) => checkedIn.push(message.payload.id));
    h.client.subscribe('check_in_success', (message) => successes.push(message.payload.id));
    h.client.subscribe('member_checked_out', (message) => checkedOut.push(message.payload.id));
    h.gym.send({ type: 'check_in_success', payload: checkIn });
    h.gym.send({ type: 'member_checked_in', payload: checkIn });
    h.gym.send({ type: 'check_in_update', payload: { ...checkIn, status: 'checked_in' } });
    h.gym.send({ type: 'member_checked_in', payload: { ...checkIn, id: 'visit-2' } });
    h.gym.send({ type: 'member_checked_out', payload: { ...checkIn, check_out_time: '2026-11-27T09:00:00+00:00' } });
    h.gym.send({ type: 'check_in_update', payload: { ...checkIn, status: 'checked_out', check_out_time: '2026-11-27T09:00:00+00:00' } });
    await h.tick(4);
    expect(checkedIn).to.deep.equal(['visit-1', 'visit-2']);
    expect(successes).to.deep.equal(['visit-1']);
    expect(checkedOut).to.deep.equal(['visit-1']);
  });

  it('delivers the items of an inbound batch', async () => {
    h = createHarness();
    await h.open();
    const seen: string[] = [];
    h.client.subscribe('*', (message) => seen.push(message.type));
    h.gym.send({ type: 'batch', payload: { batches: { member_checked_in: [checkIn], check_in_stats: [figures] } } });
    await h.tick(4);
    expect(seen).to.deep.equal(['member_checked_in', 'check_in_stats']);
  });

  it('counts malformed frames and reports each as a protocol-error event, never throwing', async () => {
    h = createHarness();
    await h.open();
    const errors: unknown[] = [];
    const delivered: ServerMessage[] = [];
    h.client.on('protocol-error', (event) => errors.push(event));
    h.client.subscribe('*', (message) => delivered.push(message));
    h.gym.send('{not json');
    h.gym.send('[1,2]');
    h.gym.send({ type: 'initial_stats', payload: { ...figures, todayTotal: 'many' } });
    h.gym.socket.send(new ArrayBuffer(3) as never);
    h.gym.send({ type: 'check_in_stats', payload: figures });
    await h.tick(4);
    expect(errors).to.deep.equal([
      { error: 'not JSON', total: 1 },
      { error: 'frame is not an object', total: 2 },
      { error: 'todayTotal is not a number', total: 3 },
      { error: 'binary frame', total: 4 },
    ]);
    expect(h.client.metrics.protocolErrors).to.equal(4);
    expect(delivered.map((m) => m.type)).to.deep.equal(['check_in_stats']);
    expect(h.client.state).to.equal('open');
  });

  it('counts a field cut at the cap, reports it as a protocol-error, and still delivers the message, cut', async () => {
    h = createHarness();
    await h.open();
    const errors: unknown[] = [];
    const names: string[] = [];
    h.client.on('protocol-error', (event) => errors.push(event));
    h.client.subscribe('member_checked_in', (message) => names.push(message.payload.member.full_name));
    h.gym.send({ type: 'member_checked_in', payload: { ...checkIn, member: { ...checkIn.member, full_name: 'A'.repeat(1_000_000) } } });
    h.gym.send({ type: 'member_checked_in', payload: visit(2) });
    await h.tick(4);
    expect(names).to.deep.equal([`${'A'.repeat(200)}…`, 'Member 2']);
    expect(errors).to.deep.equal([{ error: 'member.full_name longer than 200 characters: cut', total: 1 }]);
    expect(h.client.metrics).to.deep.include({ truncated: 1, protocolErrors: 1 });
  });

  it('keeps delivering to the other subscribers when one throws, and reports the error', async () => {
    h = createHarness();
    await h.open();
    const errors: { source: string; type: string; error: unknown }[] = [];
    const seen: string[] = [];
    h.client.on('error', (event) => errors.push(event));
    h.client.subscribe('check_in_stats', () => seen.push('first'));
    h.client.subscribe('check_in_stats', () => {
      throw new Error('widget bug');
    });
    h.client.subscribe('check_in_stats', () => seen.push('third'));
    h.client.on('state', () => {
      throw new Error('listener bug');
    });
    h.gym.send({ type: 'check_in_stats', payload: figures });
    h.gym.send({ type: 'check_in_stats', payload: figures });
    await h.tick(4);
    expect(seen).to.deep.equal(['first', 'third', 'first', 'third']);
    expect(errors.map((e) => `${e.source}:${e.type}:${(e.error as Error).message}`)).to.deep.equal([
      'subscriber:check_in_stats:widget bug',
      'subscriber:check_in_stats:widget bug',
    ]);
    h.gym.drop();
    await h.tick(4);
    expect(h.client.state).to.equal('reconnecting');
    expect(errors.at(-1)!.type).to.equal('state');
  });
});
