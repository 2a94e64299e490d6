import { expect } from '@open-wc/testing';
import { RealtimeClient, type ClientEvents } from '../../src/core/client.js';
import type { ReconciledCheckIn } from '../../src/core/pending-replies.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { FakeLocks } from '../helpers/fake-tabs.js';
import { member, visit } from '../helpers/fixtures.js';
import { MemoryStorage, TabStorage } from '../helpers/memory-storage.js';
import { GYM_URL } from '../helpers/mock-gym.js';

const KEY = 'gym-realtime-widgets.outbox';
const tabKeys = (storage: TabStorage) => [...storage.data.keys()].filter((key) => key.startsWith(`${KEY}:`));

describe('RealtimeClient: one stored outbox per tab, adopted when the tab is gone', () => {
  let h: Harness;
  let storage: TabStorage;
  let locks: FakeLocks;
  const others: RealtimeClient[] = [];

  /** Another tab on the same storage, gym and network. */
  const tab = () => {
    const client = new RealtimeClient({ url: GYM_URL, token: 'fixed-token', WebSocket: h.gym.WebSocket, environment: h.network, random: () => 0.5, outboxStorage: storage, locks, share: 'none' });
    others.push(client);
    return client;
  };
  /** Closes the tab whose stored queue is `key`: its lock goes, its client is never disposed. */
  const closeTab = (key: string) => locks.close(key);
  const checkIns = () => h.gym.received().flatMap((frame) => (frame.type === 'check_in' ? [frame.payload] : (frame.batches?.check_in ?? [])));

  beforeEach(() => {
    storage = new TabStorage();
    locks = new FakeLocks();
    h = createHarness({ outboxStorage: storage, locks });
    h.network.online = false;
  });
  afterEach(() => {
    for (const client of others.splice(0)) client.dispose();
    h.restore();
  });

  it('each tab stores under its own key, and holds a lock of that name while it lives', async () => {
    const second = tab();
    h.client.connect();
    second.connect();
    h.client.send('check_in', { memberId: member(1) });
    second.send('check_in', { memberId: member(2) });
    await h.tick(1);
    expect(tabKeys(storage)).to.have.length(2);
    expect(locks.held().filter((name) => name.startsWith(`${KEY}:`)).sort()).to.deep.equal(tabKeys(storage).sort());
  });

  it('two tabs offline: close one, reload the other, go online — each request reaches the gym exactly once', async () => {
    const second = tab();
    h.client.connect();
    second.connect();
    h.client.send('check_in', { memberId: member(1) });
    second.send('check_in', { memberId: member(2) });
    second.send('check_in', { memberId: member(3) });
    await h.tick(1);
    const [first, other] = tabKeys(storage);
    // Both tabs go away without disposing anything: one closed, one reloading.
    closeTab(first!);
    closeTab(other!);
    h.client.close();
    second.close();
    const reloaded = tab();
    h.network.online = true;
    reloaded.connect();
    await h.tick(200);
    expect(reloaded.state).to.equal('open');
    expect(checkIns().map((payload) => (payload as { memberId: string }).memberId).sort()).to.deep.equal([member(1), member(2), member(3)]);
    // Written, they wait for their answers in the record of what the tab wrote; answered, nothing is left.
    expect(tabKeys(storage).map((key) => key.endsWith('#sent'))).to.deep.equal([true]);
    for (const n of [1, 2, 3]) h.gym.send({ type: 'check_in_success', payload: visit(n) });
    await h.tick(1);
    expect(tabKeys(storage)).to.deep.equal([]);
    // A tab opened later finds nothing left to send.
    tab().connect();
    await h.tick(200);
    expect(checkIns()).to.have.length(3);
  });

  it("never takes the queue of a tab that is still open", async () => {
    h.client.connect();
    h.client.send('check_in', { memberId: member(1) });
    h.network.online = true;
    const second = tab();
    second.connect();
    await h.tick(200);
    expect(second.state).to.equal('open');
    expect(checkIns()).to.deep.equal([]);
    expect(tabKeys(storage)).to.have.length(1);
  });

  it('dispose() keeps what was stored, and a later page sends it once', async () => {
    h.client.connect();
    const answer = h.client.request('check_in', { memberId: member(4) });
    h.client.dispose();
    const error = await answer.then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).to.match(/stays stored/);
    expect(tabKeys(storage)).to.have.length(1);
    h.network.online = true;
    const later = tab();
    later.connect();
    await h.tick(200);
    expect(checkIns()).to.deep.equal([{ memberId: member(4) }]);
  });

  it('a closed tab’s queue is sent by one tab only, even when two connect at once', async () => {
    h.client.connect();
    h.client.send('check_in', { memberId: member(5) });
    await h.tick(1);
    closeTab(tabKeys(storage)[0]!);
    h.client.close();
    h.network.online = true;
    tab().connect();
    tab().connect();
    await h.tick(200);
    expect(checkIns()).to.deep.equal([{ memberId: member(5) }]);
  });

  it('a tab disposed before its lock was granted lets go of it at once', async () => {
    await h.tick(1);
    const tabLocks = () => locks.held().filter((name) => name.startsWith(`${KEY}:`) && !name.endsWith(':adopt')).length;
    const before = tabLocks();
    tab().dispose();
    await h.tick(1);
    expect(tabLocks()).to.equal(before);
  });

  it('never takes the queue of another outbox whose key merely starts the same', async () => {
    storage.setItem(`${KEY}:8443/ws/checkins/:abc`, JSON.stringify({ v: 2, items: [{ id: 'x', type: 'check_in', payload: { memberId: member(9) } }] }));
    h.network.online = true;
    await h.open();
    await h.tick(200);
    expect(checkIns()).to.deep.equal([]);
    expect(storage.getItem(`${KEY}:8443/ws/checkins/:abc`)).to.not.equal(null);
  });

  it('without Web Locks (one shared key), a page finds both what the last one wrote unanswered and what it queued: each sent once, the written one as maybe written', async () => {
    const shared = new MemoryStorage();
    const stored = (items: object[]) => JSON.stringify({ v: 2, items });
    shared.setItem(`${KEY}#sent`, stored([{ id: 'a', type: 'check_in', payload: { memberId: member(6) } }]));
    shared.setItem(KEY, stored([{ id: 'b', type: 'check_in', payload: { memberId: member(7) } }]));
    const page = new RealtimeClient({ url: GYM_URL, token: 'fixed-token', WebSocket: h.gym.WebSocket, environment: h.network, random: () => 0.5, outboxStorage: shared, share: 'none' });
    others.push(page);
    const replies: ClientEvents['restored-reply'][] = [];
    page.on('restored-reply', (event) => replies.push(event));
    h.network.online = true;
    page.connect();
    await h.tick(10);
    expect(checkIns()).to.deep.equal([{ memberId: member(6) }, { memberId: member(7) }]);
    // Member 6's first copy went: the gym says so. Member 7 was never written: the same words are a refusal.
    h.gym.send({ type: 'check_in_error', payload: { error: 'Member 6 is already checked in' } });
    h.gym.send({ type: 'check_in_error', payload: { error: 'Member 7 is already checked in' } });
    await h.tick(1);
    expect(replies.map(({ ok, message, checkIn }) => [ok, message ?? (checkIn as ReconciledCheckIn).reconciled])).to.deep.equal([
      [true, 'Member 6 is already checked in'],
      [false, 'Member 7 is already checked in'],
    ]);
    expect([...shared.data.keys()]).to.deep.equal([]);
  });
});
