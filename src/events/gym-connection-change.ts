import type { StateChange } from '../core/client.js';

/** `gym-connection-change`: fired by the provider on every state change of its client; bubbles, composed. */
export type GymConnectionChangeEvent = CustomEvent<StateChange>;

declare global {
  interface GlobalEventHandlersEventMap {
    'gym-connection-change': GymConnectionChangeEvent;
  }
}
