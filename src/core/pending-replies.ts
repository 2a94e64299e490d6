import type { BatchableRequests, BatchableType, CheckIn, CheckInRequest, CheckOutRequest } from '../protocol/types.js';

/** A written `check_in` / `check_out` waiting for its `*_success` or `*_error` reply. */
export interface PendingReply<T extends BatchableType = BatchableType> {
  type: T;
  payload: BatchableRequests[T];
  resolve(checkIn: CheckIn): void;
  reject(error: Error): void;
  /** Written again after a tab that may have written it before went away (see `reconcile`). */
  maybeWritten?: boolean | undefined;
}

/**
 * The result of a request settled by `reconcile`: what the request said, and the server's words in
 * `reconciled`. The server answered the first copy to a socket that is gone, so the visit's `id` and
 * times are not known here: they are empty (the feed's history shows the visit).
 */
export type ReconciledCheckIn = CheckIn & { reconciled: string };

/** The server's words when a copy comes of a request it already carried out (`av-gym-wire.md`). */
const ALREADY_DONE: { [T in BatchableType]: RegExp } = {
  check_in: /^(.+) is already checked in$/,
  check_out: /already checked out$/,
};

/**
 * A request written again after the tab that may have written it first went away (before the
 * server's answer reached anyone), which the server now refuses as already done: the first copy got
 * through. The check-in (or check-out) the caller asked for happened once; it is settled as a
 * success, marked `reconciled`, rather than as the rejection of a request that succeeded. Undefined
 * for any other answer, or for a request nobody may have written before (then "already checked in"
 * is the truth about the member, and stays a rejection).
 */
export function reconcile(pending: PendingReply, error: string): ReconciledCheckIn | undefined {
  if (!pending.maybeWritten) return undefined;
  const done = ALREADY_DONE[pending.type].exec(error);
  if (!done) return undefined;
  const payload = (pending.payload ?? {}) as Partial<CheckInRequest & CheckOutRequest>;
  const notes = typeof payload.notes === 'string' ? payload.notes : '';
  if (pending.type === 'check_in') {
    const location = typeof payload.location === 'string' ? payload.location : 'Unknown';
    return { id: '', member: { id: String(payload.memberId ?? ''), full_name: done[1]! }, location, check_in_time: '', check_out_time: null, notes, reconciled: error };
  }
  return { id: String(payload.checkInId ?? ''), member: { id: '', full_name: '' }, location: '', check_in_time: '', check_out_time: '', notes, reconciled: error };
}

/** Does this success reply answer this request? (the server echoes no request id) */
function answers(pending: PendingReply, checkIn: CheckIn): boolean {
  // `send()` accepts any payload, so it may not be an object at all.
  const payload = pending.payload as Partial<CheckInRequest & CheckOutRequest> | null | undefined;
  return pending.type === 'check_in' ? payload?.memberId === checkIn.member.id : payload?.checkInId === checkIn.id;
}

/**
 * Pairs replies with the requests written to the current socket. The server
 * answers one connection in request order, so per type the oldest unanswered
 * request is the one answered; a success also names its member or check-in,
 * which is checked first. Entries stay until answered, even after they timed
 * out, so a late reply cannot be paired with the wrong request.
 */
export class PendingReplies {
  #queues: { [T in BatchableType]: PendingReply<T>[] } = { check_in: [], check_out: [] };

  get size(): number {
    return this.#queues.check_in.length + this.#queues.check_out.length;
  }

  add(pending: PendingReply): void {
    (this.#queues[pending.type] as PendingReply[]).push(pending);
  }

  /** Takes the request a success reply answers. */
  takeSuccess(type: BatchableType, checkIn: CheckIn): PendingReply | undefined {
    const queue = this.#queues[type] as PendingReply[];
    const index = queue.findIndex((pending) => answers(pending, checkIn));
    return queue.splice(index === -1 ? 0 : index, 1)[0];
  }

  /** Takes the request an error reply answers: the oldest of its type. */
  takeError(type: BatchableType): PendingReply | undefined {
    return (this.#queues[type] as PendingReply[]).shift();
  }

  /** Removes and returns every pending request (the socket they were written to is gone). */
  drain(): PendingReply[] {
    const all = [...this.#queues.check_in, ...this.#queues.check_out] as PendingReply[];
    this.#queues = { check_in: [], check_out: [] };
    return all;
  }
}
