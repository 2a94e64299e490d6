import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { RealtimeClient } from '../../src/core/client.js';
import { Emitter } from '../../src/core/emitter.js';
import { systemClock } from '../../src/core/environment.js';
import type { ClientEvents } from '../../src/core/events.js';
import { Outbound } from '../../src/core/outbound.js';
import type { GymClientError } from '../../src/core/errors.js';
import type { RealtimeClientOptions } from '../../src/core/options.js';
import type { ReconciledCheckIn } from '../../src/core/pending-replies.js';
import { TAKEOVER_JITTER } from '../../src/core/policy.js';
import type { TabsEnvironment } from '../../src/core/tab-group.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { fakeBrowser, FakeLocks, type CrashPoint, type FakeTab } from '../helpers/fake-tabs.js';
import { member, stats, visit } from '../helpers/fixtures.js';
import { TabStorage } from '../helpers/memory-storage.js';
import { GYM_URL, MockGym, type Frame } from '../helpers/mock-gym.js';
import type { CheckIn } from '../../src/protocol/types.js';

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
    // A heartbeat refreshes the followers' figures meanwhile: that changes nothing for requests in flight,
    // and no follower hands its request to the same leader again (every refresh would resend it).
    const sends = () => browser.channels.posted.filter((message) => (message as { k?: string }).k === 'send').length;
    expect(sends()).to.equal(3);
    await h.tick(1000);
    expect(h.gym.received('heartbeat')).to.have.length(1);
    expect(checkIns()).to.have.length(3);
    expect(sends(), 'requests handed to the leader').to.equal(3);
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

  it('a follower that moves to another URL fails what the leader was writing for it (connection-lost): it never goes to the other gym', async () => {
    const elsewhere = new MockGym('ws://elsewhere.test/ws/checkins/');
    try {
      const clients = [tab({ WebSocket: wherever(elsewhere) }), tab({ WebSocket: wherever(elsewhere) })];
      await start(...clients);
      const follower = clients.find((client) => client.role === 'follower')!;
      const written = failure(follower.request('check_in', { memberId: member(1) }));
      await h.tick(60);
      expect(checkIns()).to.have.length(1);
      follower.configure({ url: 'ws://elsewhere.test/ws/checkins/' });
      expect((await written)?.code).to.equal('connection-lost');
      await h.tick(TAKEOVER_JITTER + 60);
      expect(follower.state).to.equal('open');
      expect(elsewhere.received('check_in')).to.deep.equal([]);
      expect(elsewhere.received('batch')).to.deep.equal([]);
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

  it('without a token (through the gateway), a tab connects at once, the election beside it: the elected keeps its socket, another closes its own and follows', async () => {
    const first = tab({ token: undefined });
    first.connect();
    // No election to wait for: the socket is asked for in the same turn.
    await h.tick(0);
    expect(h.gym.urls, 'a socket before the election settled').to.have.length(1);
    await h.tick(10);
    expect([first.state, first.role]).to.deep.equal(['open', 'leader']);
    const second = tab({ token: undefined });
    second.connect();
    await h.tick(0);
    expect(h.gym.urls, 'the second tab connects at once too').to.have.length(2);
    await h.tick(10);
    expect([second.state, second.role]).to.deep.equal(['open', 'follower']);
    expect(h.gym.connections.filter((socket) => socket.readyState === 1), 'one socket left open').to.have.length(1);
    // The leader never reconnected for it; the follower hears the leader's frames.
    expect(first.metrics.connectAttempts).to.equal(1);
    const heard: string[] = [];
    second.subscribe('member_checked_in', (message) => heard.push(message.payload.id));
    h.gym.send({ type: 'member_checked_in', payload: visit(1) });
    await h.tick(1);
    expect(heard).to.deep.equal(['visit-1']);
    expect(second.state).to.equal('open');
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

/**
 * The gym's door, as AV-Gym keeps it: a member checks in once; a second check-in while they are in
 * is refused with "<name> is already checked in". Answers each check-in on the socket it came on, in
 * order, the success naming the member (`visit(n)`); records who checked in, once each.
 */
function door(gym: MockGym) {
  const visits: string[] = [];
  gym.server.on('connection', (socket) =>
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      const items = (frame.type === 'check_in' ? [frame.payload] : (frame.batches?.check_in ?? [])) as { memberId: string }[];
      for (const { memberId } of items) {
        const n = Number(memberId.slice(-12));
        if (visits.includes(memberId)) socket.send(JSON.stringify({ type: 'check_in_error', payload: { error: `Member ${n} is already checked in` } }));
        else {
          visits.push(memberId);
          socket.send(JSON.stringify({ type: 'check_in_success', payload: visit(n) }));
        }
      }
    }),
  );
  return { visits };
}

/** Where a leading tab dies, from the socket opening to the follower hearing the answer. */
const CRASH_POINTS: { name: string; point: CrashPoint; reachedTheGym: boolean }[] = [
  { name: 'when the socket opens, before anything is written', point: { at: 'open' }, reachedTheGym: false },
  { name: 'before the mark', point: { at: 'store', when: (key, value) => key.endsWith('#sent') && value.includes('check_in') }, reachedTheGym: false },
  { name: 'between the stored mark and the notice to the follower', point: { at: 'post', when: (message) => message.k === 'writing' }, reachedTheGym: false },
  { name: 'between the mark and the write', point: { at: 'send', when: (frame) => frame.includes('check_in') }, reachedTheGym: false },
  { name: 'after the write, before the reply', point: { at: 'sent', when: (frame) => frame.includes('check_in') }, reachedTheGym: true },
  { name: 'after the reply, before the notice', point: { at: 'post', when: (message) => message.k === 'settled' }, reachedTheGym: true },
];

describe('RealtimeClient: a leading tab that dies at any moment — every check-in reaches the gym once, and its tab hears it succeeded', () => {
  let h: Harness;
  let browser: ReturnType<typeof fakeBrowser>;
  let gym: ReturnType<typeof door>;
  const tabs: RealtimeClient[] = [];
  const KEY = 'gym-realtime-widgets.outbox';

  const tab = (options: Partial<RealtimeClientOptions> = {}) => {
    const client = new RealtimeClient({ url: GYM_URL, token: 'fixed-token', WebSocket: h.gym.WebSocket, environment: h.network, random: () => 0.5, tabs: browser.tabs, locks: browser.locks, ...options });
    tabs.push(client);
    return client;
  };
  /** How many copies of each member's check-in the gym received, by member number. */
  const copies = () => {
    const count: Record<number, number> = {};
    for (const frame of h.gym.received()) {
      for (const payload of (frame.type === 'check_in' ? [frame.payload] : (frame.batches?.check_in ?? [])) as { memberId: string }[]) {
        const n = Number(payload.memberId.slice(-12));
        count[n] = (count[n] ?? 0) + 1;
      }
    }
    return count;
  };
  const settled = (promise: Promise<CheckIn>) =>
    promise.then(
      (checkIn) => ({ ok: true, member: checkIn.member.id, reconciled: (checkIn as Partial<ReconciledCheckIn>).reconciled }),
      (error: GymClientError) => ({ ok: false, code: error.code, message: error.message }),
    );

  /**
   * Two tabs, the link down; three check-ins made in each (the leader's own 1, 3, 5, the follower's
   * 2, 4, 6). The link comes back: "retry now" in the leading tab, which dies at `point`. The follower
   * takes over. `persist`: both keep what they queue in the storage the tabs share.
   */
  async function scenario(point: CrashPoint, persist: boolean, prepare: (dying: FakeTab) => void = () => {}) {
    const shared = new TabStorage();
    const dying = browser.tab();
    prepare(dying);
    const leader = tab({ tabs: dying.tabs, locks: dying.locks, WebSocket: dying.WebSocket(h.gym.WebSocket), ...(persist ? { outboxStorage: dying.storage(shared) } : {}) });
    leader.connect();
    await h.tick(10);
    const follower = tab(persist ? { outboxStorage: shared } : {});
    follower.connect();
    await h.tick(10);
    expect([leader.role, follower.role, follower.state]).to.deep.equal(['leader', 'follower', 'open']);
    const restored: ClientEvents['restored-reply'][] = [];
    follower.on('restored-reply', (event) => restored.push(event));
    h.gym.acceptToken = () => false;
    h.gym.drop();
    await h.tick(5);
    expect(follower.state).to.equal('reconnecting');
    const asked: ReturnType<typeof settled>[] = [];
    // In turn, so that the leader's queue holds them in this order: 1 (its own), 2 (the follower's), 3, …
    for (const n of [1, 2, 3, 4, 5, 6]) {
      if (n % 2) void leader.request('check_in', { memberId: member(n) }).catch(() => {});
      else asked.push(settled(follower.request('check_in', { memberId: member(n) })));
      await h.tick(1);
    }
    expect(leader.metrics.outboxDepth).to.equal(6);
    h.gym.acceptToken = () => true;
    dying.crashAt(point);
    leader.reconnectNow();
    await h.tick(60);
    expect(dying.crashed, 'the leading tab died').to.equal(true);
    await h.tick(TAKEOVER_JITTER + 100);
    expect([follower.role, follower.state]).to.deep.equal(['leader', 'open']);
    return { shared, answers: await Promise.all(asked), restored };
  }

  beforeEach(() => {
    h = createHarness();
    browser = fakeBrowser();
    gym = door(h.gym);
  });
  afterEach(() => {
    for (const client of tabs.splice(0)) client.dispose();
    h.restore();
  });

  for (const { name, point, reachedTheGym } of CRASH_POINTS) {
    it(`with persist, the leader dies ${name}`, async () => {
      const { shared, answers, restored } = await scenario(point, true);
      expect(gym.visits.map((id) => Number(id.slice(-12))).sort()).to.deep.equal([1, 2, 3, 4, 5, 6]);
      // The follower's three succeeded; where the gym had them already, the answer says so.
      expect(answers).to.deep.equal(
        [2, 4, 6].map((n) => ({ ok: true, member: member(n), reconciled: reachedTheGym ? `Member ${n} is already checked in` : undefined })),
      );
      // What the dead tab itself asked and had no answer for is sent by the next one, once; none of it is refused.
      const unanswered = point.at === 'post' && reachedTheGym ? [3, 5] : [1, 3, 5];
      expect(restored.map(({ ok, checkIn }) => ({ ok, member: checkIn?.member.id, reconciled: (checkIn as Partial<ReconciledCheckIn> | undefined)?.reconciled }))).to.deep.equal(
        unanswered.map((n) => ({ ok: true, member: member(n), reconciled: reachedTheGym ? `Member ${n} is already checked in` : undefined })),
      );
      // Before the write nothing went twice; after it, what had no answer went again, and the copy the gym
      // refused counted as the success it was.
      const again = reachedTheGym ? [...unanswered, 2, 4, 6] : [];
      expect(copies()).to.deep.equal(Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [n, again.includes(n) ? 2 : 1])));
      // Nothing is left to send once everything is answered.
      expect([...shared.data.keys()].filter((key) => key.startsWith(KEY)).map((key) => shared.getItem(key))).to.deep.equal([]);
    });
  }

  for (const { name, point, reachedTheGym } of CRASH_POINTS.filter(({ point }) => point.at !== 'store')) {
    it(`without persist, the leader dies ${name}: the follower's own check-ins still succeed once`, async () => {
      const { answers } = await scenario(point, false);
      expect(answers).to.deep.equal(
        [2, 4, 6].map((n) => ({ ok: true, member: member(n), reconciled: reachedTheGym ? `Member ${n} is already checked in` : undefined })),
      );
      for (const n of [2, 4, 6]) expect(gym.visits.filter((id) => id === member(n)), `member ${n}`).to.have.length(1);
    });
  }

  it("a check-in the dead leader never marked stays refused when the member is in already: only a copy that may have gone counts as done", async () => {
    gym.visits.push(member(2));
    const { answers } = await scenario({ at: 'store', when: (key, value) => key.endsWith('#sent') && value.includes('check_in') }, true);
    expect(answers[0]).to.deep.equal({ ok: false, code: 'rejected', message: 'Member 2 is already checked in' });
    expect(answers.slice(1).map((answer) => answer.ok)).to.deep.equal([true, true]);
  });

  for (const adoption of ['before', 'after'] as const) {
    it(`the notice is lost with the tab but the frame went: the stored mark tells the next leader (its queue adopted ${adoption} the next write)`, async () => {
      let release = () => {};
      // Another tab holds the adoption lock: the next leader writes its own requests before it reads the dead tab's queue.
      if (adoption === 'after') void browser.locks.request(`${KEY}:adopt`, () => new Promise<void>((done) => (release = done)));
      const { answers } = await scenario({ at: 'sent', when: (frame) => frame.includes('check_in') }, true, (dying) => dying.lose((message) => message.k === 'writing'));
      expect(answers).to.deep.equal([2, 4, 6].map((n) => ({ ok: true, member: member(n), reconciled: `Member ${n} is already checked in` })));
      release();
      await h.tick(100);
      expect(gym.visits.map((id) => Number(id.slice(-12))).sort()).to.deep.equal([1, 2, 3, 4, 5, 6]);
    });
  }
});

describe('Outbound: a copy of a request (the same id) is never written twice', () => {
  let clock: sinon.SinonFakeTimers;
  let frames: string[];
  let outbound: Outbound;
  const TIMINGS = { batchWindow: 50, maxBatchSize: 50, outboxLimit: 10, requestTimeout: 15_000 };
  /** A request with id `x` for member 1, and how it settled. */
  const copy = () => {
    const seen: { writing: number; settled?: string } = { writing: 0 };
    const payload = { memberId: member(1) };
    const item = {
      id: 'x',
      type: 'check_in',
      payload,
      writing: () => seen.writing++,
      reply: { type: 'check_in' as const, payload, resolve: (checkIn: CheckIn) => (seen.settled = checkIn.id), reject: (error: Error) => (seen.settled = error.message) },
    };
    return { item, seen };
  };

  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    frames = [];
    outbound = new Outbound(TIMINGS, systemClock, (callback) => callback(), new Emitter<ClientEvents>(() => {}), undefined, () => true, (text) => frames.push(text));
  });
  afterEach(() => clock.restore());

  it('a copy that comes within the batch window joins the first: one write', async () => {
    const [first, second] = [copy(), copy()];
    outbound.enqueue(first.item);
    outbound.enqueue(second.item);
    await clock.tickAsync(50);
    expect(frames).to.have.length(1);
    outbound.answer({ type: 'check_in_success', payload: visit(1) });
    expect(second.seen.settled).to.equal('visit-1');
  });

  it('a copy of a request in flight gets its answer when it comes', async () => {
    const [first, second] = [copy(), copy()];
    outbound.enqueue(first.item);
    await clock.tickAsync(50);
    outbound.enqueue(second.item);
    await clock.tickAsync(50);
    expect(frames).to.have.length(1);
    // For the copy's tab it is being written: it hears so, as the first did.
    expect([first.seen.writing, second.seen.writing]).to.deep.equal([1, 1]);
    outbound.answer({ type: 'check_in_success', payload: visit(1) });
    expect([first.seen.settled, second.seen.settled]).to.deep.equal(['visit-1', 'visit-1']);
  });

  it('a copy of a request already answered gets that answer at once', async () => {
    const [first, second] = [copy(), copy()];
    outbound.enqueue(first.item);
    await clock.tickAsync(50);
    outbound.answer({ type: 'check_in_error', payload: { error: 'Member matching query does not exist.' } });
    outbound.enqueue(second.item);
    await clock.tickAsync(50);
    expect(frames).to.have.length(1);
    expect(second.seen.settled).to.equal('Member matching query does not exist.');
  });
});
