import type { GymClientError } from '../../core/errors.js';

/**
 * A failure of the client. Checked by name, not `instanceof`: the client may
 * come from another copy of the library than the elements (an app's own
 * import beside the CDN bundle).
 */
export const isClientError = (error: unknown): error is GymClientError => error instanceof Error && error.name === 'GymClientError';

/** What failed, in words: an error's message, or whatever was thrown as text. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
