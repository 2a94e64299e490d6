/**
 * Where an error came from:
 * - `render`: an element failed to render; `handler`: one of its message handlers threw;
 * - `config`: an attribute or property has an invalid value;
 * - `connection`: the client itself failed;
 * - `storage`: requests kept for after a reload could not be read or written;
 * - `load`: the autoloading CDN file could not import an element's code (a 404, an integrity mismatch).
 */
export type GymErrorSource = 'render' | 'handler' | 'config' | 'connection' | 'storage' | 'load';

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
