import type { BatchableRequests, BatchableType, CheckIn, CheckInRequest, CheckOutRequest } from '../protocol/types.js';

/** A written `check_in` / `check_out` waiting for its `*_success` or `*_error` reply. */
export interface PendingReply<T extends BatchableType = BatchableType> {
  type: T;
  payload: BatchableRequests[T];
  resolve(checkIn: CheckIn): void;
  reject(error: Error): void;
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
