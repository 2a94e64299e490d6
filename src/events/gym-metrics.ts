import type { ClientMetrics, ConnectionState } from '../core/client.js';

/** The client's counters at one moment, with its state and the time (ms), for analytics. */
export interface GymMetricsDetail extends ClientMetrics {
  state: ConnectionState;
  at: number;
}

/** `gym-metrics`: fired by the provider every `metrics-interval` ms (off by default); bubbles, composed. */
export type GymMetricsEvent = CustomEvent<GymMetricsDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'gym-metrics': GymMetricsEvent;
  }
}
