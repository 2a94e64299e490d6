import { ContextProvider } from '@lit/context';
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { RealtimeClient } from '../../core/client.js';
import { GymClientError } from '../../core/errors.js';
import { CONNECTION_STATES, type ConnectionState } from '../../core/events.js';
import { socketUrl, timingError, type RealtimeClientOptions } from '../../core/options.js';
import { refusedConnection } from '../../core/page-policy.js';
import type { TokenProvider } from '../../core/token-source.js';
import type { BatchableRequests, BatchableType, CheckIn } from '../../protocol/types.js';
import { realtimeContext } from '../shared/context.js';
import { messageOf } from '../shared/errors.js';
import { VERSION } from '../../version.js';
import { GymElement, MisspeltAttribute } from '../shared/gym-element.js';
import { baseStyles } from '../shared/styles.js';
import { TimerController } from '../shared/timer-controller.js';
import { providerStyles } from './realtime-provider.styles.js';
import { urlError } from './socket-address.js';

const STATES: readonly (ConnectionState | 'invalid')[] = [...CONNECTION_STATES, 'invalid'];
const CONNECTION_KEYS = ['url', 'token', 'tokenUrl', 'tokenProvider'] as const;
const TIMING_KEYS = ['heartbeatInterval', 'heartbeatTimeout', 'maxRetryDelay', 'initialRetryDelay', 'connectTimeout', 'requestTimeout', 'batchWindow'] as const;

/**
 * Owns the page's one realtime connection to the AV-Gym check-in server and
 * shares it with every gym element inside it, in any order and however late
 * they are defined. Configured entirely by attributes; invalid values show a
 * clear message instead of throwing.
 *
 * A `<meta name="gym-realtime-policy" content="https://gym.example">` in the page's `<head>` names
 * the origins that may receive the sign-in token: a `url` or `history-url` elsewhere, or a
 * `token-url` on neither the page's origin nor a listed one, is a configuration error, and nothing
 * is sent. With `content="none"` any token, `token-url` or `tokenProvider` is one; without the meta,
 * nothing is restricted.
 *
 * @tagname gym-realtime-provider
 * @summary Owns the shared realtime connection for the gym elements inside it.
 * @slot - The gym elements, and any other content.
 * @fires {GymConnectionChangeEvent} gym-connection-change - Every state change of the connection: `{ state, previous, reason, code?, nextAttemptAt? }`.
 * @fires {GymErrorEvent} gym-error - An invalid attribute, one the page's `gym-realtime-policy` does not allow to carry the token, or a `token-url` that answers something else than a token (`source: 'config'`), stored requests it could not read or write (`source: 'storage'`), or a failure of the client itself (`source: 'connection'`).
 * @fires {GymCheckinResultEvent} gym-checkin-result - The answer to a request restored from storage after a reload (`persist`).
 * @fires {GymMetricsEvent} gym-metrics - Every `metrics-interval` ms: the client's counters, its state and the time (`{ framesIn, …, state, at }`).
 * @csspart error - What is wrong with the page's configuration: an invalid attribute (a `url` without its trailing `/`), a
 *   misspelt one (`token_url`: "did you mean token-url?"), an address the page's policy
 *   does not allow to carry the token, or a `token-url` or `history-url` that answers something else than it
 *   should (e.g. "token-url answered 404 text/html — is the address right?").
 * @cssstate idle - Not started.
 * @cssstate connecting - Opening the connection.
 * @cssstate open - Live.
 * @cssstate checking - The browser went offline; checking whether the link still answers.
 * @cssstate reconnecting - Waiting for the next attempt.
 * @cssstate refused - The server keeps refusing the connection (most likely the token); retrying slowly.
 * @cssstate offline - The browser is offline.
 * @cssstate unauthorized - Sign-in required.
 * @cssstate closed - Stopped.
 * @cssstate invalid - An attribute has an invalid value.
 */
export class GymRealtimeProvider extends GymElement {
  static override styles = [baseStyles, providerStyles];
  static override defaultStrings = { invalid: 'This live widget is misconfigured: {message}' };
  /** Settings the provider passes to the client only when it makes one. */
  static readonly #remakeKeys = [...TIMING_KEYS, 'persist', 'historyUrl', 'share'] as const;
  static override properties: PropertyDeclarations = {
    url: {},
    token: {},
    tokenUrl: { attribute: 'token-url' },
    historyUrl: { attribute: 'history-url' },
    heartbeatInterval: { attribute: 'heartbeat-interval', type: Number },
    heartbeatTimeout: { attribute: 'heartbeat-timeout', type: Number },
    initialRetryDelay: { attribute: 'initial-retry-delay', type: Number },
    maxRetryDelay: { attribute: 'max-retry-delay', type: Number },
    connectTimeout: { attribute: 'connect-timeout', type: Number },
    requestTimeout: { attribute: 'request-timeout', type: Number },
    batchWindow: { attribute: 'batch-window', type: Number },
    persist: { type: Boolean },
    share: {},
    metricsInterval: { attribute: 'metrics-interval', type: Number },
    tokenProvider: { attribute: false },
    client: { attribute: false },
    configError: { state: true },
    problem: { state: true },
    misspelt: { state: true },
  };

  /**
   * The check-in socket, e.g. `wss://gym.example/ws/checkins/` (page-relative and `http(s):` URLs work too). Its path
   * ends with `/`: without it, or with another kind of address, the provider says so instead of connecting.
   */
  url = '';
  /** A fixed access token. Prefer `token-url`, which keeps secrets out of the page. */
  declare token: string | undefined;
  /** Where to get an access token (GET, with cookies): JSON `{"access"}` / `{"token"}` or plain text. */
  declare tokenUrl: string | undefined;
  /** The backend's recent check-ins (`/api/checkins/recent/`), for feeds inside this provider. */
  declare historyUrl: string | undefined;
  /** ms between heartbeats (default 15000). */
  declare heartbeatInterval: number | undefined;
  /** ms of silence after a heartbeat before the link counts as dead (default 10000). */
  declare heartbeatTimeout: number | undefined;
  /** ceiling of the first retry delay in ms (default 1000). */
  declare initialRetryDelay: number | undefined;
  /** ceiling of any retry delay in ms (default 15000). */
  declare maxRetryDelay: number | undefined;
  /** ms before a connection that has not opened is retried (default 10000). */
  declare connectTimeout: number | undefined;
  /** ms to wait for the reply to a check-in or check-out (default 15000). */
  declare requestTimeout: number | undefined;
  /** ms within which check-ins are sent together as one frame (default 50). */
  declare batchWindow: number | undefined;
  /**
   * Keeps check-ins made while offline in `localStorage`, so a reload does not
   * lose them; they go out once the link is back.
   */
  persist = false;
  /**
   * `tabs` (default): the tabs and windows of this browser that show widgets with the same `url` and
   * token source share one connection; one tab holds it and passes everything on to the others, and
   * another takes over within a second when it closes. `none`: this provider keeps a connection of its own.
   */
  share: 'tabs' | 'none' = 'tabs';
  /**
   * Fires `gym-metrics` every this many ms with the client's counters, for an
   * app to forward to its analytics. Off when unset or 0.
   */
  declare metricsInterval: number | undefined;
  /** Gets an access token (for apps that manage sign-in themselves); wins over `token-url` and `token`. */
  declare tokenProvider: TokenProvider | undefined;

  declare private configError: string | undefined;
  /** A setting that answers wrongly at run time (token-url, history-url); the connection carries on. */
  declare private problem: string | undefined;
  /** Misspelt attributes, its own and its elements' (`token_url`): said until the page is fixed, live or not. */
  declare private misspelt: string | undefined;

  #external: RealtimeClient | undefined;
  #active: RealtimeClient | undefined;
  #owned = false;
  #offClient: (() => void)[] = [];
  /** What the update under way does to the client once rendered: worked out before the render, from the properties that changed. */
  #next: (() => void) | undefined;
  readonly #timers = new TimerController<'metrics'>(this);
  readonly #provider = new ContextProvider(this, { context: realtimeContext });

  /**
   * The client in use. Set it to share a client the app made itself; the
   * provider then uses it as it is and never disposes it.
   */
  get client(): RealtimeClient | undefined {
    return this.#active;
  }

  set client(client: RealtimeClient | undefined) {
    const old = this.#external;
    this.#external = client;
    this.requestUpdate('client', old);
  }

  /** The version of gym-realtime-widgets on the page (semver), e.g. for a support request. */
  get version(): string {
    return VERSION;
  }

  /** The connection state, or `invalid` while the configuration is. */
  get connectionState(): ConnectionState | 'invalid' {
    return this.configError ? 'invalid' : (this.#active?.state ?? 'idle');
  }

  /** Tries to connect now (after a failure, offline, or sign-in). */
  reconnect(): void {
    this.#active?.reconnectNow();
  }

  /** Sends a message, fire-and-forget (queued while offline); false if it was refused. */
  send(type: string, payload?: unknown): boolean {
    return this.#active?.send(type, payload) ?? false;
  }

  /** Sends a `check_in` / `check_out` and settles with the server's answer. */
  request<T extends BatchableType>(type: T, payload: BatchableRequests[T]): Promise<CheckIn> {
    return this.#active?.request(type, payload) ?? Promise.reject(new GymClientError('No connection is configured', 'closed'));
  }

  constructor() {
    super();
    // Configuration problems found by elements inside (e.g. a feed's history-url) are shown here too.
    this.addEventListener('gym-error', ({ target, detail }) => {
      if (detail.error instanceof MisspeltAttribute) this.misspelt = this.misspelt ? `${this.misspelt}; ${detail.message}` : detail.message;
      else if (target !== this && detail.source === 'config') this.problem = detail.message;
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#reportMetrics();
    // Moved (removed and added back before the check in disconnectedCallback): the connection carries on.
    // Otherwise the next update connects, once the settings are in (see willUpdate).
    if (!this.#active) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    // Its timers (the metrics interval) end here.
    super.disconnectedCallback();
    // A move is a disconnect followed at once by a connect; only a removal that lasts ends the connection.
    queueMicrotask(() => {
      if (!this.isConnected) this.#use(undefined, false);
    });
  }

  /**
   * Works out, from the properties that changed, what to do with the client, and whether the
   * settings are invalid (rendered in this update); nothing is done here. A first connection is
   * worked out in the first update, not in connectedCallback, so that attributes set just after the
   * element was added, and properties set before its tag was defined (Lit restores them then), are in.
   */
  protected override willUpdate(changed: PropertyValues): void {
    this.#next = undefined;
    if (!this.isConnected) return;
    const external = this.#external;
    const active = this.#active;
    try {
      if (external) {
        this.#next = () => this.#use(external, false);
      } else if (!active || !this.#owned || GymRealtimeProvider.#remakeKeys.some((key) => changed.has(key))) {
        const options = this.#options();
        this.#next = () => this.#use(new RealtimeClient(options), true);
      } else if (CONNECTION_KEYS.some((key) => changed.has(key))) {
        const options = this.#connectionOptions();
        this.#next = () => active.configure(options);
      }
      this.configError = undefined;
    } catch (error) {
      this.#next = this.#refusal(error);
    }
  }

  /** Carries out what willUpdate worked out, for each property that changed. */
  protected override updated(changed: PropertyValues): void {
    if (!this.isConnected) return;
    try {
      this.#next?.();
    } catch (error) {
      // What the checks before the render did not foresee: said as they would have said it.
      this.#refusal(error)();
    }
    if (changed.has('historyUrl') || this.#provider.value?.client !== this.#active) this.#publish();
    if (changed.has('metricsInterval')) this.#reportMetrics();
    this.setCustomState(STATES, this.connectionState);
  }

  protected override render() {
    const message = this.configError ?? this.problem ?? this.misspelt;
    return html`${message ? html`<p part="error" role="alert">${this.t('invalid', { message })}</p>` : nothing}<slot></slot>`;
  }

  #options(): RealtimeClientOptions {
    const options: RealtimeClientOptions = {
      ...this.#connectionOptions(),
      // The REST API tells a refused token from a network failure (see the client's `authCheckUrl`).
      authCheckUrl: this.historyUrl,
      share: this.#shareOption(),
    };
    if (this.persist) {
      options.outboxStorage = localStorage;
      options.outboxKey = `gym-realtime-widgets.outbox ${this.url}`;
    }
    for (const key of TIMING_KEYS) {
      const value = this[key];
      if (value === undefined || value === null) continue;
      // Say what the page wrote: the attribute and its text when Lit made the value from it, else the property.
      const attribute = GymRealtimeProvider.elementProperties.get(key)?.attribute;
      const text = typeof attribute === 'string' ? this.getAttribute(attribute) : null;
      const typed = typeof attribute === 'string' && text !== null && Object.is(Number(text), value);
      const error = typed ? timingError(key, value, attribute, JSON.stringify(text)) : timingError(key, value);
      if (error) throw error;
      options[key] = value;
    }
    return options;
  }

  /** Where to connect and with which token; throws a `url` that is no socket address, or what the page's policy refuses, named as the page wrote it. */
  #connectionOptions(): Pick<RealtimeClientOptions, (typeof CONNECTION_KEYS)[number]> {
    if (!this.url) throw new TypeError('the url attribute is required');
    const wrong = urlError(this.url);
    if (wrong) throw wrong;
    const options = { url: this.url, token: this.token, tokenUrl: this.tokenUrl, tokenProvider: this.tokenProvider };
    // The client checks the same, but would call history-url `authCheckUrl`.
    const refused = refusedConnection(socketUrl(this.url), options, this.historyUrl, 'history-url');
    if (refused) throw refused;
    return options;
  }

  #shareOption(): 'tabs' | 'none' {
    const share = this.share ?? 'tabs';
    if (share !== 'tabs' && share !== 'none') throw new TypeError(`share must be "tabs" or "none", not ${JSON.stringify(share)}`);
    return share;
  }

  /** Switches to `client` (or to none), disposing the previous one if this element made it. */
  #use(client: RealtimeClient | undefined, owned: boolean): void {
    if (client === this.#active) return;
    for (const off of this.#offClient.splice(0)) off();
    if (this.#owned) this.#active?.dispose();
    this.#active = client;
    this.#owned = owned;
    if (client) {
      this.#offClient.push(
        client.on('state', (change) => {
          this.setCustomState(STATES, change.state);
          // Live again: whatever answered wrongly before answers rightly now (a new report brings it back).
          if (change.state === 'open') this.problem = undefined;
          this.emit('gym-connection-change', change);
        }),
        client.on('config-error', ({ message }) => {
          // Said once per problem, not at every slow retry while it lasts.
          if (message !== this.problem) this.reportError(new Error(message), 'config', message);
          this.problem = message;
        }),
        client.on('error', ({ source, error }) => {
          if (source === 'internal') this.reportError(error, 'connection');
        }),
        client.on('storage-error', ({ error }) => this.reportError(new Error(error), 'storage')),
        client.on('restored-reply', ({ type, ok, checkIn, message }) => {
          const action = type === 'check_out' ? 'check_out' : 'check_in';
          this.emit('gym-checkin-result', { action, status: ok ? 'success' : 'failed', ...(checkIn ? { checkIn } : {}), ...(message ? { message } : {}) });
        }),
      );
      client.connect();
    }
    this.#publish();
  }

  /** Shows `error` as what is wrong with the settings; returns what drops the client and says why. */
  #refusal(error: unknown): () => void {
    const message = messageOf(error);
    // Reported once per problem, not again on every later update while it lasts.
    const known = message === this.configError;
    this.configError = message;
    return () => {
      this.#use(undefined, false);
      if (!known) this.reportError(error, 'config', message);
    };
  }

  /** Starts the `gym-metrics` interval, or stops it (`metrics-interval` unset or 0). */
  #reportMetrics(): void {
    const ms = this.metricsInterval ?? 0;
    if (!(ms > 0) || !this.isConnected) return this.#timers.clear('metrics');
    this.#timers.every(
      'metrics',
      ms,
      this.guard(() => {
        const client = this.#active;
        if (client) this.emit('gym-metrics', { ...client.metrics, state: client.state, at: Date.now() });
      }),
    );
  }

  #publish(): void {
    const client = this.#active;
    this.#provider.setValue(client ? { client, historyUrl: this.historyUrl } : undefined);
  }
}
