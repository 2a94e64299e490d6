import { expect } from '@open-wc/testing';
import type { ClientEvents } from '../../src/core/client.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { MemoryStorage } from '../helpers/memory-storage.js';
import { member, visit } from '../helpers/fixtures.js';

const KEY = 'gym-realtime-widgets.outbox';

/** The page goes away without cleaning up, as on a reload. */
function unload(harness: Harness): void {
  harness.gym.stop();
  harness.clock.restore();
}

describe('RealtimeClient: persistent outbox', () => {
  let h: Harness;
  afterEach(() => h.restore());

  /** Events of one kind, recorded. */
  function record<K extends keyof ClientEvents>(harness: Harness, type: K) {
    const seen: ClientEvents[K][] = [];
    harness.client.on(type, (event) => seen.push(event));
    return seen;
  }

  it('keeps requests queued while offline in storage, and a reloaded page sends them once', async () => {
    const storage = new MemoryStorage();
    h = createHarness({ outboxStorage: storage });
    h.network.online = false;
    h.client.connect();
    h.client.request('check_in', { memberId: member(1), location: 'Front desk' }).catch(() => {});
    h.client.send('check_out', { checkInId: 'v0' });
    const stored = JSON.parse(storage.getItem(KEY)!) as { v: number; items: { id: string }[] };
    expect(stored.v).to.equal(2);
    expect(stored.items.map((item) => ({ ...item, id: undefined }))).to.deep.equal([
      { id: undefined, type: 'check_in', payload: { memberId: member(1), location: 'Front desk' } },
      { id: undefined, type: 'check_out', payload: { checkInId: 'v0' } },
    ]);
    expect(new Set(stored.items.map(({ id }) => id)).size, 'one id per request').to.equal(2);
    // The page reloads (nothing is disposed on unload): a new client on the same storage, online this time.
    unload(h);
    h = createHarness({ outboxStorage: storage });
    const restored = record(h, 'outbox-restored');
    const replies = record(h, 'restored-reply');
    await h.open();
    await h.tick(4);
    expect(restored).to.deep.equal([{ count: 2 }]);
    expect(h.gym.received()).to.deep.equal([
      { type: 'batch', batches: { check_in: [{ memberId: member(1), location: 'Front desk' }], check_out: [{ checkInId: 'v0' }] } },
    ]);
    expect(storage.getItem(KEY)).to.equal(null);
    h.gym.send({ type: 'check_in_success', payload: visit(1) });
    h.gym.send({ type: 'check_out_error', payload: { error: 'Check-in not found or already checked out' } });
    await h.tick(4);
    expect(replies.map(({ type, ok, message }) => `${type} ${ok} ${message ?? ''}`.trim())).to.deep.equal([
      'check_in true',
      'check_out false Check-in not found or already checked out',
    ]);
    // Another reload sends nothing again.
    unload(h);
    h = createHarness({ outboxStorage: storage });
    await h.open();
    await h.tick(100);
    expect(h.gym.received().filter((frame) => frame.type !== 'heartbeat')).to.deep.equal([]);
  });

  it('keeps batch items not yet written when the link drops, and forgets them once written', async () => {
    const storage = new MemoryStorage();
    h = createHarness({ outboxStorage: storage });
    await h.open();
    h.client.send('check_in', { memberId: 'm2' });
    expect(storage.getItem(KEY)).to.equal(null);
    await h.tick(10);
    h.gym.drop();
    await h.tick(4);
    expect(JSON.parse(storage.getItem(KEY)!).items).to.deep.equal([{ id: (JSON.parse(storage.getItem(KEY)!) as { items: { id: string }[] }).items[0]!.id, type: 'check_in', payload: { memberId: 'm2' } }]);
    await h.tick(600);
    expect(h.client.state).to.equal('open');
    expect(storage.getItem(KEY)).to.equal(null);
  });

  for (const [what, content] of [
    ['corrupted', '{"v":1,"items":[{"type":"check_in"'],
    ['foreign', '{"cart":[1,2,3]}'],
    ['of another version', '{"v":99,"items":[]}'],
    ['not a list of requests', '{"v":1,"items":[null, 5]}'],
  ]) {
    it(`ignores ${what} content with a storage-error event, and sends nothing from it`, async () => {
      const storage = new MemoryStorage();
      storage.setItem(KEY, content!);
      h = createHarness({ outboxStorage: storage });
      const errors = record(h, 'storage-error');
      await h.open();
      await h.tick(100);
      expect(errors).to.have.length(1);
      expect(h.gym.received().filter((frame) => frame.type !== 'heartbeat')).to.deep.equal([]);
    });
  }

  it('reports storage that cannot be written, and keeps working', async () => {
    const storage = new MemoryStorage();
    storage.setItem = () => {
      throw new DOMException('quota exceeded', 'QuotaExceededError');
    };
    h = createHarness({ outboxStorage: storage });
    const errors = record(h, 'storage-error');
    h.network.online = false;
    h.client.connect();
    expect(h.client.send('check_in', { memberId: 'm3' })).to.equal(true);
    expect(errors).to.deep.equal([{ error: 'the outbox could not be stored' }]);
    h.network.signal('online');
    await h.tick(10);
    expect(h.gym.received('check_in')).to.have.length(1);
  });
});
