import { encodeBatch, encodeMessage, type BatchItem } from '../protocol/codec.js';
import type { BatchableType, CheckIn } from '../protocol/types.js';
import type { Emitter } from './emitter.js';
import type { Clock } from './environment.js';
import { GymClientError } from './errors.js';
import type { ClientEvents } from './events.js';
import type { ReplyMessage } from './inbound.js';
import type { ClientTimings } from './options.js';
import type { OutboxStore, StoredRequest } from './outbox-store.js';
import { PendingReplies, type PendingReply } from './pending-replies.js';
import { RecentKeys } from './recent-keys.js';
import { Timers } from './timers.js';

/** A message on its way out; `reply` when something waits for the server's answer. */
export interface Outgoing {
  type: string;
  payload: unknown;
  reply?: PendingReply | undefined;
  /** Set once the request is stored (`outboxStorage`), or by the tab that handed it over. */
  id?: string | undefined;
  /** The follower tab the request is from, when this tab leads for others. */
  from?: string | undefined;
  /** Called once the request is written to the socket. */
  written?: (() => void) | undefined;
}

export const isBatchable = (type: string): type is BatchableType => type === 'check_in' || type === 'check_out';

/**
 * Everything outbound: the bounded outbox while the link is down (optionally
 * kept in storage), batching of `check_in` / `check_out` within a window,
 * and pairing the server's replies with the requests written.
 */
export class Outbound {
  readonly #outbox: Outgoing[] = [];
  readonly #batch: Outgoing[] = [];
  readonly #replies = new PendingReplies();
  readonly #timers: Timers<'batch'>;
  /** An adoption of stored requests is under way. */
  #adopting = false;
  /** Ids of stored requests taken this session, so that a second copy of one is not sent again. */
  readonly #written = new RecentKeys(1000);

  readonly #timings: Pick<ClientTimings, 'batchWindow' | 'maxBatchSize' | 'outboxLimit' | 'requestTimeout'>;
  readonly #clock: Clock;
  readonly #events: Emitter<ClientEvents>;
  readonly #store: OutboxStore | undefined;
  readonly #live: () => boolean;
  readonly #write: (text: string) => void;

  constructor(
    timings: Pick<ClientTimings, 'batchWindow' | 'maxBatchSize' | 'outboxLimit' | 'requestTimeout'>,
    clock: Clock,
    guard: (callback: () => void) => void,
    events: Emitter<ClientEvents>,
    store: OutboxStore | undefined,
    /** True while frames may be written. */
    live: () => boolean,
    /** Writes a frame to the open socket. */
    write: (text: string) => void,
  ) {
    this.#timings = timings;
    this.#clock = clock;
    this.#events = events;
    this.#store = store;
    this.#live = live;
    this.#write = write;
    this.#timers = new Timers(clock, guard);
  }

  /** Requests waiting to be written. */
  get depth(): number {
    return this.#outbox.length + this.#batch.length;
  }

  /** Requests written and waiting for their reply. */
  get awaiting(): number {
    return this.#replies.size;
  }

  /** Writes `item` now (while live) or queues it; false when the outbox is full. */
  enqueue(item: Outgoing): boolean {
    if (item.id !== undefined && this.#known(item)) return true;
    if (this.#live()) {
      this.#dispatch(item);
      return true;
    }
    const limit = this.#timings.outboxLimit;
    if (this.#outbox.length >= limit) {
      item.reply?.reject(new GymClientError(`The outbox is full (${limit} requests waiting); this one was not queued`, 'outbox-full'));
      this.#events.emit('outbox-full', { type: item.type, limit });
      return false;
    }
    if (this.#store) item.id ??= this.#store.newId();
    this.#outbox.push(item);
    this.#persist();
    return true;
  }

  /** The link is live: everything queued goes out, in order; then what tabs that are gone left stored. */
  opened(): void {
    this.#flush();
    this.adopt();
  }

  /** The socket is gone: unsent batch items return to the outbox, unanswered requests fail. */
  lost(): void {
    this.#timers.clear('batch');
    if (this.#batch.length) {
      const unsent = this.#batch.splice(0);
      if (this.#store) for (const item of unsent) item.id ??= this.#store.newId();
      this.#outbox.unshift(...unsent);
      this.#persist();
    }
    for (const pending of this.#replies.drain()) {
      pending.reject(new GymClientError('The connection was lost before the server answered; the request may have been delivered', 'connection-lost'));
    }
  }

  /** Settles the request a reply answers. */
  answer(message: ReplyMessage): void {
    switch (message.type) {
      case 'check_in_success':
      case 'check_out_success':
        this.#replies.takeSuccess(message.type === 'check_in_success' ? 'check_in' : 'check_out', message.payload)?.resolve(message.payload);
        break;
      default:
        this.#replies.takeError(message.type === 'check_in_error' ? 'check_in' : 'check_out')?.reject(new GymClientError(message.payload.error, 'rejected'));
    }
  }

  /**
   * Takes back what was never written (this tab stops leading): its own requests are returned,
   * those of follower tabs dropped, since their tabs hand them to the next leader.
   */
  takeQueued(): Outgoing[] {
    this.#timers.clear('batch');
    const queued = [...this.#outbox.splice(0), ...this.#batch.splice(0)];
    this.#persist();
    return queued.filter((item) => item.from === undefined);
  }

  /** This tab stops leading: the requests follower tabs handed it go, since those tabs hand them to the next leader. */
  dropForwarded(): void {
    const own = this.#outbox.filter((item) => item.from === undefined);
    this.#outbox.splice(0, this.#outbox.length, ...own);
    this.#persist();
  }

  /** Rejects what is queued (`closed`); what is stored stays stored, for a later page to send. */
  dispose(): void {
    const message = this.#store ? 'The client was disposed; the request stays stored and a later page sends it' : 'The client was disposed before this request was sent';
    for (const item of this.#outbox.splice(0)) item.reply?.reject(new GymClientError(message, 'closed'));
    this.#store?.release();
  }

  /** Queues the requests that pages or tabs which are gone left in storage (each once). */
  adopt(): void {
    if (!this.#store || this.#adopting) return;
    this.#adopting = true;
    const report = (error: string) => this.#events.emit('storage-error', { error });
    this.#store
      .adopt((items) => this.#take(items), report)
      .catch(() => report('stored requests of other tabs could not be read'))
      .finally(() => (this.#adopting = false));
  }

  #take(items: StoredRequest[]): void {
    const queued = new Set(this.#outbox.map((item) => item.id));
    // A copy left in two keys (a tab that died between storing and removing) is still sent once.
    const fresh = items.filter((item) => !queued.has(item.id) && this.#written.add(item.id));
    for (const { id, type, payload } of fresh) {
      let settled = false; // A late success after a timeout answers the same request again.
      const settle = (ok: boolean, extra: { checkIn?: CheckIn; message?: string }) => {
        if (!settled) this.#events.emit('restored-reply', { type, payload, ok, ...extra });
        settled = true;
      };
      const reply = isBatchable(type)
        ? { type, payload: payload as never, resolve: (checkIn: CheckIn) => settle(true, { checkIn }), reject: (error: Error) => settle(false, { message: error.message }) }
        : undefined;
      this.#outbox.push({ id, type, payload, reply });
    }
    this.#persist();
    if (fresh.length) this.#events.emit('outbox-restored', { count: fresh.length });
    if (this.#live()) this.#flush();
  }

  #flush(): void {
    for (const item of this.#outbox.splice(0)) this.#dispatch(item);
    this.#flushBatch();
    this.#persist();
  }

  #persist(): void {
    const error = this.#store?.save(this.#outbox.map(({ id, type, payload }) => ({ id: id!, type, payload })));
    if (error) this.#events.emit('storage-error', { error });
  }

  /**
   * A request handed over again under an id already known (a follower resending to a new leader what
   * the old one stored, or adopted from storage): it is not sent twice.
   */
  #known(item: Outgoing): boolean {
    const queued = this.#outbox.find((other) => other.id === item.id);
    if (queued) {
      Object.assign(queued, { reply: item.reply, from: item.from, written: item.written });
      return true;
    }
    if (!this.#written.has(item.id!)) return false;
    item.reply?.reject(new GymClientError('This request was already sent from storage; its answer went to the page that restored it', 'connection-lost'));
    return true;
  }

  #dispatch(item: Outgoing): void {
    if (!item.reply) {
      this.#write(encodeMessage(item));
      item.written?.();
      return;
    }
    this.#batch.push(item);
    if (this.#batch.length >= this.#timings.maxBatchSize) this.#flushBatch();
    else if (!this.#timers.has('batch')) this.#timers.set('batch', this.#timings.batchWindow, () => this.#flushBatch());
  }

  #flushBatch(): void {
    this.#timers.clear('batch');
    while (this.#batch.length > 0) {
      const items = this.#batch.splice(0, this.#timings.maxBatchSize);
      this.#write(encodeBatch(items as BatchItem[]));
      for (const item of items) {
        this.#awaitReply(item.reply!);
        item.written?.();
      }
    }
  }

  #awaitReply(reply: PendingReply): void {
    const { resolve, reject } = reply;
    const clock = this.#clock;
    const timeout = this.#timings.requestTimeout;
    const timer = clock.setTimeout(() => reply.reject(new GymClientError(`No reply to ${reply.type} within ${timeout} ms`, 'timeout')), timeout);
    reply.resolve = (checkIn) => {
      clock.clearTimeout(timer);
      resolve(checkIn);
    };
    reply.reject = (error) => {
      clock.clearTimeout(timer);
      reject(error);
    };
    this.#replies.add(reply);
  }
}
