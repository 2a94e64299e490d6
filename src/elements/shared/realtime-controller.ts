import { ContextConsumer } from '@lit/context';
import type { ReactiveController } from 'lit';
import type { ConnectionState, StateChange } from '../../core/client.js';
import { visitLogFor, type VisitChange, type VisitLog } from '../../core/visit-log.js';
import type { KnownMessageType, MessageOf, ServerMessage } from '../../protocol/types.js';
import { realtimeContext, type RealtimeSource } from './context.js';
import type { GymElement } from './gym-element.js';

/** What an element wants to hear from the socket. Handlers update the element's model; rendering is batched. */
export type MessageHandlers = { [T in KnownMessageType]?: (message: MessageOf<T>) => void };

export interface RealtimeControllerOptions {
  messages?: MessageHandlers;
  /** Called after every change to the client's visit log (`visitLogFor`), which is fed while someone listens. */
  visits?: (change: VisitChange) => void;
  /** Called on every state change of the client, before the render it requests. */
  onState?: (change: StateChange) => void;
  /** Called when the element gets, changes or loses its provider. */
  onSource?: (source: RealtimeSource | undefined) => void;
}

/**
 * Connects an element to the shared client of the nearest provider: subscribes
 * while the element is in the document, unsubscribes when it leaves, and
 * turns any number of messages into at most one render per animation frame.
 */
export class RealtimeController implements ReactiveController {
  /** The provider's source; undefined while there is no provider. */
  source: RealtimeSource | undefined;
  /** The client's state; undefined while there is no provider. */
  state: ConnectionState | undefined;
  #off: (() => void)[] = [];
  #frame = 0;

  constructor(
    private readonly host: GymElement,
    private readonly options: RealtimeControllerOptions = {},
  ) {
    host.addController(this);
    new ContextConsumer(host, { context: realtimeContext, subscribe: true, callback: (source) => this.#attach(source) });
  }

  get client() {
    return this.source?.client;
  }

  /** The client's visit log, shared by every element of the client; undefined while there is no provider. */
  get visits(): VisitLog | undefined {
    return this.source && visitLogFor(this.source.client);
  }

  hostDisconnected(): void {
    this.#attach(undefined);
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  /** Asks for a render at the next animation frame; more calls before it are free. */
  requestRender(): void {
    this.#frame ||= requestAnimationFrame(() => {
      this.#frame = 0;
      this.host.requestUpdate();
    });
  }

  #attach(source: RealtimeSource | undefined): void {
    if (source === this.source && (this.#off.length > 0 || !source)) return;
    for (const off of this.#off.splice(0)) off();
    this.source = source;
    this.state = source?.client.state;
    if (source) {
      const { client } = source;
      const host = this.host;
      for (const [type, handler] of Object.entries(this.options.messages ?? {}) as [string, (message: ServerMessage) => void][]) {
        this.#off.push(
          client.subscribe(
            type,
            host.guard((message: ServerMessage) => {
              handler(message);
              this.requestRender();
            }),
          ),
        );
      }
      const { visits } = this.options;
      if (visits) {
        this.#off.push(
          visitLogFor(client).subscribe(
            host.guard((change: VisitChange) => {
              visits(change);
              this.requestRender();
            }),
          ),
        );
      }
      this.#off.push(
        client.on(
          'state',
          host.guard((change: StateChange) => {
            this.state = change.state;
            this.options.onState?.(change);
            this.requestRender();
          }),
        ),
        // The gateway's own link went down or came back: elements say their data is stale, or not.
        client.on('delayed', () => this.requestRender()),
      );
    }
    this.options.onSource?.(source);
    this.host.requestUpdate();
  }
}
