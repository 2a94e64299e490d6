import type { CheckIn } from '../protocol/types.js';

/**
 * - `idle`: created, `connect()` not called yet.
 * - `connecting`: getting a token or waiting for the socket to open.
 * - `open`: live.
 * - `checking`: the browser said the network is gone while open; a quick heartbeat decides
 *   between `open` and `offline` (seconds, not the full heartbeat timeout).
 * - `reconnecting`: waiting for the next attempt, at `nextAttemptAt`.
 * - `refused`: the server has refused the handshake for a minute although tokens are fresh, and the
 *   REST API could not say why: most likely the token is refused. Retrying slowly, at `nextAttemptAt`.
 * - `offline`: the browser says there is no network; waiting for `online`.
 * - `unauthorized`: the token source refused, or the server refused its token; asking the
 *   source again now and then (and when the page is visible or back online).
 * - `closed`: stopped on purpose by `close()` or `dispose()`.
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'checking' | 'reconnecting' | 'refused' | 'offline' | 'unauthorized' | 'closed';

/** Every `ConnectionState`, once, in the order above (for the elements' custom states); the compiler holds it to the type. */
export const CONNECTION_STATES = /* @__PURE__ */ Object.keys({
  idle: 0,
  connecting: 0,
  open: 0,
  checking: 0,
  reconnecting: 0,
  refused: 0,
  offline: 0,
  unauthorized: 0,
  closed: 0,
} satisfies Record<ConnectionState, 0>) as readonly ConnectionState[];

/** Why the state changed. */
export type StateReason =
  | 'connect'
  | 'open'
  | 'connection-lost'
  | 'handshake-failed'
  | 'connect-timeout'
  | 'heartbeat-timeout'
  | 'token-failed'
  | 'misconfigured'
  | 'unauthorized'
  | 'token-refused'
  | 'refused'
  | 'token-renewed'
  | 'alive'
  | 'offline'
  | 'online'
  | 'visible'
  | 'retry'
  | 'retry-now'
  | 'reconfigured'
  /** Another tab held the shared connection and went away: this one takes over, or follows a new leader. */
  | 'handover'
  | 'close';

export interface StateChange {
  state: ConnectionState;
  previous: ConnectionState;
  reason: StateReason;
  /** The close code that caused the change, when a socket closed. */
  code?: number;
  /** When `reconnecting` or `refused`: the wall-clock time (ms) of the next attempt. */
  nextAttemptAt?: number;
}

export interface ClientEvents {
  /** Every state transition, once. */
  state: StateChange;
  /**
   * A frame (or batch item) that could not be decoded, or a member name, location or notes longer
   * than the decoder's cap (200 characters), delivered cut ("member.full_name longer than 200
   * characters: cut"); `total` counts them all.
   */
  'protocol-error': { error: string; total: number };
  /** A request was refused because the outbox was full. */
  'outbox-full': { type: string; limit: number };
  /** Requests a previous page left in `outboxStorage` were queued again. */
  'outbox-restored': { count: number };
  /** The answer to a restored request (its promise was on the page that made it). */
  'restored-reply': { type: string; payload: unknown; ok: boolean; checkIn?: CheckIn; message?: string };
  /**
   * An address the page gave answers with something it should not (404, an HTML page, JSON without
   * a token, a refused cross-origin request). `message` names the setting and what came back.
   * The client keeps retrying slowly.
   */
  'config-error': { message: string };
  /** `outboxStorage` held content this client ignored, or could not be written. */
  'storage-error': { error: string };
  /**
   * The read-only gateway the page connects through lost its own link to AV-Gym (`since`, ISO time)
   * or has it back (`undefined`): meanwhile the link is open but what it shows is stale.
   */
  delayed: { since: string | undefined };
  /**
   * This tab started or stopped holding the connection it shares with the other tabs of the browser
   * (same URL and token source). `tabs`: how many share it, as far as this tab knows.
   */
  leadership: { leading: boolean; tabs: number };
  /** A subscriber or listener threw (`source: 'subscriber'`), or the client itself failed (`'internal'`). */
  error: { source: 'subscriber' | 'internal'; type: string; error: unknown };
}

/**
 * - `leader`: this tab holds the socket (for itself, and for the other tabs that share it);
 * - `follower`: another tab holds it and passes on its frames, state and replies.
 */
export type TabRole = 'leader' | 'follower';

/** Counters readable at any time (`client.metrics`). */
export interface ClientMetrics {
  framesIn: number;
  framesOut: number;
  /** UTF-8 bytes of text frames (binary frames: their size). */
  bytesIn: number;
  bytesOut: number;
  /** Sockets created. */
  connectAttempts: number;
  /** Times the link opened again after having been open. */
  reconnects: number;
  /** Malformed frames and batch items, and fields cut (`truncated`): what `protocol-error` reported. */
  protocolErrors: number;
  /**
   * Member names, locations and notes cut at the decoder's cap (200 characters, then "…"); each
   * is in `protocolErrors` too. Absent only in the figures of a leading tab of an older version.
   */
  truncated?: number;
  /** Round trip of the last answered heartbeat, in ms. */
  lastHeartbeatRtt: number | undefined;
  /** Requests waiting to be written. */
  outboxDepth: number;
  /** Requests written and waiting for their reply. */
  awaitingReply: number;
  /** Whether this tab holds the socket; a follower's counters are the leader's, as of its last heartbeat. */
  role: TabRole;
  /** Tabs sharing the connection, this one included (1 when it is not shared). */
  tabs: number;
}

/** The counters the client's parts add to; `client.metrics` adds the queue depths and the role. */
export type Counters = Omit<ClientMetrics, 'outboxDepth' | 'awaitingReply' | 'role' | 'tabs'>;

/** UTF-8 length of a string without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) bytes += c > 0x7ff && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return bytes;
}
