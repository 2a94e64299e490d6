import type { RealtimeClient } from '../../core/client.js';
import type { ConnectionHistory } from '../../core/diagnostics.js';
import { VERSION } from '../../version.js';

/**
 * What "Copy diagnostics" copies for support. Made only of states, reasons,
 * close codes, times and counts: never a token, a member's name or a payload.
 */
export interface DiagnosticsReport {
  package: 'gym-realtime-widgets';
  version: string;
  generatedAt: string;
  /** The socket URL with no credentials, no query or fragment values and no token-like path segment (`publicUrl`). */
  url: string;
  state: string;
  reason: string | null;
  connectedSince: string | null;
  downSince: string | null;
  heartbeat: { lastRoundTripMs: number | null; medianRoundTripMs: number | null; samples: number };
  reconnects: { lastHour: number; sinceLoad: number };
  failedAttempts: { lastHour: number; sinceLoad: number };
  frames: { in: number; out: number };
  bytes: { in: number; out: number };
  protocolErrors: number;
  queue: { waiting: number; awaitingReply: number };
  /** The last 50 state changes, oldest first. */
  changes: { at: string; state: string; previous: string; reason: string; code?: number }[];
}

/** A JWT (three dot-separated base64url parts), or a long run of base64url with digits in it: a token or a key. */
const TOKEN_LIKE = /^[\w-]{8,}\.[\w-]{8,}\.[\w-]*$|^(?=.*\d)(?=.*[A-Za-z])[\w-]{20,}$/;
/** A parameter name worth keeping: short and plain ("site", "access_token"), not a token used as a name. */
const PLAIN_NAME = /^[A-Za-z][\w.-]{0,31}$/;

/** `key=value&…` with every value replaced by `*`, and names that are not plain left out. */
function namesOnly(params: string): string {
  const names = [...new URLSearchParams(params)].map(([name, value]) => (PLAIN_NAME.test(name) && !TOKEN_LIKE.test(name) ? (value ? `${name}=*` : name) : '*'));
  return names.join('&');
}

/**
 * The socket URL as support may see it: no credentials; in the query and the fragment, the
 * parameter names only (every value is `*`, whatever its name); a path segment that looks like a
 * token (a JWT, a long key) is `*` too.
 */
export function publicUrl(url: string): string {
  try {
    const parsed = new URL(url, globalThis.location?.href);
    parsed.username = parsed.password = '';
    parsed.pathname = parsed.pathname
      .split('/')
      .map((segment) => (TOKEN_LIKE.test(segment) ? '*' : segment))
      .join('/');
    if (parsed.search) parsed.search = namesOnly(parsed.search);
    if (parsed.hash) parsed.hash = namesOnly(parsed.hash.slice(1));
    return parsed.href;
  } catch {
    return '(not a valid URL)';
  }
}

/** Median of a list of numbers; undefined when empty. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function diagnosticsReport(client: RealtimeClient, history: ConnectionHistory = client.history(), now = Date.now()): DiagnosticsReport {
  const metrics = client.metrics;
  return {
    package: 'gym-realtime-widgets',
    version: VERSION,
    generatedAt: iso(now)!,
    url: publicUrl(client.url),
    state: client.state,
    reason: history.changes.at(-1)?.reason ?? null,
    connectedSince: iso(history.connectedSince),
    downSince: iso(history.downSince),
    heartbeat: { lastRoundTripMs: metrics.lastHeartbeatRtt ?? null, medianRoundTripMs: median(history.roundTrips) ?? null, samples: history.roundTrips.length },
    reconnects: { lastHour: sum(history.minutes.reconnects), sinceLoad: history.totals.reconnects },
    failedAttempts: { lastHour: sum(history.minutes.failures), sinceLoad: history.totals.failures },
    frames: { in: metrics.framesIn, out: metrics.framesOut },
    bytes: { in: metrics.bytesIn, out: metrics.bytesOut },
    protocolErrors: metrics.protocolErrors,
    queue: { waiting: metrics.outboxDepth, awaitingReply: metrics.awaitingReply },
    changes: history.changes.map(({ at, ...change }) => ({ at: iso(at)!, ...change })),
  };
}
