import type { TokenOptions } from './token-source.js';
import type { Clock, NetworkEnvironment } from './environment.js';
import type { LockManagerLike, StorageLike } from './outbox-store.js';
import type { TabsEnvironment } from './tab-group.js';

/** Timings and limits of the client, each with its default. All times in ms. */
export const DEFAULT_TIMINGS = {
  /** Ceiling of the first retry's jittered delay. */
  initialRetryDelay: 1000,
  /**
   * Ceiling of any retry's delay: a wall display keeps retrying at this pace,
   * never gives up. 15 s keeps the 99th percentile of a fleet's reconnection
   * under 15 s after a restart while no 100 ms holds more than 2 % of it (`npm run bench`).
   */
  maxRetryDelay: 15_000,
  /** How long a link must stay open before the backoff starts again from `initialRetryDelay`. */
  stableAfter: 5000,
  /** A connection that has not opened by then is abandoned and retried. */
  connectTimeout: 10_000,
  /**
   * Handshakes that keep failing this long (8 or more in a row) are taken as a refused token, unless
   * `authCheckUrl` says otherwise: the client then says `refused` and retries every 30–60 s.
   */
  refusedAfter: 60_000,
  /** A `heartbeat` goes out this often while open. */
  heartbeatInterval: 15_000,
  /** No inbound frame this long after a heartbeat means the link is dead. */
  heartbeatTimeout: 10_000,
  /** When the browser says the network is gone while open, the link has this long to answer a heartbeat. */
  offlineCheckTimeout: 3000,
  /** A request written to the socket fails with `timeout` when no reply comes by then. */
  requestTimeout: 15_000,
  /** `check_in` / `check_out` issued within this window go out as one `batch` frame. */
  batchWindow: 50,
  /** At most this many items in one `batch` frame. */
  maxBatchSize: 50,
  /** At most this many requests wait while the link is down; more are rejected with `outbox-full`. */
  outboxLimit: 500,
};

export type ClientTimings = typeof DEFAULT_TIMINGS;

export type LogLevel = 'debug' | 'warn' | 'error';

export interface RealtimeClientOptions extends TokenOptions, Partial<ClientTimings> {
  /**
   * The check-in endpoint, e.g. `wss://gym.example/ws/checkins/` (the trailing
   * slash matters to the server). `http(s):` and page-relative URLs are turned
   * into `ws(s):` ones. The token is added as `?token=`.
   */
  url: string;
  /** WebSocket constructor; default `globalThis.WebSocket`. */
  WebSocket?: new (url: string) => WebSocket;
  /**
   * A REST URL of the gym server that takes the token as `Authorization: Bearer`, e.g. the recent
   * check-ins. When handshakes keep failing although tokens are fresh, the client asks it: 401
   * means the server refuses the token (`unauthorized`); the token taken, or no answer from the
   * page's own origin (the server is down), means the failures are not the token's. When it can
   * tell nothing, a long run of failed handshakes ends in the slow-retrying `refused` state.
   */
  authCheckUrl?: string | undefined;
  /** fetch, used for `tokenUrl` and `authCheckUrl`; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Timers and wall-clock time; default the real ones. */
  clock?: Clock;
  /** Network and visibility signals; default the browser's (inert in Node). */
  environment?: NetworkEnvironment;
  /** Randomness for the backoff jitter; default `Math.random`. */
  random?: () => number;
  /**
   * Keeps requests queued while offline here (e.g. `localStorage`), so they
   * survive a page reload and go out once after the next connection. Payloads
   * are stored as they are (member ids, notes); tokens never are.
   */
  outboxStorage?: StorageLike;
  /**
   * The storage key of the outbox (default `gym-realtime-widgets.outbox`); one per provider on a
   * page. With Web Locks each tab stores under `<key>:<tab>` and adopts the queues of tabs that are gone.
   */
  outboxKey?: string;
  /** Web Locks for the outbox shared by tabs; default `navigator.locks` where there is one. */
  locks?: LockManagerLike | undefined;
  /**
   * `tabs` (the default): every client of this browser profile and origin with the same `url` and
   * token source shares one socket across tabs (see `shareKey`); one tab leads and holds it, the
   * others follow. `none`: a socket of its own. Where Web Locks or BroadcastChannel are missing,
   * each tab has its own socket anyway.
   */
  share?: 'tabs' | 'none' | undefined;
  /**
   * Who the token source signs in as, when tabs cannot tell: clients with a `tokenProvider` share only
   * with those giving the same key (e.g. the signed-in user's id). With a `tokenUrl`, tabs of one
   * profile share its cookies, so they share; give a key when one profile holds several sign-ins.
   */
  shareKey?: string | undefined;
  /** Web Locks and BroadcastChannel for sharing; default the browser's. */
  tabs?: TabsEnvironment | undefined;
  /** Receives diagnostics; silent by default. Tokens are redacted. */
  logger?: (level: LogLevel, message: string) => void;
}

const WHOLE_NUMBERS: ReadonlySet<string> = new Set(['maxBatchSize', 'outboxLimit']);

/**
 * The `RangeError` for an invalid timing, or undefined when `value` is valid. `name` and `given`
 * say it the way the page wrote it: the provider passes the attribute and its text
 * (`heartbeat-interval`, `"15s"`), so an editor is told what they typed, not our property name.
 */
export function timingError(key: keyof ClientTimings, value: number, name: string = key, given = String(value)): RangeError | undefined {
  const whole = WHOLE_NUMBERS.has(key);
  if (whole ? Number.isInteger(value) && value >= 1 : Number.isFinite(value) && value >= 0) return undefined;
  return new RangeError(`${name} must be ${whole ? 'a whole number ≥ 1' : 'a number of ms ≥ 0'}, not ${given}`);
}

/** Fills in the defaults; throws a `RangeError` naming the first invalid timing. */
export function resolveTimings(options: Partial<ClientTimings>): ClientTimings {
  const timings = { ...DEFAULT_TIMINGS };
  for (const key of Object.keys(timings) as (keyof ClientTimings)[]) {
    const value = options[key] ?? timings[key];
    const error = timingError(key, value);
    if (error) throw error;
    timings[key] = value;
  }
  return timings;
}

/**
 * The URL to open: `base` resolved against the page, `http(s):` turned into
 * `ws(s):`, and the token as the `token` query parameter (the only place the
 * AV-Gym server reads it). Throws a `TypeError` for anything that is not a
 * WebSocket URL.
 */
export function socketUrl(base: string, token?: string): string {
  const url = new URL(base, globalThis.location?.href);
  url.protocol = url.protocol.replace(/^http/, 'ws');
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`The socket URL must use ws:, wss:, http: or https:, not ${url.protocol}`);
  }
  if (token !== undefined) url.searchParams.set('token', token);
  return url.href;
}

/** Hides any `token=` query value in a diagnostic line. */
export const redactTokens = (text: string): string => text.replace(/([?&]token=)[^&\s]+/gi, '$1[redacted]');
