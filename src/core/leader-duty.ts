import type { CheckIn } from '../protocol/types.js';
import { GymClientError } from './errors.js';
import type { StateChange } from './events.js';
import type { Outgoing } from './outbound.js';
import { isBatchable } from './outbound.js';
import type { FollowerMessage, LeaderMessage, LinkSnapshot } from './tab-messages.js';

export interface LeaderDeps {
  tab: string;
  post(message: LeaderMessage): void;
  /** The link as followers should see it (`tabs` is filled in here). */
  snapshot(): Omit<LinkSnapshot, 'tabs'>;
  enqueue(item: Outgoing): boolean;
  token(): Promise<string | undefined>;
  retryNow(): void;
  /** Tabs in the group, this one included. */
  count(): Promise<number>;
  internal(error: unknown): void;
}

const codeOf = (error: Error) => (error instanceof GymClientError ? error.code : 'closed');

/**
 * What the leading tab does for the others: it tells them every state change
 * and frame, takes their requests into its own outbox (answering each to the
 * tab that asked), and lends them its token.
 */
export class LeaderDuty {
  /** Tabs sharing the connection, this one included. */
  tabs = 1;
  readonly #deps: LeaderDeps;

  constructor(deps: LeaderDeps) {
    this.#deps = deps;
  }

  /** Says who leads now, with the link as it is; also refreshes the followers' figures. */
  announce(): void {
    this.#deps.post({ k: 'lead', leader: this.#deps.tab, snap: this.#snapshot() });
  }

  /** Counts the tabs again (one joined or left, or a heartbeat came), then refreshes the followers. */
  recount(): void {
    this.#deps.count().then((tabs) => {
      this.tabs = Math.max(1, tabs);
      this.announce();
    }, this.#deps.internal);
  }

  state(change: StateChange): void {
    this.#deps.post({ k: 'state', leader: this.#deps.tab, change, snap: this.#snapshot() });
  }

  frame(data: unknown): void {
    this.#deps.post({ k: 'frame', leader: this.#deps.tab, data });
  }

  configError(message: string): void {
    this.#deps.post({ k: 'config-error', leader: this.#deps.tab, message });
  }

  receive(message: FollowerMessage): void {
    const deps = this.#deps;
    switch (message.k) {
      case 'hello':
      case 'bye':
        this.recount();
        break;
      case 'send':
        if (message.to === deps.tab) this.#take(message);
        break;
      case 'token?':
        if (message.to !== deps.tab) return;
        deps.token().then(
          (token) => deps.post({ k: 'token', id: message.id, token }),
          (error: unknown) => {
            const failure = error instanceof Error ? error : new Error(String(error));
            deps.post({ k: 'token', id: message.id, error: { code: error instanceof GymClientError ? error.code : 'token-failed', message: failure.message } });
          },
        );
        break;
      case 'retry-now':
        if (message.to === deps.tab) deps.retryNow();
        break;
    }
  }

  /**
   * A follower's request, under the follower's id. The follower hears `writing` just before it goes
   * to the socket, so that if this tab dies, whoever leads next knows that the server may have it.
   */
  #take(message: Extract<FollowerMessage, { k: 'send' }>): void {
    const { from, id, type, payload } = message;
    const post = this.#deps.post;
    const settle = (result: { checkIn?: CheckIn; error?: { code: GymClientError['code']; message: string } }) => post({ k: 'settled', id, ...result });
    const reply =
      message.reply && isBatchable(type)
        ? { type, payload: payload as never, resolve: (checkIn: CheckIn) => settle({ checkIn }), reject: (error: Error) => settle({ error: { code: codeOf(error), message: error.message } }) }
        : undefined;
    this.#deps.enqueue({ type, payload, id, reply, from, maybeWritten: message.maybeWritten === true, writing: () => post({ k: 'writing', id }) });
  }

  #snapshot(): LinkSnapshot {
    return { ...this.#deps.snapshot(), tabs: this.tabs };
  }
}
