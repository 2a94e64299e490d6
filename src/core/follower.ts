import { GymClientError } from './errors.js';
import type { StateChange } from './events.js';
import type { Outgoing } from './outbound.js';
import type { FollowerMessage, LeaderMessage, LinkSnapshot } from './tab-messages.js';
import { newId } from './ids.js';

/** A request handed to the leader; `written` once the leader said it is writing it to the socket. */
interface Forwarded {
  item: Outgoing;
  written: boolean;
}

export interface FollowerHooks {
  /** The shared link changed state (`previous` is filled in by the client). */
  state(change: Omit<StateChange, 'previous'>): void;
  frame(data: unknown): void;
  configError(message: string): void;
  outboxFull(type: string): void;
}

/**
 * A tab that follows: it mirrors the leader's link, hears the frames the
 * leader receives, and hands its requests to the leader, which answers each
 * to this tab alone, under the request's id. When the leader goes without
 * answering (it crashed, or closed), every request it left unanswered is
 * handed to the next leader (or sent by this tab, when it leads next) under
 * the same id; those it said it was writing go as `maybeWritten`, so that
 * the server's "already checked in" for them counts as the success it is.
 */
export class Follower {
  leader: string | undefined;
  snapshot: LinkSnapshot | undefined;
  readonly #forwarded = new Map<string, Forwarded>();
  readonly #tokenAsks = new Map<string, { resolve(token: string | undefined): void; reject(error: Error): void }>();

  readonly #tab: string;
  readonly #post: (message: FollowerMessage) => void;
  readonly #hooks: FollowerHooks;
  readonly #outboxLimit: number;

  constructor(tab: string, post: (message: FollowerMessage) => void, hooks: FollowerHooks, outboxLimit: number) {
    this.#tab = tab;
    this.#post = post;
    this.#hooks = hooks;
    this.#outboxLimit = outboxLimit;
  }

  /** Requests the leader has not said it is writing. */
  get unwritten(): number {
    let count = 0;
    for (const entry of this.#forwarded.values()) if (!entry.written) count++;
    return count;
  }

  /** Hands `item` to the leader (or keeps it until one is known); false when the shared outbox is full. */
  enqueue(item: Outgoing): boolean {
    if ((this.snapshot?.outboxDepth ?? 0) + this.unwritten >= this.#outboxLimit) {
      item.reply?.reject(new GymClientError(`The outbox is full (${this.#outboxLimit} requests waiting); this one was not queued`, 'outbox-full'));
      this.#hooks.outboxFull(item.type);
      return false;
    }
    item.id ??= newId();
    this.#forwarded.set(item.id, { item, written: false });
    this.#forward(item);
    return true;
  }

  /** The token the leader connects with, for REST calls beside the socket. */
  token(): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const id = newId();
      this.#tokenAsks.set(id, { resolve, reject });
      if (this.leader) this.#post({ k: 'token?', to: this.leader, from: this.#tab, id });
    });
  }

  retryNow(): void {
    if (this.leader) this.#post({ k: 'retry-now', to: this.leader });
  }

  receive(message: LeaderMessage): void {
    switch (message.k) {
      case 'lead':
        this.#follow(message.leader, message.snap, { state: message.snap.state, reason: 'handover', ...(message.snap.nextAttemptAt === undefined ? {} : { nextAttemptAt: message.snap.nextAttemptAt }) });
        break;
      case 'state':
        this.#follow(message.leader, message.snap, message.change);
        break;
      case 'frame':
        if (message.leader === this.leader) this.#hooks.frame(message.data);
        break;
      case 'config-error':
        if (message.leader === this.leader) this.#hooks.configError(message.message);
        break;
      case 'writing': {
        const entry = this.#forwarded.get(message.id);
        if (!entry) return;
        entry.written = true;
        if (!entry.item.reply) this.#forwarded.delete(message.id);
        break;
      }
      case 'settled': {
        const entry = this.#forwarded.get(message.id);
        if (!entry) return;
        this.#forwarded.delete(message.id);
        if (message.error?.code === 'outbox-full') this.#hooks.outboxFull(entry.item.type);
        if (message.error) entry.item.reply?.reject(new GymClientError(message.error.message, message.error.code));
        else if (message.checkIn) entry.item.reply?.resolve(message.checkIn);
        break;
      }
      case 'token': {
        const ask = this.#tokenAsks.get(message.id);
        this.#tokenAsks.delete(message.id);
        if (message.error) ask?.reject(new GymClientError(message.error.message, message.error.code));
        else ask?.resolve(message.token);
        break;
      }
    }
  }

  /**
   * Returns the requests the leader left unanswered, to be sent by this tab's own link, under their ids.
   * `lead`: this tab leads now, in the leader's place: what it was writing goes as `maybeWritten`.
   * `leave`: this tab leaves the group (closed, frozen, another URL) while the leader stays and may
   * still answer to no one: what it was writing fails `connection-lost`, as on a lost socket.
   */
  takeBack(why: 'lead' | 'leave' = 'leave'): Outgoing[] {
    if (why === 'lead') this.#leaderGone();
    else this.#failWritten();
    const unwritten = [...this.#forwarded.values()].map((entry) => entry.item);
    this.#forwarded.clear();
    this.leader = undefined;
    this.snapshot = undefined;
    return unwritten;
  }

  /** Token asks this tab now answers itself (it leads), or that can no longer be answered. */
  takeTokenAsks(): { resolve(token: string | undefined): void; reject(error: Error): void }[] {
    const asks = [...this.#tokenAsks.values()];
    this.#tokenAsks.clear();
    return asks;
  }

  #follow(leader: string, snap: LinkSnapshot, change: Omit<StateChange, 'previous'>): void {
    const changed = leader !== this.leader;
    if (changed && this.leader !== undefined) this.#leaderGone();
    this.leader = leader;
    this.snapshot = snap;
    if (changed) {
      for (const { item } of this.#forwarded.values()) this.#forward(item);
      for (const id of this.#tokenAsks.keys()) this.#post({ k: 'token?', to: leader, from: this.#tab, id });
    }
    this.#hooks.state(change);
  }

  #forward(item: Outgoing): void {
    if (!this.leader) return;
    const maybe = item.maybeWritten ? { maybeWritten: true } : {};
    this.#post({ k: 'send', to: this.leader, from: this.#tab, id: item.id!, type: item.type, payload: item.payload, reply: item.reply !== undefined, ...maybe });
  }

  /**
   * The leader went without answering: what it said it was writing may have reached the server. The
   * notice goes before the write, so what it never said it never wrote (with `persist`, the mark in its
   * stored queue backs this up when a notice is lost with the tab). Nothing fails here; the next writer
   * is told.
   */
  #leaderGone(): void {
    for (const entry of this.#forwarded.values()) {
      if (entry.written) entry.item.maybeWritten = true;
      entry.written = false;
    }
  }

  #failWritten(): void {
    for (const [id, entry] of this.#forwarded) {
      if (!entry.written) continue;
      this.#forwarded.delete(id);
      entry.item.reply?.reject(new GymClientError('The tab holding the connection went away before the server answered; the request may have been delivered', 'connection-lost'));
    }
  }
}
