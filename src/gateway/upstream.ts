import WebSocket from 'ws';
import { RealtimeClient } from '../core/client.js';
import { readCheckIn } from '../protocol/codec.js';
import type { CheckIn, GymStats, ServerMessage } from '../protocol/types.js';
import type { GatewayConfig } from './config.js';
import { isRedirect, type TokenGetter } from './credentials.js';
import type { Logger } from './log.js';

const HISTORY_TIMEOUT_MS = 10_000;

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
  readonly #tokens: TokenGetter | undefined;
  readonly #log: Logger;
  #hasOpened = false;

  constructor(config: GatewayConfig, tokens: TokenGetter | undefined, log: Logger, hooks: UpstreamHooks) {
    this.#historyUrl = config.history;
    this.#tokens = tokens;
    this.#log = log;
    const origin = config.upstreamOrigin;
    // AV-Gym may check Origin against its allowed hosts, and ws sends none by itself.
    class UpstreamSocket extends WebSocket {
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
  async history(): Promise<CheckIn[]> {
    let response = await this.#fetchHistory(await this.#client.token());
    if (response.status === 401 && this.#tokens) response = await this.#fetchHistory(await this.#tokens());
    if (isRedirect(response)) throw new Error(`the history answered a redirect (${response.status}); give the final address (--history)`);
    if (!response.ok) throw new Error(`the history answered ${response.status}`);
    const body = (await response.json()) as unknown;
    if (!Array.isArray(body)) throw new Error('the history answered something else than a list');
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

  #fetchHistory(token: string | undefined): Promise<Response> {
    return fetch(this.#historyUrl, {
      headers: { Accept: 'application/json', ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) },
      signal: AbortSignal.timeout(HISTORY_TIMEOUT_MS),
      // It carries the service token: never on to another address.
      redirect: 'manual',
    });
  }
}
