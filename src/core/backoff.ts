export interface BackoffOptions {
  /** Ceiling of the first retry's delay, in ms. */
  initialDelay: number;
  /** The delay never exceeds this, however many attempts failed, in ms. */
  maxDelay: number;
}

/**
 * Delay before retry number `attempt` (0 for the first), with full jitter:
 * uniform in [0, min(maxDelay, initialDelay · 2^attempt)]. Spreading retries
 * over the whole window keeps a fleet of wall displays from reconnecting in
 * step after a server restart.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelay, options.initialDelay * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
