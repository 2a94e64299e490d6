import type { Clock } from './environment.js';
import { GymClientError } from './errors.js';
import type { StateReason } from './events.js';
import { Follower } from './follower.js';
import { LeaderDuty } from './leader-duty.js';
import { FollowerLink, LeaderLink, type Link, type LinkParts } from './link.js';
import type { Outgoing } from './outbound.js';
import { decideTakeover } from './policy.js';
import { TabGroup, type TabsEnvironment } from './tab-group.js';
import { isTabMessage, type FollowerMessage, type LeaderMessage } from './tab-messages.js';

export interface TabShareHooks {
  /** The link this tab runs through from now on: a follower's, then, once elected, a leader's. */
  linked(link: Link): void;
  /** Web Locks or BroadcastChannel failed: the client runs its own link instead. */
  unavailable(): void;
  /** A request this tab takes back when it leaves, for whatever link the client holds next. */
  requeue(item: Outgoing): void;
  retryNow(): void;
}

export interface TabShareOptions {
  clock: Clock;
  random: () => number;
  outboxLimit: number;
}

/**
 * This tab's membership in the group of tabs that share one link (same URL and token source):
 * it follows until the election lock makes it the leader, then leads until it leaves. One
 * membership per group joined; after `leave()` it ignores whatever the group still says.
 */
export class TabShare {
  readonly #group: TabGroup;
  readonly #parts: LinkParts;
  readonly #hooks: TabShareHooks;
  readonly #options: TabShareOptions;
  #link: FollowerLink | LeaderLink;
  #left = false;
  /** Joined with this tab's own socket already running (see `join`), until the election settles. */
  #early = false;

  constructor(env: TabsEnvironment, name: string, parts: LinkParts, hooks: TabShareHooks, options: TabShareOptions) {
    this.#parts = parts;
    this.#hooks = hooks;
    this.#options = options;
    const group: TabGroup = new TabGroup(env, name, {
      lead: () => parts.report.guard(() => this.#lead()),
      queued: () => group.post({ k: 'hello', from: group.id } satisfies FollowerMessage),
      message: (data) => parts.report.guard(() => this.#hear(data)),
      unavailable: () =>
        parts.report.guard(() => {
          if (!this.#left) hooks.unavailable();
        }),
    });
    this.#group = group;
    this.#link = new FollowerLink(parts, this.#follower());
  }

  /**
   * Joins as a follower, taking this tab's queued requests along; false when the group is
   * unavailable (the `unavailable` hook has then been called already).
   */
  join(reason: StateReason, early = false): boolean {
    if (early) {
      // No token to share (a page through the gateway): the client connected at once, and the
      // election runs beside it. Elected, this socket is the leader's; another tab leading, it goes.
      this.#early = true;
      return this.#group.join();
    }
    const { connection, outbound } = this.#parts;
    const link = this.#link as FollowerLink;
    this.#hooks.linked(link);
    // Reconfigured while running: this tab's socket closes quietly, since the tab now shows the group's state.
    if (connection.state !== 'idle' && connection.state !== 'closed') connection.close(false);
    for (const item of outbound.takeQueued()) link.follower.enqueue(item);
    this.#parts.report.show({ state: 'connecting', reason });
    return this.#group.join();
  }

  /**
   * Leaves the group. A leader lets another tab take over (the requests follower tabs handed it
   * go: those tabs hand them to the next leader); a follower takes back what the leader never wrote.
   */
  leave(): void {
    if (this.#left) return;
    this.#left = true;
    const link = this.#link;
    if (link instanceof FollowerLink) {
      for (const item of link.follower.takeBack()) this.#hooks.requeue(item);
      for (const ask of link.follower.takeTokenAsks()) ask.reject(new GymClientError('The client stopped before the leading tab lent its token', 'closed'));
      this.#group.post({ k: 'bye', from: this.#group.id } satisfies FollowerMessage);
    } else {
      this.#parts.outbound.dropForwarded();
      this.#parts.report.events.emit('leadership', { leading: false, tabs: link.duty.tabs });
    }
    this.#group.leave();
  }

  #follower(): Follower {
    const parts = this.#parts;
    const { outboxLimit } = this.#options;
    const follower: Follower = new Follower(
      this.#group.id,
      (message) => this.#group.post(message),
      {
        state: (change) => {
          if (this.#left || !(this.#link instanceof FollowerLink)) return;
          // Figures the leader had before this tab joined: elements here have not seen them yet.
          const stats = follower.snapshot?.stats;
          if (stats && !parts.inbound.stats) parts.inbound.inject({ type: 'initial_stats', payload: stats });
          parts.report.show(change);
          parts.report.delayed(follower.snapshot?.delayedSince);
        },
        frame: (data) => parts.inbound.receive(data),
        configError: (message) => parts.report.configError(message),
        outboxFull: (type) => parts.report.events.emit('outbox-full', { type, limit: outboxLimit }),
      },
      outboxLimit,
    );
    return follower;
  }

  /** The lock is this tab's: it takes over the link, with what it had handed to the old leader. */
  #lead(): void {
    const link = this.#link;
    if (this.#left || !(link instanceof FollowerLink)) return;
    const { connection, outbound } = this.#parts;
    if (this.#early) {
      // Its own socket, already running, is the leader's now.
      this.#early = false;
      const duty = this.#duty();
      this.#becomeLeader(duty);
      duty.recount();
      return;
    }
    const snap = link.follower.snapshot;
    const unanswered = link.follower.takeBack('lead');
    const asks = link.follower.takeTokenAsks();
    const duty = this.#duty();
    this.#becomeLeader(duty);
    for (const item of unanswered) outbound.enqueue(item);
    for (const ask of asks) connection.tokens.get(false).then(ask.resolve, ask.reject);
    outbound.adopt();
    // Starting tells the followers who leads, with the state it starts in.
    const { clock, random } = this.#options;
    if (snap) connection.takeOver(decideTakeover(snap.state, snap.nextAttemptAt, clock.now(), random), snap.retry);
    else connection.start('connect');
    // Counts the tabs already waiting, and tells them who leads.
    duty.recount();
  }

  #becomeLeader(duty: LeaderDuty): void {
    this.#link = new LeaderLink(this.#parts, duty);
    this.#hooks.linked(this.#link);
    this.#parts.report.events.emit('leadership', { leading: true, tabs: duty.tabs });
  }

  #duty(): LeaderDuty {
    const { connection, outbound, inbound } = this.#parts;
    const group = this.#group;
    return new LeaderDuty({
      tab: group.id,
      post: (message: LeaderMessage) => group.post(message),
      snapshot: () => ({
        state: connection.state,
        nextAttemptAt: connection.nextAttemptAt,
        retry: connection.retry,
        counters: { ...this.#parts.counters },
        outboxDepth: outbound.depth,
        awaitingReply: outbound.awaiting,
        stats: inbound.stats,
        delayedSince: this.#parts.report.delayedSince,
      }),
      enqueue: (item) => outbound.enqueue(item),
      token: () => connection.tokens.get(false),
      retryNow: () => this.#hooks.retryNow(),
      count: () => group.count(),
      internal: (error) => this.#parts.report.internal(error),
    });
  }

  /** Another tab leads, and this one joined early: its own socket goes, and it follows from now on. */
  #follow(link: FollowerLink): void {
    this.#early = false;
    const { connection, outbound } = this.#parts;
    this.#hooks.linked(link);
    if (connection.state !== 'idle' && connection.state !== 'closed') connection.close(false);
    for (const item of outbound.takeQueued()) link.follower.enqueue(item);
  }

  #hear(data: unknown): void {
    if (this.#left || !isTabMessage(data)) return;
    const link = this.#link;
    if (link instanceof LeaderLink) return link.duty.receive(data as FollowerMessage);
    const message = data as LeaderMessage;
    if (this.#early && (message.k === 'lead' || message.k === 'state')) this.#follow(link);
    link.follower.receive(message);
  }
}
