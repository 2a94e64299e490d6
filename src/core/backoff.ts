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

/** The pace of retries that wait for a person (a sign-in, a fixed page), not for the network. */
export const SLOW_RETRY: BackoffOptions = { initialDelay: 60_000, maxDelay: 300_000 };

/**
 * Delay of slow retry number `attempt`: between half and all of
 * min(maxDelay, initialDelay · 2^attempt), so 30 s … 5 min by default. The
 * floor keeps a refused page from asking often; the jitter keeps a fleet apart.
 */
export function slowDelay(attempt: number, random: () => number, options: BackoffOptions = SLOW_RETRY): number {
  const ceiling = Math.min(options.maxDelay, options.initialDelay * 2 ** Math.min(attempt, 30));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}
