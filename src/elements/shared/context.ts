import { createContext } from '@lit/context';
import type { RealtimeClient } from '../../core/client.js';

/** What a provider hands down to the elements inside it. A new object whenever one of its fields changes. */
export interface RealtimeSource {
  client: RealtimeClient;
  /** The provider's `history-url`: the backend's recent check-ins (`GET /api/checkins/recent/`). */
  historyUrl: string | undefined;
}

/** A global symbol, so that elements from two copies of the bundle still find each other's provider. */
export const realtimeContext = createContext<RealtimeSource | undefined>(Symbol.for('gym-realtime-widgets.source'));
