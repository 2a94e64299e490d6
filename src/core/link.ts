import type { Connection } from './connection.js';
import type { ClientMetrics, ConnectionState, Counters, StateChange, TabRole } from './events.js';
import type { Follower } from './follower.js';
import type { Inbound, ReplyMessage } from './inbound.js';
import type { LeaderDuty } from './leader-duty.js';
import type { Outbound, Outgoing } from './outbound.js';
import type { Reporter } from './reporter.js';

/** What every link works with: the client's one connection, outbox and fan-out, and what the page hears. */
export interface LinkParts {
  readonly connection: Connection;
  readonly outbound: Outbound;
  readonly inbound: Inbound;
  readonly counters: Readonly<Counters>;
  readonly report: Reporter;
}

/**
 * How this tab takes part in the link: it runs its own connection (`LocalLink`), runs it for other
 * tabs as well (`LeaderLink`), or mirrors another tab's (`FollowerLink`). The client holds one and
 * delegates to it; what the connection and the inbound frames report goes to the one it holds.
 */
export interface Link {
  readonly role: TabRole;
  readonly state: ConnectionState;
  /** While `reconnecting` or `refused`: the wall-clock time (ms) of the next attempt. */
  readonly nextAttemptAt: number | undefined;
  metrics(): ClientMetrics;
  enqueue(item: Outgoing): boolean;
  /** The token to call the REST API with; with `refused`, one instead of that token (a 401 answered it). */
  token(refused?: string): Promise<string | undefined>;
  retryNow(): void;
  /** The URL or the token source changed (same group of tabs): connect again with them. */
  reconfigured(): void;
  /** This tab's connection changed state. */
  stateChanged(change: StateChange): void;
  /** A frame came off this tab's socket. */
  frame(data: unknown): void;
  configError(message: string): void;
  /** A decoded frame (from this tab's socket or the leader's) says the link is alive. */
  heard(): void;
  /** A `heartbeat_ack`. */
  ack(): void;
  reply(message: ReplyMessage): void;
}

/** This tab's own connection, for no one else (sharing is off, or unavailable, or the tab is frozen). */
export class LocalLink implements Link {
  readonly role: TabRole = 'leader';
  protected readonly parts: LinkParts;

  constructor(parts: LinkParts) {
    this.parts = parts;
  }

  get state(): ConnectionState {
    return this.parts.connection.state;
  }

  get nextAttemptAt(): number | undefined {
    return this.parts.connection.nextAttemptAt;
  }

  /** Tabs sharing the connection, this one included. */
  protected get tabs(): number {
    return 1;
  }

  metrics(): ClientMetrics {
    const { counters, outbound } = this.parts;
    return { ...counters, outboxDepth: outbound.depth, awaitingReply: outbound.awaiting, role: 'leader', tabs: this.tabs };
  }

  enqueue(item: Outgoing): boolean {
    return this.parts.outbound.enqueue(item);
  }

  token(refused?: string): Promise<string | undefined> {
    const { tokens } = this.parts.connection;
    return refused === undefined ? tokens.get(false) : tokens.renew(refused);
  }

  retryNow(): void {
    this.parts.connection.start('retry-now');
  }

  reconfigured(): void {
    this.parts.outbound.adopt();
    this.parts.connection.start('reconfigured');
  }

  stateChanged(change: StateChange): void {
    this.parts.report.show(change);
  }

  frame(data: unknown): void {
    this.parts.inbound.receive(data);
  }

  configError(message: string): void {
    this.parts.report.configError(message);
  }

  heard(): void {
    this.parts.connection.heard();
  }

  ack(): void {
    const rtt = this.parts.connection.roundTrip();
    if (rtt !== undefined) this.parts.report.usage.roundTrip(rtt);
  }

  reply(message: ReplyMessage): void {
    this.parts.outbound.answer(message);
  }
}

/** This tab's own connection, serving the tabs that follow: they hear what it hears. */
export class LeaderLink extends LocalLink {
  readonly duty: LeaderDuty;

  constructor(parts: LinkParts, duty: LeaderDuty) {
    super(parts);
    this.duty = duty;
  }

  protected override get tabs(): number {
    return this.duty.tabs;
  }

  override stateChanged(change: StateChange): void {
    super.stateChanged(change);
    this.duty.state(change);
  }

  override frame(data: unknown): void {
    super.frame(data);
    this.duty.frame(data);
  }

  override configError(message: string): void {
    super.configError(message);
    this.duty.configError(message);
  }

  override ack(): void {
    super.ack();
    // Followers' figures follow the heartbeat; so does the count of tabs, which a closed tab leaves silently.
    this.duty.recount();
  }
}

/**
 * Another tab's connection, mirrored: its state and frames come from the leader, requests and
 * token asks go to it. This tab's own connection stays closed, and its socket's hooks are unused.
 */
export class FollowerLink implements Link {
  readonly role: TabRole = 'follower';
  readonly follower: Follower;
  readonly #parts: LinkParts;

  constructor(parts: LinkParts, follower: Follower) {
    this.#parts = parts;
    this.follower = follower;
  }

  get state(): ConnectionState {
    return this.#parts.report.shown;
  }

  get nextAttemptAt(): number | undefined {
    return this.follower.snapshot?.nextAttemptAt;
  }

  metrics(): ClientMetrics {
    const snap = this.follower.snapshot;
    const { unwritten } = this.follower;
    if (!snap) return { ...this.#parts.counters, outboxDepth: unwritten, awaitingReply: 0, role: 'follower', tabs: 1 };
    return { ...snap.counters, outboxDepth: snap.outboxDepth + unwritten, awaitingReply: snap.awaitingReply, role: 'follower', tabs: snap.tabs };
  }

  enqueue(item: Outgoing): boolean {
    return this.follower.enqueue(item);
  }

  /**
   * A follower borrows the leader's token: tokens are fetched once per browser. One the REST API
   * refused is renewed here: the leader's may be that very token, until its own socket finds out.
   */
  token(refused?: string): Promise<string | undefined> {
    const tokens = this.#parts.connection.tokens;
    if (refused !== undefined) return tokens.renew(refused);
    return tokens.refreshable ? this.follower.token() : tokens.get(false);
  }

  retryNow(): void {
    this.follower.retryNow();
  }

  /** The leader's socket serves this tab whatever it is configured with: nothing to do. */
  reconfigured(): void {}

  stateChanged(): void {}

  frame(data: unknown): void {
    this.#parts.inbound.receive(data);
  }

  configError(message: string): void {
    this.#parts.report.configError(message);
  }

  heard(): void {}

  ack(): void {}

  reply(): void {}
}
