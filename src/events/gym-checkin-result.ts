import type { CheckIn } from '../protocol/types.js';

export interface GymCheckinResultDetail {
  action: 'check_in' | 'check_out';
  /** `queued`: the link is down and the request waits in the outbox; a final result follows. */
  status: 'success' | 'queued' | 'rejected' | 'failed';
  checkIn?: CheckIn;
  /** The server's error text, or why the request failed. */
  message?: string;
}

/** `gym-checkin-result`: fired by the form and by feed actions as a request progresses; bubbles, composed. */
export type GymCheckinResultEvent = CustomEvent<GymCheckinResultDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'gym-checkin-result': GymCheckinResultEvent;
  }
}
