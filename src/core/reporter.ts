import { UsageHistory } from './diagnostics.js';
import { Emitter } from './emitter.js';
import type { Clock } from './environment.js';
import type { ClientEvents, ConnectionState, StateChange } from './events.js';
import { redactTokens, type LogLevel } from './options.js';

/**
 * What the page hears from its client: the events, each state once, the gateway's delay, the
 * usage history, and the log (tokens redacted). Nothing here throws: a listener or a logger
 * that does is reported or ignored, never passed back into a socket callback.
 */
export class Reporter {
  readonly events = new Emitter<ClientEvents>((type, error) => this.#listenerError(String(type), error));
  readonly usage: UsageHistory;
  readonly #logger: ((level: LogLevel, message: string) => void) | undefined;
  #shown: ConnectionState = 'idle';
  #delayedSince: string | undefined;

  constructor(clock: Clock, logger: ((level: LogLevel, message: string) => void) | undefined) {
    this.usage = new UsageHistory(() => clock.now());
    this.#logger = logger;
  }

  /** The state last told to listeners. */
  get shown(): ConnectionState {
    return this.#shown;
  }

  get delayedSince(): string | undefined {
    return this.#delayedSince;
  }

  /** Tells listeners of a state change, once, with the state they last heard as `previous`. */
  show(change: Omit<StateChange, 'previous'>): void {
    if (change.state === this.#shown) return;
    const shown: StateChange = { ...change, previous: this.#shown };
    this.#shown = change.state;
    // A new link to the gateway says again whether it is delayed.
    if (change.state !== 'open' && change.state !== 'checking') this.delayed(undefined);
    this.usage.state(shown);
    this.events.emit('state', shown);
  }

  /** The gateway's own link to AV-Gym is down since `since`, or back (`undefined`). */
  delayed(since: string | undefined): void {
    if (since === this.#delayedSince) return;
    this.#delayedSince = since;
    this.events.emit('delayed', { since });
  }

  configError(message: string): void {
    this.log('warn', message);
    this.events.emit('config-error', { message });
  }

  /** A bug of the client's own: reported, never thrown. */
  internal(error: unknown): void {
    this.log('error', `internal error: ${error instanceof Error ? error.message : String(error)}`);
    this.events.emit('error', { source: 'internal', type: 'internal', error });
  }

  /** Runs `callback`, reporting what it throws as `internal`. */
  guard(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.internal(error);
    }
  }

  log(level: LogLevel, message: string): void {
    try {
      this.#logger?.(level, redactTokens(message));
    } catch {
      // A broken logger must not break the client.
    }
  }

  #listenerError(type: string, error: unknown): void {
    if (type === 'error') {
      this.log('error', `an error listener threw: ${String(error)}`);
      return;
    }
    this.events.emit('error', { source: 'subscriber', type, error });
  }
}
