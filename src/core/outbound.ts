import { encodeBatch, encodeMessage, type BatchItem } from '../protocol/codec.js';
import type { BatchableType, CheckIn } from '../protocol/types.js';
import type { Emitter } from './emitter.js';
import type { Clock } from './environment.js';
import { GymClientError } from './errors.js';
import type { ClientEvents } from './events.js';
import type { ReplyMessage } from './inbound.js';
import type { ClientTimings } from './options.js';
import { newId } from './ids.js';
import type { OutboxStore, StoredRequest } from './outbox-store.js';
import { PendingReplies, reconcile, type PendingReply } from './pending-replies.js';
import { RecentKeys } from './recent-keys.js';
import { Timers } from './timers.js';

/** A message on its way out; `reply` when something waits for the server's answer. */
export interface Outgoing {
  type: string;
  payload: unknown;
  reply?: PendingReply | undefined;
  /**
   * The request's own id, given when it is queued (or by the tab that handed it over) and kept end to
   * end: in storage, from tab to tab, and when it is written again. Two copies with one id are one request.
   */
  id?: string | undefined;
  /** The follower tab the request is from, when this tab leads for others. */
  from?: string | undefined;
  /** Called just before the request is written to the socket: from then on the server may have it. */
  writing?: (() => void) | undefined;
  /**
   * A tab that may have written it went away before its answer reached anyone: the server may have it
   * already, so "already done" answers it (see `reconcile`).
   */
  maybeWritten?: boolean | undefined;
}

/** How a request this tab wrote was settled, for a copy of it that comes later. */
type Outcome = { checkIn: CheckIn } | { error: GymClientError };

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
  /** Written, waiting for their answer, by id: stored as possibly written, and joined by later copies. */
  readonly #inFlight = new Map<string, Outgoing>();
  /** How the requests this tab wrote were settled, by id, so that a later copy gets that answer instead of a second write. */
  readonly #answered = new RecentKeys<Outcome>(1000);

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
    item.id ??= newId();
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
      this.#outbox.unshift(...this.#batch.splice(0));
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
      default: {
        const pending = this.#replies.takeError(message.type === 'check_in_error' ? 'check_in' : 'check_out');
        if (!pending) return;
        const reconciled = reconcile(pending, message.payload.error);
        if (reconciled) pending.resolve(reconciled);
        else pending.reject(new GymClientError(message.payload.error, 'rejected'));
      }
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
    const fresh: StoredRequest[] = [];
    for (const item of items) {
      // A copy left in two keys (a tab that died between storing and removing), or one this tab holds
      // or sent already, is still sent once; its mark counts wherever it was found.
      const waiting = this.#waiting(item.id);
      if (waiting) waiting.maybeWritten ||= item.maybeWritten;
      else if (!this.#inFlight.has(item.id) && !this.#answered.has(item.id) && !fresh.some((other) => other.id === item.id)) fresh.push(item);
    }
    for (const { id, type, payload, maybeWritten } of fresh) {
      let settled = false; // A late success after a timeout answers the same request again.
      const settle = (ok: boolean, extra: { checkIn?: CheckIn; message?: string }) => {
        if (!settled) this.#events.emit('restored-reply', { type, payload, ok, ...extra });
        settled = true;
      };
      const reply = isBatchable(type)
        ? { type, payload: payload as never, resolve: (checkIn: CheckIn) => settle(true, { checkIn }), reject: (error: Error) => settle(false, { message: error.message }) }
        : undefined;
      this.#outbox.push({ id, type, payload, reply, maybeWritten });
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

  /**
   * Stores what a reload or another tab must not lose: the requests waiting to be written, and beside
   * them those written and not answered yet (which whoever adopts them resends as maybe written).
   */
  #persist(): void {
    if (!this.#store) return;
    const stored = ({ id, type, payload, maybeWritten }: Outgoing): StoredRequest => ({ id: id!, type, payload, ...(maybeWritten ? { maybeWritten } : {}) });
    const error = this.#store.save(this.#outbox.map(stored), [...this.#inFlight.values()].map(stored));
    if (error) this.#events.emit('storage-error', { error });
  }

  #waiting(id: string): Outgoing | undefined {
    return this.#outbox.find((other) => other.id === id) ?? this.#batch.find((other) => other.id === id);
  }

  /**
   * A request handed over again under an id already known (a follower resending to a new leader what
   * the old one stored, or adopted from storage): it is not written twice. A waiting copy takes the
   * newcomer's caller; a written one answers the newcomer too, when its answer comes or came.
   */
  #known(item: Outgoing): boolean {
    const id = item.id!;
    const waiting = this.#waiting(id);
    if (waiting) {
      Object.assign(waiting, { reply: item.reply, from: item.from, writing: item.writing, maybeWritten: waiting.maybeWritten || item.maybeWritten });
      return true;
    }
    const flying = this.#inFlight.get(id);
    const outcome = this.#answered.get(id);
    if (!flying?.reply && !outcome) return false;
    // For the newcomer's tab it is written (it may have been before its copy came).
    item.writing?.();
    const reply = item.reply;
    if (!reply) return true;
    if (outcome) {
      if ('checkIn' in outcome) reply.resolve(outcome.checkIn);
      else reply.reject(outcome.error);
      return true;
    }
    const first = flying!.reply!;
    const { resolve, reject } = first;
    first.resolve = (checkIn) => {
      resolve(checkIn);
      reply.resolve(checkIn);
    };
    first.reject = (error) => {
      reject(error);
      reply.reject(error);
    };
    return true;
  }

  #dispatch(item: Outgoing): void {
    if (!item.reply) {
      item.writing?.();
      this.#write(encodeMessage(item));
      return;
    }
    this.#batch.push(item);
    if (this.#batch.length >= this.#timings.maxBatchSize) this.#flushBatch();
    else if (!this.#timers.has('batch')) this.#timers.set('batch', this.#timings.batchWindow, () => this.#flushBatch());
  }

  /**
   * Writes the batch window's requests. Each is marked as possibly written before the frame goes: in
   * this tab's stored queue and, through `writing`, to the tab that asked. A tab that dies at any point
   * leaves either no mark and no write, or a mark, whoever resends then knowing that the server may
   * have it already. A mark found from another tab (a writer that died) goes with the request.
   */
  #flushBatch(): void {
    this.#timers.clear('batch');
    while (this.#batch.length > 0) {
      const items = this.#batch.splice(0, this.#timings.maxBatchSize);
      const marked = this.#store?.marked();
      for (const item of items) {
        if (marked?.has(item.id!)) item.maybeWritten = true;
        this.#inFlight.set(item.id!, item);
        this.#awaitReply(item);
      }
      this.#persist();
      for (const item of items) item.writing?.();
      this.#write(encodeBatch(items as BatchItem[]));
    }
  }

  #awaitReply(item: Outgoing): void {
    const reply = item.reply!;
    reply.maybeWritten = item.maybeWritten;
    const { resolve, reject } = reply;
    const clock = this.#clock;
    const timeout = this.#timings.requestTimeout;
    const timer = clock.setTimeout(() => reply.reject(new GymClientError(`No reply to ${reply.type} within ${timeout} ms`, 'timeout')), timeout);
    // The first answer settles it here: a late success after a timeout still reaches the caller, as before.
    const settled = (outcome: Outcome) => {
      clock.clearTimeout(timer);
      if (this.#inFlight.get(item.id!) !== item) return;
      this.#inFlight.delete(item.id!);
      this.#answered.add(item.id!, outcome);
      // After the caller heard it (a follower, through the channel): a tab that dies in between leaves the mark.
      this.#persist();
    };
    reply.resolve = (checkIn) => {
      resolve(checkIn);
      settled({ checkIn });
    };
    reply.reject = (error) => {
      reject(error);
      settled({ error: error instanceof GymClientError ? error : new GymClientError(error.message, 'connection-lost') });
    };
    this.#replies.add(reply);
  }
}
