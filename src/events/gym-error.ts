/**
 * Where an error came from:
 * - `render`: an element failed to render; `handler`: one of its message handlers threw;
 * - `config`: an attribute or property has an invalid value;
 * - `connection`: the shared connection failed for good (e.g. sign-in required);
 * - `history`: the recent check-ins could not be loaded.
 */
export type GymErrorSource = 'render' | 'handler' | 'config' | 'connection' | 'history';

export interface GymErrorDetail {
  source: GymErrorSource;
  /** A sentence for people; never contains a token. */
  message: string;
  error: unknown;
}

/** `gym-error`: bubbles and is composed, so the nearest `gym-error-boundary` (or the page) can catch it. */
export type GymErrorEvent = CustomEvent<GymErrorDetail>;

declare global {
  interface GlobalEventHandlersEventMap {
    'gym-error': GymErrorEvent;
  }
}
