import { RealtimeClient } from '../../src/core/client.js';
import { readCheckIn } from '../../src/protocol/codec.js';
import type { CheckIn, GymStats, ServerMessage } from '../../src/protocol/types.js';
import type { GatewayConfig } from './config.js';
import { isRedirect, type TokenGetter } from './credentials.js';
import type { Logger } from './log.js';
import { PacedSocket } from './paced-socket.js';

const HISTORY_TIMEOUT_MS = 10_000;
const DAY_MS = 24 * 3600_000;
/** The most days an outage is backfilled for (its last ones): a few requests, however long it lasted. */
export const BACKFILL_DAYS = 3;

export interface UpstreamHooks {
  stats(stats: GymStats): void;
  /** A check-in or check-out, decoded and validated (each at most once: the core de-duplicates). */
  visit(visit: CheckIn): void;
  /** The link opened; `reconnect` when it had been open before. */
  opened(reconnect: boolean): void;
  /** The link is no longer open. */
  closed(): void;
}

/**
 * The gateway's one connection to AV-Gym: the package's own `RealtimeClient` over `ws` (backoff
 * with jitter, heartbeat, token renewal, refused-token detection), plus the REST history.
 */
export class Upstream {
  readonly #client: RealtimeClient;
  readonly #historyUrl: string;
  readonly #visitsUrl: string;
  readonly #tokens: TokenGetter | undefined;
  readonly #log: Logger;
  #hasOpened = false;

  constructor(config: GatewayConfig, tokens: TokenGetter | undefined, log: Logger, hooks: UpstreamHooks) {
    this.#historyUrl = config.history;
    this.#visitsUrl = config.visits;
    this.#tokens = tokens;
    this.#log = log;
    const origin = config.upstreamOrigin;
    // AV-Gym may check Origin against its allowed hosts, and ws sends none by itself.
    class UpstreamSocket extends PacedSocket {
      constructor(url: string) {
        super(url, { origin });
      }
    }
    this.#client = new RealtimeClient({
      ...config.upstreamTimings,
      url: config.upstream,
      WebSocket: UpstreamSocket as unknown as typeof globalThis.WebSocket,
      tokenProvider: tokens,
      authCheckUrl: config.history,
      // Instances must not share a socket through BroadcastChannel: each holds its own upstream.
      share: 'none',
      logger: (level, message) => log[level === 'debug' ? 'debug' : level]('upstream.client', { message }),
    });
    this.#client.on('state', ({ state, previous, reason, code, nextAttemptAt }) => {
      const fields = { state, previous, reason, ...(code === undefined ? {} : { code }), ...(nextAttemptAt === undefined ? {} : { nextAttemptAt: new Date(nextAttemptAt).toISOString() }) };
      if (state === 'open') {
        log.info('upstream.open', fields);
        hooks.opened(this.#hasOpened);
        this.#hasOpened = true;
      } else {
        log[state === 'unauthorized' || state === 'refused' ? 'error' : previous === 'open' ? 'warn' : 'debug']('upstream.state', fields);
        if (previous === 'open' || previous === 'checking') hooks.closed();
      }
    });
    this.#client.on('protocol-error', ({ error }) => log.warn('upstream.malformed-frame', { error }));
    this.#client.on('config-error', ({ message }) => log.error('upstream.config-error', { message }));
    this.#client.subscribe('*', (message: ServerMessage) => {
      switch (message.type) {
        case 'initial_stats':
        case 'check_in_stats':
          hooks.stats(message.payload as GymStats);
          break;
        case 'member_checked_in':
        case 'member_checked_out':
          hooks.visit(message.payload as CheckIn);
          break;
      }
    });
  }

  get open(): boolean {
    return this.#client.state === 'open';
  }

  get state(): string {
    return this.#client.state;
  }

  get framesIn(): number {
    return this.#client.metrics.framesIn;
  }

  start(): void {
    this.#client.connect();
  }

  /** Closes the link on purpose (the demo's control panel; shutdown). `start()` opens it again. */
  stop(): void {
    this.#client.close();
  }

  dispose(): void {
    this.#client.dispose();
  }

  /**
   * AV-Gym's recent visits (at most 20 of the last 24 h), decoded; malformed items are skipped.
   * A 401 is retried once with a token fresh from the credentials (the cached one may be revoked).
   */
  history(): Promise<CheckIn[]> {
    return this.#list(this.#historyUrl, '--history');
  }

  /**
   * Every visit of an outage from `since` to `now`: the recent list, plus AV-Gym's visits of each
   * day the outage touched (`?date=`), which have no limit of 20. Days are AV-Gym's, in a time
   * zone the gateway does not know, so the UTC days around the outage are read too. An outage
   * longer than `BACKFILL_DAYS` is read for its last days only: what is older than that is no
   * news to a visitor's feed.
   */
  async outage(since: number, now: number): Promise<{ visits: CheckIn[]; days: number; cut: boolean }> {
    const first = Math.max(since - DAY_MS, now - BACKFILL_DAYS * DAY_MS);
    const dates: string[] = [];
    for (let day = Math.floor(first / DAY_MS); day <= Math.floor((now + DAY_MS) / DAY_MS); day++) dates.push(new Date(day * DAY_MS).toISOString().slice(0, 10));
    const lists = await Promise.all([this.history(), ...dates.map((date) => this.#list(`${this.#visitsUrl}${this.#visitsUrl.includes('?') ? '&' : '?'}date=${date}`, '--visits'))]);
    return { visits: lists.flat(), days: dates.length, cut: first > since - DAY_MS };
  }

  async #list(url: string, flag: string): Promise<CheckIn[]> {
    let response = await this.#fetchList(url, await this.#client.token());
    if (response.status === 401 && this.#tokens) response = await this.#fetchList(url, await this.#tokens());
    if (isRedirect(response)) throw new Error(`${flag} answered a redirect (${response.status}); give the final address (${flag})`);
    if (!response.ok) throw new Error(`${flag} answered ${response.status}`);
    const body = (await response.json()) as unknown;
    if (!Array.isArray(body)) throw new Error(`${flag} answered something else than a list`);
    const visits: CheckIn[] = [];
    for (const item of body) {
      try {
        visits.push(readCheckIn(item));
      } catch (error) {
        this.#log.warn('upstream.malformed-history-item', { error });
      }
    }
    return visits;
  }

  #fetchList(url: string, token: string | undefined): Promise<Response> {
    return fetch(url, {
      headers: { Accept: 'application/json', ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) },
      signal: AbortSignal.timeout(HISTORY_TIMEOUT_MS),
      // It carries the service token: never on to another address.
      redirect: 'manual',
    });
  }
}
