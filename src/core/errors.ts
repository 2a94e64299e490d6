/**
 * Why a request or the client failed, as a stable code a UI can switch on:
 * - `outbox-full`: the queue for requests made while offline is full; this one was not accepted.
 * - `connection-lost`: the link died after the request was written and before its reply;
 *   it **may have been delivered**, so it is not resent blindly.
 * - `timeout`: no reply within `requestTimeout`.
 * - `rejected`: the server answered with an error (the message is the server's text).
 * - `unauthorized`: the token source refused (HTTP 401/403) or the server closed for auth.
 * - `token-failed`: the token source failed for a reason that may pass (network, 5xx).
 * - `misconfigured`: an address the page gave answers with something that is not what it should be
 *   (404, an HTML page, JSON without a token, a cross-origin request refused): a page to fix, not an outage.
 * - `closed`: the client was disposed before the request could go out.
 * - `unsupported`: the message type has no reply to wait for.
 */
export type GymErrorCode =
  | 'outbox-full'
  | 'connection-lost'
  | 'timeout'
  | 'rejected'
  | 'unauthorized'
  | 'token-failed'
  | 'misconfigured'
  | 'closed'
  | 'unsupported';

export class GymClientError extends Error {
  constructor(
    message: string,
    readonly code: GymErrorCode,
  ) {
    super(message);
    this.name = 'GymClientError';
  }
}

/** Throw this from a `tokenProvider` to say "signed out": the client stops trying until it gets a new token. */
export class UnauthorizedError extends GymClientError {
  constructor(message = 'Sign-in required') {
    super(message, 'unauthorized');
  }
}

/** True for an `UnauthorizedError`, or any error carrying an HTTP `status` of 401 or 403. */
export function isUnauthorized(error: unknown): boolean {
  if (error instanceof GymClientError) return error.code === 'unauthorized';
  const status = (error as { status?: unknown } | null)?.status;
  return status === 401 || status === 403;
}
