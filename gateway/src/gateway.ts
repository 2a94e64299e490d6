import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { CheckIn, GymStats } from '../../src/protocol/types.js';
import { resolveConfig, type GatewayConfig, type GatewayOptions } from './config.js';
import { refusalOf, tokenGetter, type Refusal, type TokenGetter } from './credentials.js';
import { Downstream, SOCKET_PATH } from './downstream.js';
import { statsFrame, statusFrame, visitFrame } from './frames.js';
import { HISTORY_PATH, routes } from './http-routes.js';
import { createLogger, type Logger } from './log.js';
import { GatewayMetrics } from './metrics.js';
import { RecentVisits } from './recent-visits.js';
import { publicStats, redactVisit, restShape, type PublicVisit, type RedactionPolicy } from './redaction.js';
import { Upstream } from './upstream.js';

/** What arrived from upstream while the gateway was catching up: sent after the missed visits. */
type Held = { visit: PublicVisit } | { frame: string; kind: 'figures' | undefined };

/**
 * Where the gateway stands with AV-Gym. Browsers hear `up` only in `live`; in the others they
 * hear `down`, since `since` (when the gateway stopped being live, or started).
 * - `down`: no link (not yet, or lost).
 * - `catching-up`: the link `link` opened; its live frames wait in `held` until the history read
 *   for that link is merged (an answer that comes for an older link is ignored).
 * - `live`: open and caught up; frames go out as they come.
 */
type Phase =
  | { name: 'down'; since: number }
  | { name: 'catching-up'; since: number; link: object; held: Held[] }
  | { name: 'live'; since: number };

/** Sockets for plain HTTP requests (history, health, metrics) beyond the clients' cap. */
const HTTP_SOCKETS = 1024;
/** An HTTP request (an upgrade included) must have sent its headers within this long. */
const HEADERS_TIMEOUT_MS = 10_000;

/** Visits up to this long before the newest one the gateway had are read too: events may come out of order. */
const OUTAGE_MARGIN_MS = 60_000;

/** Recomputed at most this often when nothing changed, since visits age out of the 24 h window. */
const HISTORY_CACHE_MS = 60_000;

/**
 * The read-only gateway: one upstream link to AV-Gym, any number of browsers. Everything it
 * holds (figures, recent visits, status) comes from upstream and is rebuilt after a restart, so
 * instances behind a load balancer need nothing from each other.
 *
 * The browsers are told the truth about the data: while the upstream link is down, or open but
 * not caught up yet (history after a reconnect), they get `gateway_status` `down`; `up` follows
 * the missed visits, which go out once each, oldest first.
 */
export class Gateway {
  readonly config: GatewayConfig;
  readonly metrics: GatewayMetrics;
  readonly log: Logger;
  readonly #policy: RedactionPolicy;
  readonly #visits: RecentVisits;
  readonly #upstream: Upstream;
  readonly #downstream: Downstream;
  readonly #routes: (request: IncomingMessage, response: ServerResponse) => void;
  #server: Server | undefined;
  #stats: GymStats | undefined;
  #phase: Phase = { name: 'down', since: Date.now() };
  /** The last refusal of the gateway's credentials, until a token comes again. */
  #refusal: Refusal | undefined;
  #lastEventAt: number | undefined;
  #history: { version: number; at: number; json: string } | undefined;
  #version = 0;
  #closing: Promise<void> | undefined;

  /** Throws a `OptionError` for an invalid option. */
  constructor(options: GatewayOptions) {
    const config = (this.config = resolveConfig(options));
    const log = (this.log = createLogger(config.logLevel, config.logWrite));
    this.#policy = { names: config.names, fields: config.fields, anonymousName: config.anonymousName };
    this.#visits = new RecentVisits(config.historySize);
    this.metrics = new GatewayMetrics({
      clients: () => this.#downstream.size,
      sockets: () => this.#downstream.sockets,
      upstreamUp: () => this.live,
      lastEventAt: () => this.#lastEventAt,
      upstreamFrames: () => this.#upstream.framesIn,
    });
    this.#downstream = new Downstream(config, this.metrics, log, () => this.#greeting());
    this.#upstream = new Upstream(config, this.#watched(tokenGetter(config.credentials, config.authUrl, log)), log, {
      stats: (stats) => this.#statsIn(stats),
      visit: (visit) => this.#visitIn(visit),
      opened: (reconnect) => this.#opened(reconnect),
      closed: () => this.#upstreamClosed(),
    });
    this.#routes = routes({
      metrics: this.metrics,
      historyJson: () => this.#historyJson(),
      ready: () => this.live && !this.#closing,
      notReadyBecause: () => this.#notReadyBecause(),
      upstreamState: () => this.#upstream.state,
      allowOrigins: config.allowOrigins,
    });
  }

  /** The HTTP side, for a server of the caller's (the demo mounts the gateway under a path). */
  handleRequest(request: IncomingMessage, response: ServerResponse): void {
    this.#routes(request, response);
  }

  /** The WebSocket side, for a server of the caller's. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#downstream.handleUpgrade(request, socket, head);
  }

  /** Listens on the configured host and port, and opens the upstream link. */
  async start(): Promise<this> {
    const server = (this.#server = createServer((request, response) => this.handleRequest(request, response)));
    server.on('connection', (socket) => this.#downstream.admitSocket(socket));
    server.on('upgrade', (request, socket, head) => this.handleUpgrade(request, socket, head));
    server.on('clientError', (_error, socket) => socket.destroy());
    // Descriptors are a budget: past the clients' cap and room for HTTP requests, the kernel's
    // accept queue holds newcomers. A request that never finishes its headers is cut off soon.
    server.maxConnections = this.config.limits.maxClients + HTTP_SOCKETS;
    server.headersTimeout = HEADERS_TIMEOUT_MS;
    server.requestTimeout = HEADERS_TIMEOUT_MS;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        // A deep accept queue: thousands of browsers come back at once after a restart.
        server.listen({ port: this.config.port, host: this.config.host, backlog: 4096 }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      // Nothing may keep running for a gateway that could not listen (its ping timer, its metrics).
      this.#server = undefined;
      await this.close();
      throw error;
    }
    const { names, fields, allowOrigins, limits } = this.config;
    this.log.info('gateway.listening', { url: this.url, history: this.historyUrl, names, fields: [...fields], allowOrigins: allowOrigins.size ? [...allowOrigins] : 'any', limits });
    this.startUpstream();
    return this;
  }

  get port(): number {
    return (this.#server?.address() as AddressInfo | null)?.port ?? this.config.port;
  }

  /** The browsers' socket URL. */
  get url(): string {
    return `ws://${this.#displayHost()}:${this.port}${SOCKET_PATH}`;
  }

  get historyUrl(): string {
    return `http://${this.#displayHost()}:${this.port}${HISTORY_PATH}`;
  }

  #displayHost(): string {
    const { host } = this.config;
    return host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  }

  /** True while the upstream link is open and caught up. */
  get live(): boolean {
    return this.#phase.name === 'live';
  }

  get clients(): number {
    return this.#downstream.size;
  }

  /** Opens the upstream link (again). */
  startUpstream(): void {
    if (!this.#closing) this.#upstream.start();
  }

  /** Closes the upstream link on purpose (the demo's control panel): browsers stay, told the data is stale. */
  stopUpstream(): void {
    this.#upstream.stop();
  }

  /** Graceful shutdown: browsers get 1001 (they reconnect with jitter, elsewhere), the upstream link closes. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.log.info('gateway.stopping', { clients: this.#downstream.size });
      this.#server?.close();
      await this.#downstream.close();
      this.#upstream.dispose();
      this.#server?.closeAllConnections();
      this.log.info('gateway.stopped');
    })();
    return this.#closing;
  }

  /** The token getter, noting whether AV-Gym refused the credentials the last time it was asked. */
  #watched(tokens: TokenGetter | undefined): TokenGetter | undefined {
    if (!tokens) return undefined;
    return async () => {
      try {
        const token = await tokens();
        this.#refusal = undefined;
        return token;
      } catch (error) {
        this.#refusal = refusalOf(error) ?? this.#refusal;
        throw error;
      }
    };
  }

  /** Why `/readyz` answers 503, in an operator's words. */
  #notReadyBecause(): string {
    if (this.#closing) return 'shutting down';
    if (this.#refusal) {
      const { status, detail } = this.#refusal;
      return `AV-Gym refused the gateway's credentials (${status}${detail ? `: ${detail}` : ''})`;
    }
    if (this.#phase.name === 'catching-up') return 'catching up with AV-Gym\'s history';
    const state = this.#upstream.state;
    if (state === 'unauthorized' || state === 'refused') return `AV-Gym refused the gateway's token (${state})`;
    return `not connected to AV-Gym (${state})`;
  }

  #greeting(): string[] {
    const frames: string[] = [];
    if (this.#stats) frames.push(statsFrame('initial_stats', this.#stats));
    if (this.#phase.name !== 'live') frames.push(statusFrame('down', this.#phase.since));
    return frames;
  }

  #send(frame: string, kind?: 'figures'): void {
    if (this.#phase.name === 'catching-up') this.#phase.held.push({ frame, kind });
    else this.#downstream.broadcast(frame, kind);
  }

  #statsIn(stats: GymStats): void {
    this.#lastEventAt = Date.now();
    this.#stats = publicStats(stats);
    this.#send(statsFrame('check_in_stats', this.#stats), 'figures');
  }

  #visitIn(visit: CheckIn): void {
    this.#lastEventAt = Date.now();
    const redacted = redactVisit(visit, this.#policy);
    if (this.#phase.name === 'catching-up') this.#phase.held.push({ visit: redacted });
    else this.#publish(redacted);
  }

  /** Sends a visit to the browsers unless they have it already. */
  #publish(visit: PublicVisit): void {
    if (!this.#visits.record(visit)) return;
    this.#version++;
    this.#downstream.broadcast(visitFrame(visit));
  }

  /** The link opened: hold live frames, read the history, push what was missed, then the held frames, then `up`. */
  #opened(reconnect: boolean): void {
    if (reconnect) this.metrics.reconnects.inc();
    const phase = this.#phase;
    const link = {};
    this.#phase = { name: 'catching-up', since: phase.name === 'live' ? Date.now() : phase.since, link, held: phase.name === 'catching-up' ? phase.held : [] };
    const current = () => this.#phase.name === 'catching-up' && this.#phase.link === link;
    const finish = (history: CheckIn[] | undefined) => {
      if (!current()) return;
      clearTimeout(timer);
      if (history) this.#catchUp(history, reconnect);
      this.#release();
      this.#enter({ name: 'live', since: Date.now() });
    };
    const failed = (error: unknown) => {
      if (!current()) return;
      this.metrics.backfillFailures.inc();
      this.log.warn('upstream.history-failed', { error });
      finish(undefined);
    };
    const timer = setTimeout(() => failed(new Error('no answer in time')), this.config.timings.backfillTimeout);
    // A gateway closed meanwhile has nothing left to wait for.
    timer.unref();
    if (!reconnect) return void this.#upstream.history().then(finish, failed);
    // After an outage: every visit of it, not only the 20 of the recent list; none from before it
    // (a busy day's morning may be forgotten already, and is no news to anyone). "Before" is told by
    // AV-Gym's own clock, the newest event the gateway had from it, so the two clocks need not agree.
    // A gateway that had none (AV-Gym's last 24 h were empty) takes all: nothing it holds is older.
    const newest = this.#visits.newestEvent;
    const since = newest === undefined ? undefined : newest - OUTAGE_MARGIN_MS;
    const from = since ?? this.#phase.since;
    this.#upstream.outage(from, Date.now()).then(({ visits, days, cut }) => {
      if (cut) this.log.warn('upstream.backfill-cut', { days, since: new Date(from).toISOString() });
      finish(since === undefined ? visits : visits.filter((visit) => Date.parse(visit.check_out_time ?? visit.check_in_time) >= since));
    }, failed);
  }

  #catchUp(history: CheckIn[], afterOutage: boolean): void {
    const missed = this.#visits.catchUp(history.map((visit) => redactVisit(visit, this.#policy)));
    if (missed.length) this.#version++;
    for (const visit of missed) this.#downstream.broadcast(visitFrame(visit));
    if (afterOutage) {
      this.metrics.backfilled.inc(missed.length);
      this.log.info('upstream.backfilled', { visits: missed.length });
    }
  }

  /** Sends what was held while catching up, in the order it came, and stops holding. */
  #release(): void {
    if (this.#phase.name !== 'catching-up') return;
    const { held, since } = this.#phase;
    this.#phase = { name: 'down', since };
    for (const item of held) {
      if ('visit' in item) this.#publish(item.visit);
      else this.#downstream.broadcast(item.frame, item.kind);
    }
  }

  #upstreamClosed(): void {
    this.#release();
    if (this.#phase.name === 'live') this.#enter({ name: 'down', since: Date.now() });
  }

  /** Moves between `live` and `down`, telling the log and the browsers. */
  #enter(phase: Extract<Phase, { name: 'live' | 'down' }>): void {
    this.#phase = phase;
    this.log.info(phase.name === 'live' ? 'gateway.live' : 'gateway.stale', { clients: this.#downstream.size });
    this.#downstream.broadcast(statusFrame(phase.name === 'live' ? 'up' : 'down', phase.since));
  }

  #historyJson(): string {
    const now = Date.now();
    const cached = this.#history;
    if (cached && cached.version === this.#version && now - cached.at < HISTORY_CACHE_MS) return cached.json;
    const json = JSON.stringify(this.#visits.recent(now).map(restShape));
    this.#history = { version: this.#version, at: now, json };
    return json;
  }
}

/** Starts a gateway: listening, and connecting upstream. */
export function startGateway(options: GatewayOptions): Promise<Gateway> {
  return new Gateway(options).start();
}
