import { expect } from '@open-wc/testing';
import { RealtimeClient } from '../../src/core/client.js';
import type { ClientEvents } from '../../src/core/events.js';
import type { GymClientError } from '../../src/core/errors.js';
import type { RealtimeClientOptions } from '../../src/core/options.js';
import { TAKEOVER_JITTER } from '../../src/core/policy.js';
import type { TabsEnvironment } from '../../src/core/tab-group.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { fakeBrowser, FakeLocks } from '../helpers/fake-tabs.js';
import { member, stats, visit } from '../helpers/fixtures.js';
import { TabStorage } from '../helpers/memory-storage.js';
import { GYM_URL, MockGym } from '../helpers/mock-gym.js';

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as GymClientError,
  );

describe('RealtimeClient: one connection per browser, shared by its tabs', () => {
  let h: Harness;
  let browser: ReturnType<typeof fakeBrowser>;
  const tabs: RealtimeClient[] = [];

  /** A tab of the same browser profile, on the same gym and network. */
  const tab = (options: Partial<RealtimeClientOptions> = {}) => {
    const client = new RealtimeClient({ url: GYM_URL, token: 'fixed-token', WebSocket: h.gym.WebSocket, environment: h.network, random: () => 0.5, tabs: browser.tabs, ...options });
    tabs.push(client);
    return client;
  };
  /** Connects every tab and lets the election and the handshake finish. */
  const start = async (...clients: RealtimeClient[]) => {
    for (const client of clients) client.connect();
    await h.tick(10);
  };
  const leaderOf = (clients: RealtimeClient[]) => {
    const leaders = clients.filter((client) => client.role === 'leader');
    expect(leaders, 'exactly one leader').to.have.length(1);
    return leaders[0]!;
  };
  /** A WebSocket that reaches `other` for its URL, and the harness's gym for any other. */
  const wherever = (other: MockGym) =>
    function (url: string) {
      return url.startsWith('ws://elsewhere.test/') ? new other.WebSocket(url) : new h.gym.WebSocket(url);
    } as unknown as new (url: string) => WebSocket;
  const checkIns = () => h.gym.received().flatMap((frame) => (frame.type === 'check_in' ? [frame.payload] : (frame.batches?.check_in ?? [])));

  beforeEach(() => {
    h = createHarness();
    browser = fakeBrowser();
  });
  afterEach(() => {
    for (const client of tabs.splice(0)) client.dispose();
    h.restore();
  });

  it('three tabs open one socket; each shows the shared state and hears every frame once', async () => {
    const clients = [tab(), tab(), tab()];
    const heard = clients.map(() => [] as string[]);
    clients.forEach((client, i) => client.subscribe('member_checked_in', (message) => heard[i]!.push(message.payload.id)));
    await start(...clients);
    expect(h.gym.connections).to.have.length(1);
    expect(clients.map((client) => client.state)).to.deep.equal(['open', 'open', 'open']);
    expect(clients.map((client) => client.metrics.role).sort()).to.deep.equal(['follower', 'follower', 'leader']);
    h.gym.send({ type: 'member_checked_in', payload: visit(1) });
    h.gym.send({ type: 'initial_stats', payload: stats(4, 9) });
    await h.tick(1);
    expect(heard).to.deep.equal([['visit-1'], ['visit-1'], ['visit-1']]);
    expect(clients.map((client) => client.stats?.currentlyIn)).to.deep.equal([4, 4, 4]);
    expect(clients.map((client) => client.metrics.tabs)).to.deep.equal([3, 3, 3]);
  });

  it('a tab that joins late gets the figures the leader already had', async () => {
    const first = tab();
    await start(first);
    h.gym.send({ type: 'initial_stats', payload: stats(7, 12) });
    await h.tick(1);
    const late = tab();
    const figures: number[] = [];
    late.subscribe('initial_stats', (message) => figures.push(message.payload.currentlyIn));
    await start(late);
    expect(late.role).to.equal('follower');
    expect(figures).to.deep.equal([7]);
    expect(late.stats?.todayTotal).to.equal(12);
  });

  it("a follower's request goes out on the leader's socket, and its answer comes back to that tab alone", async () => {
    const clients = [tab({ heartbeatInterval: 1000 }), tab({ heartbeatInterval: 1000 }), tab({ heartbeatInterval: 1000 })];
    await start(...clients);
    const leader = leaderOf(clients);
    const [follower, other] = clients.filter((client) => client !== leader) as [RealtimeClient, RealtimeClient];
    const answer = follower.request('check_in', { memberId: member(1) });
    const refused = failure(follower.request('check_in', { memberId: member(2) }));
    const untouched = other.request('check_in', { memberId: member(3) });
    await h.tick(60);
    expect(checkIns()).to.have.length(3);
    expect(leader.metrics.awaitingReply).to.equal(3);
    // A heartbeat refreshes the followers' figures meanwhile: that changes nothing for requests in flight.
    await h.tick(1000);
    expect(h.gym.received('heartbeat')).to.have.length(1);
    expect(checkIns()).to.have.length(3);
    h.gym.send({ type: 'check_in_success', payload: visit(1) });
    h.gym.send({ type: 'check_in_error', payload: { error: 'Member is already checked in' } });
    await h.tick(1);
    expect((await answer).id).to.equal('visit-1');
    const error = await refused;
    expect([error?.code, error?.message]).to.deep.equal(['rejected', 'Member is already checked in']);
    h.gym.send({ type: 'check_in_success', payload: visit(3) });
    expect((await untouched).id).to.equal('visit-3');
    expect(leader.metrics.awaitingReply).to.equal(0);
  });

  it('send() and reconnectNow() from a follower act on the shared link', async () => {
    const clients = [tab(), tab()];
    await start(...clients);
    const follower = clients.find((client) => client.role === 'follower')!;
    expect(follower.send('ping', { n: 1 })).to.equal(true);
    await h.tick(1);
    await h.tick(5);
    expect(h.gym.received('ping')).to.deep.equal([{ type: 'ping', payload: { n: 1 } }]);
    h.network.online = true;
    h.gym.drop();
    await h.tick(5);
    expect(follower.state).to.equal('reconnecting');
    follower.reconnectNow();
    await h.tick(10);
    expect(follower.state).to.equal('open');
    expect(h.gym.connections).to.have.length(2);
  });

  it('the leader goes: a follower opens the next socket within the takeover jitter and every tab is live again', async () => {
    const clients = [tab(), tab(), tab()];
    await start(...clients);
    const leader = leaderOf(clients);
    const rest = clients.filter((client) => client !== leader);
    const leadership: ClientEvents['leadership'][] = [];
    for (const client of rest) client.on('leadership', (event) => leadership.push(event));
    leader.dispose();
    // random() is 0.5: the jitter is half of TAKEOVER_JITTER.
    await h.tick(TAKEOVER_JITTER / 2 - 1);
    expect(h.gym.connections).to.have.length(1);
    await h.tick(1 + 4);
    expect(h.gym.connections).to.have.length(2);
    expect(rest.map((client) => client.state)).to.deep.equal(['open', 'open']);
    expect(leadership).to.deep.equal([{ leading: true, tabs: 1 }]);
    leaderOf(rest);
    await h.tick(1);
    expect(rest.map((client) => client.metrics.tabs)).to.deep.equal([2, 2]);
  });

  it("a new leader keeps the old one's backoff instead of trying at once", async () => {
    const clients = [tab(), tab()];
    await start(...clients);
    h.gym.acceptToken = () => false;
    h.gym.drop();
    await h.tick(5);
    const leader = leaderOf(clients);
    const follower = clients.find((client) => client !== leader)!;
    const due = leader.nextAttemptAt!;
    expect(leader.state).to.equal('reconnecting');
    expect(due).to.be.greaterThan(Date.now());
    expect(follower.nextAttemptAt).to.equal(due);
    leader.dispose();
    await h.tick(1);
    expect([follower.role, follower.state, follower.nextAttemptAt]).to.deep.equal(['leader', 'reconnecting', due]);
    const attempts = h.gym.urls.length;
    await h.tick(due - Date.now() - 1);
    expect(h.gym.urls).to.have.length(attempts);
    await h.tick(1);
    expect(h.gym.urls).to.have.length(attempts + 1);
  });

  it('requests made during a handover: unsent ones go out once through the new leader, written unanswered ones fail connection-lost', async () => {
    const clients = [tab(), tab()];
    await start(...clients);
    const leader = leaderOf(clients);
    const follower = clients.find((client) => client !== leader)!;
    const written = failure(follower.request('check_in', { memberId: member(1) }));
    await h.tick(60);
    expect(checkIns()).to.have.length(1);
    h.network.online = false;
    h.network.signal('offline');
    h.gym.drop();
    await h.tick(5);
    const unsent = follower.request('check_in', { memberId: member(2) });
    await h.tick(1);
    expect(leader.metrics.outboxDepth).to.equal(1);
    leader.dispose();
    expect((await written)?.code).to.equal('connection-lost');
    h.network.online = true;
    h.network.signal('online');
    await h.tick(TAKEOVER_JITTER + 60);
    expect(follower.state).to.equal('open');
    expect(checkIns()).to.have.length(2);
    h.gym.send({ type: 'check_in_success', payload: visit(2) });
    expect((await unsent).id).to.equal('visit-2');
  });

  it('the leading tab crashes: what it wrote fails connection-lost and is never sent again; what it never wrote goes out once', async () => {
    const crashing = browser.tab();
    const leader = tab({ tabs: crashing.tabs });
    await start(leader);
    const follower = tab();
    await start(follower);
    expect(follower.role).to.equal('follower');
    const written = failure(follower.request('check_in', { memberId: member(1) }));
    await h.tick(60);
    expect(checkIns()).to.have.length(1);
    h.network.online = false;
    h.network.signal('offline');
    await h.tick(5);
    const unsent = follower.request('check_in', { memberId: member(2) });
    await h.tick(1);
    // The tab dies: no message, no reply; the server sees its socket close.
    crashing.crash();
    leader.dispose();
    expect((await written)?.code).to.equal('connection-lost');
    h.network.online = true;
    h.network.signal('online');
    await h.tick(TAKEOVER_JITTER + 60);
    expect([follower.role, follower.state]).to.deep.equal(['leader', 'open']);
    expect(checkIns().map((payload) => (payload as { memberId: string }).memberId)).to.deep.equal([member(1), member(2)]);
    h.gym.send({ type: 'check_in_success', payload: visit(2) });
    expect((await unsent).id).to.equal('visit-2');
  });

  it('a leading tab that moves to another URL leaves the requests other tabs gave it to them', async () => {
    const elsewhere = new MockGym('ws://elsewhere.test/ws/checkins/');
    try {
      const clients = [tab({ WebSocket: wherever(elsewhere) }), tab({ WebSocket: wherever(elsewhere) })];
      h.network.online = false;
      await start(...clients);
      const leader = leaderOf(clients);
      const follower = clients.find((client) => client !== leader)!;
      const answer = follower.request('check_in', { memberId: member(1) });
      await h.tick(1);
      expect(leader.metrics.outboxDepth).to.equal(1);
      leader.configure({ url: 'ws://elsewhere.test/ws/checkins/' });
      h.network.online = true;
      h.network.signal('online');
      await h.tick(TAKEOVER_JITTER + 60);
      expect([leader.role, follower.role]).to.deep.equal(['leader', 'leader']);
      expect(elsewhere.received('check_in')).to.deep.equal([]);
      expect(checkIns()).to.have.length(1);
      h.gym.send({ type: 'check_in_success', payload: visit(1) });
      expect((await answer).id).to.equal('visit-1');
    } finally {
      elsewhere.stop();
    }
  });

  it('with persist, the stored queue belongs to the leader and each request reaches the gym once after a handover', async () => {
    const storage = new TabStorage();
    const locks = browser.locks;
    const clients = [tab({ outboxStorage: storage, locks }), tab({ outboxStorage: storage, locks })];
    h.network.online = false;
    await start(...clients);
    const leader = leaderOf(clients);
    const follower = clients.find((client) => client !== leader)!;
    const answers = [1, 2, 3].map((n) => follower.request('check_in', { memberId: member(n) }));
    await h.tick(1);
    const stored = [...storage.data.keys()].filter((key) => storage.getItem(key)?.includes(member(1)));
    expect(stored, 'stored once, under the leader').to.have.length(1);
    // The leader's tab goes without a word: its stored queue stays, and the follower resends the same requests.
    leader.dispose();
    h.network.online = true;
    h.network.signal('online');
    await h.tick(TAKEOVER_JITTER + 60);
    expect(follower.state).to.equal('open');
    expect(checkIns().map((payload) => (payload as { memberId: string }).memberId).sort()).to.deep.equal([member(1), member(2), member(3)]);
    for (const n of [1, 2, 3]) h.gym.send({ type: 'check_in_success', payload: visit(n) });
    expect((await Promise.all(answers)).map((checkIn) => checkIn.id)).to.deep.equal(['visit-1', 'visit-2', 'visit-3']);
  });

  it("a follower's request past the leader's outbox limit is refused with outbox-full", async () => {
    const clients = [tab({ outboxLimit: 2 }), tab({ outboxLimit: 2 })];
    h.network.online = false;
    await start(...clients);
    const follower = clients.find((client) => client.role === 'follower')!;
    const full: string[] = [];
    follower.on('outbox-full', (event) => full.push(event.type));
    const queued = [1, 2].map((n) => failure(follower.request('check_in', { memberId: member(n) })));
    const third = failure(follower.request('check_in', { memberId: member(3) }));
    expect((await third)?.code).to.equal('outbox-full');
    expect(full).to.deep.equal(['check_in']);
    for (const client of tabs.splice(0)) client.dispose();
    expect((await Promise.all(queued)).map((error) => error?.code)).to.deep.equal(['closed', 'closed']);
  });

  it('a follower borrows the leader\'s token: one token fetch for the whole browser', async () => {
    let fetches = 0;
    // A body-less stand-in: a real Response body needs a real task, which the fake clock never runs.
    const fetch = (async () => {
      const body = JSON.stringify({ access: `token-${++fetches}` });
      return { status: 200, ok: true, headers: new Headers({ 'Content-Type': 'application/json' }), text: async () => body } as Response;
    }) as typeof globalThis.fetch;
    const clients = [tab({ token: undefined, tokenUrl: '/token', fetch }), tab({ token: undefined, tokenUrl: '/token', fetch }), tab({ token: undefined, tokenUrl: '/token', fetch })];
    await start(...clients);
    expect(clients.map((client) => client.state)).to.deep.equal(['open', 'open', 'open']);
    const follower = clients.find((client) => client.role === 'follower')!;
    expect(await follower.token()).to.equal('token-1');
    expect(fetches).to.equal(1);
    expect(h.gym.connections).to.have.length(1);
  });

  it('different URLs, token sources or share keys never share; share: none keeps a private socket', async () => {
    const provider = async () => 'p';
    const clients = [
      tab(),
      tab({ token: 'another-token' }),
      tab({ url: 'ws://gym.test/ws/checkins/?site=2' }),
      tab({ token: undefined, tokenProvider: provider }),
      tab({ token: undefined, tokenProvider: provider }),
      tab({ token: undefined, tokenProvider: provider, shareKey: 'user-1' }),
      tab({ token: undefined, tokenProvider: provider, shareKey: 'user-1' }),
      tab({ share: 'none' }),
    ];
    await start(...clients);
    expect(clients.map((client) => client.role)).to.deep.equal(['leader', 'leader', 'leader', 'leader', 'leader', 'leader', 'follower', 'leader']);
    expect(h.gym.connections).to.have.length(7);
  });

  it('where locks or channels are missing or throw, each tab runs its own socket, without an error', async () => {
    const refusing: TabsEnvironment = {
      locks: { request: () => Promise.reject(new DOMException('opaque origin', 'SecurityError')), query: async () => ({}) },
      channel: browser.tabs.channel,
    };
    const throwing: TabsEnvironment = {
      locks: new FakeLocks(),
      channel: () => {
        throw new DOMException('no channels here', 'SecurityError');
      },
    };
    const clients = [tab({ tabs: refusing }), tab({ tabs: refusing }), tab({ tabs: throwing }), tab({ tabs: throwing })];
    const errors: unknown[] = [];
    for (const client of clients) client.on('error', (event) => errors.push(event));
    await start(...clients);
    expect(clients.map((client) => [client.state, client.role])).to.deep.equal(Array(4).fill(['open', 'leader']));
    expect(h.gym.connections).to.have.length(4);
    expect(errors).to.deep.equal([]);
  });

  it('a leader whose page is frozen hands over, and follows when it is shown again', async () => {
    const watchers: { hidden(): void; shown(): void }[] = [];
    const env: TabsEnvironment = {
      ...browser.tabs,
      watchLifecycle: (hidden, shown) => {
        const watcher = { hidden, shown };
        watchers.push(watcher);
        return () => watchers.splice(watchers.indexOf(watcher), 1);
      },
    };
    const first = tab({ tabs: env });
    await start(first);
    const second = tab({ tabs: env });
    await start(second);
    expect([first.role, second.role]).to.deep.equal(['leader', 'follower']);
    watchers[0]!.hidden();
    await h.tick(TAKEOVER_JITTER + 10);
    expect([first.state, second.role, second.state]).to.deep.equal(['closed', 'leader', 'open']);
    watchers[0]!.shown();
    await h.tick(1);
    expect([first.role, first.state]).to.deep.equal(['follower', 'open']);
    expect(h.gym.connections.filter((socket) => socket.readyState === WebSocket.OPEN)).to.have.length(1);
  });

  it('disposing every tab leaves no channel open and no lock held or waited for', async () => {
    const clients = [tab(), tab(), tab()];
    await start(...clients);
    for (const client of clients) client.dispose();
    await h.tick(1);
    expect(browser.channels.size).to.equal(0);
    expect(await browser.locks.query()).to.deep.equal({ held: [], pending: [] });
  });
});
