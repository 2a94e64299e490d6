import type { GymErrorCode } from '../../core/errors.js';
import { isClientError, messageOf } from '../shared/errors.js';

export type Action = 'check_in' | 'check_out';

/** A failed request, as the form says it to staff. */
export interface Failure {
  /** The string to show; none: show `raw` as it is (a server text we do not know). */
  key?: string | undefined;
  /** The server's own text (or the client's): kept as the detail when `key` replaces it. */
  raw: string;
  /** `rejected`: the server said no; `failed`: it may not have heard. */
  status: 'rejected' | 'failed';
  /** The member's name, when the server's text carries it. */
  name?: string | undefined;
  /** The action that would work instead, offered as a button. */
  other?: Action | undefined;
}

const CLIENT: Partial<Record<GymErrorCode, string>> = { 'outbox-full': 'outboxFull', 'connection-lost': 'connectionLost', timeout: 'timeout' };

/** The texts AV-Gym's socket consumer answers with (see the wire protocol), and what each means at the desk. */
const SERVER: [RegExp, string, Action?][] = [
  [/^(.+) is already checked in$/, 'alreadyIn', 'check_out'],
  [/^Check-in not found or already checked out$/, 'notIn', 'check_in'],
  [/^Member (matching query does not exist\.|not found)$/, 'unknownMember'],
  [/^Internal server error/, 'serverFailed'],
];

/** What went wrong with a check-in or check-out, in words for staff (pure: the form renders it). */
export function explain(error: unknown): Failure {
  const raw = messageOf(error);
  const code = isClientError(error) ? error.code : undefined;
  if (code !== 'rejected') return { key: code && CLIENT[code], raw, status: 'failed' };
  for (const [pattern, key, other] of SERVER) {
    const match = pattern.exec(raw);
    if (match) return { key, raw, status: 'rejected', name: match[1], other };
  }
  return { raw, status: 'rejected' };
}
