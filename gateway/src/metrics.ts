import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Why a connected browser was cut off. */
export type DropReason = 'slow' | 'rate' | 'address-rate' | 'batch' | 'frame-size' | 'unresponsive';
/** Why a browser's handshake was refused. */
export type RefusalReason = 'origin' | 'capacity' | 'per-ip' | 'path' | 'draining';
/** What a refused client frame was. */
export type RefusedFrame = 'request' | 'other' | 'invalid-json' | 'binary';

/**
 * The gateway's figures, in a registry of its own (so two gateways in one process keep theirs
 * apart), served as Prometheus text at `/metrics`, plus the process's (memory, CPU, event loop).
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly clients: Gauge;
  readonly framesIn: Counter<'result'>;
  readonly refusedFrames: Counter<'kind'>;
  readonly framesOut: Counter;
  readonly fanOut: Histogram;
  readonly dropped: Counter<'reason'>;
  readonly refusedConnections: Counter<'reason'>;
  readonly upstreamUp: Gauge;
  readonly upstreamFrames: Counter;
  readonly reconnects: Counter;
  readonly backfilled: Counter;
  readonly backfillFailures: Counter;
  readonly historyRequests: Counter;

  /** `lastEventAt`: when the last check-in, check-out or figures came from upstream (undefined: none yet). */
  constructor(read: { clients(): number; sockets(): number; upstreamUp(): boolean; lastEventAt(): number | undefined; upstreamFrames(): number }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.clients = new Gauge({ name: 'gym_gateway_clients', help: 'Browsers connected now', registers, collect() {
      this.set(read.clients());
    } });
    new Gauge({ name: 'gym_gateway_sockets', help: 'Descriptors the browsers\' side holds: clients, handshakes under way, refusals being closed (a budget: --max-clients)', registers, collect() {
      this.set(read.sockets());
    } });
    this.framesIn = new Counter({ name: 'gym_gateway_client_frames_total', help: 'Frames received from browsers, by what the gateway did with them (answered: heartbeat; refused)', labelNames: ['result'], registers });
    this.refusedFrames = new Counter({ name: 'gym_gateway_client_frames_refused_total', help: 'Client frames refused with an error frame, by kind (request: check_in, check_out, batch)', labelNames: ['kind'], registers });
    this.framesOut = new Counter({ name: 'gym_gateway_frames_out_total', help: 'Frames sent to browsers', registers });
    this.fanOut = new Histogram({ name: 'gym_gateway_fanout_seconds', help: 'Time to hand one upstream frame to every browser socket', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers });
    this.dropped = new Counter({ name: 'gym_gateway_clients_dropped_total', help: 'Browsers cut off, by reason (slow: backlog over --max-buffered-bytes, or over --slow-client-bytes for --slow-client-ms; rate: its own frames; address-rate: its address\'s frames or bytes; batch: over --max-batch-items; frame-size; unresponsive: no pong)', labelNames: ['reason'], registers });
    this.refusedConnections = new Counter({ name: 'gym_gateway_connections_refused_total', help: 'Handshakes refused, by reason', labelNames: ['reason'], registers });
    this.upstreamUp = new Gauge({ name: 'gym_gateway_upstream_up', help: '1 while the link to AV-Gym is open and caught up, else 0', registers, collect() {
      this.set(read.upstreamUp() ? 1 : 0);
    } });
    this.upstreamFrames = new Counter({ name: 'gym_gateway_upstream_frames_total', help: 'Frames received from AV-Gym', registers, collect() {
      this.reset();
      this.inc(read.upstreamFrames());
    } });
    this.reconnects = new Counter({ name: 'gym_gateway_upstream_reconnects_total', help: 'Times the link to AV-Gym opened again after having been open', registers });
    new Gauge({ name: 'gym_gateway_upstream_last_event_age_seconds', help: 'Seconds since the last check-in, check-out or figures from AV-Gym (NaN: none yet)', registers, collect() {
      const at = read.lastEventAt();
      this.set(at === undefined ? Number.NaN : (Date.now() - at) / 1000);
    } });
    this.backfilled = new Counter({ name: 'gym_gateway_backfilled_visits_total', help: 'Visits missed during an upstream outage and pushed from the AV-Gym history', registers });
    this.backfillFailures = new Counter({ name: 'gym_gateway_backfill_failures_total', help: 'Times the AV-Gym history could not be read after a reconnect', registers });
    this.historyRequests = new Counter({ name: 'gym_gateway_history_requests_total', help: 'Requests to /api/checkins/recent/', registers });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
