import type { Clock } from './environment.js';
import { judgeSilence } from './policy.js';
import { Timers } from './timers.js';

export interface HeartbeatHooks {
  /** Writes a `heartbeat` frame. */
  send(): void;
  /** No frame came within the timeout: the link is dead. */
  dead(): void;
}

/**
 * Liveness of an open link: a heartbeat every `heartbeatInterval`, and any
 * inbound frame within `heartbeatTimeout` of it proves the link alive. The
 * verdict on silence is `judgeSilence`'s.
 */
export class Heartbeat {
  readonly #timers: Timers<'beat' | 'liveness'>;
  /** When the unanswered heartbeat went out; undefined while the link has spoken since. */
  #awaitingSince: number | undefined;
  /** When the last heartbeat went out, for the round trip of its ack. */
  #sentAt: number | undefined;
  /** How long the unanswered heartbeat may stay unanswered. */
  #timeout: number;

  readonly #clock: Clock;
  readonly #timings: { heartbeatInterval: number; heartbeatTimeout: number };
  readonly #hooks: HeartbeatHooks;

  constructor(
    clock: Clock,
    timings: { heartbeatInterval: number; heartbeatTimeout: number },
    guard: (callback: () => void) => void,
    hooks: HeartbeatHooks,
  ) {
    this.#clock = clock;
    this.#timings = timings;
    this.#hooks = hooks;
    this.#timers = new Timers(clock, guard);
    this.#timeout = timings.heartbeatTimeout;
  }

  /** Beats while the link is open. */
  start(): void {
    this.#timers.set('beat', this.#timings.heartbeatInterval, () => this.#beat());
  }

  stop(): void {
    this.#timers.clear('beat', 'liveness');
    this.#awaitingSince = undefined;
    this.#timeout = this.#timings.heartbeatTimeout;
  }

  /** Asks the link to prove itself now, unless a heartbeat is already unanswered. */
  probe(): void {
    if (this.#awaitingSince !== undefined) return;
    this.#awaitingSince = this.#sentAt = this.#clock.now();
    this.#hooks.send();
    this.#timers.set('liveness', this.#timeout, () => this.#check());
  }

  /** Asks now and allows only `timeout` ms for an answer (the browser said the network is gone). */
  check(timeout: number): void {
    this.stop();
    this.#timeout = timeout;
    this.probe();
    this.start();
  }

  /** Any inbound frame: the link is alive. */
  heard(): void {
    if (this.#awaitingSince === undefined) return;
    this.#awaitingSince = undefined;
    this.#timeout = this.#timings.heartbeatTimeout;
    this.#timers.clear('liveness');
  }

  /** The round trip of the last heartbeat, when its ack arrives. */
  roundTrip(): number | undefined {
    return this.#sentAt === undefined ? undefined : this.#clock.now() - this.#sentAt;
  }

  #beat(): void {
    this.probe();
    this.start();
  }

  #check(): void {
    const since = this.#awaitingSince;
    if (since === undefined) return;
    const silence = judgeSilence(since, this.#clock.now(), this.#timeout);
    if (silence.verdict === 'wait') {
      this.#timers.set('liveness', silence.ms, () => this.#check());
    } else if (silence.verdict === 'asleep') {
      this.#awaitingSince = undefined;
      this.probe();
    } else {
      this.#hooks.dead();
    }
  }
}
