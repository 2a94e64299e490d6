import { crossOrigin, describeResponse, misconfigured } from './config-errors.js';
import { GymClientError, UnauthorizedError } from './errors.js';

/** Returns a fresh access token; throw `UnauthorizedError` (or an error with `status` 401/403) when signed out. */
export type TokenProvider = () => string | Promise<string>;

export interface TokenOptions {
  /** A fixed access token. */
  token?: string | undefined;
  /** Fetched (GET, with credentials) when a token is needed: JSON `{"access"}` or `{"token"}`, or plain text. */
  tokenUrl?: string | undefined;
  /** Called when a token is needed. Wins over `tokenUrl` and `token`. */
  tokenProvider?: TokenProvider | undefined;
}

/** A cached token is renewed this long before the `exp` it declares. */
const EXPIRY_MARGIN_MS = 30_000;

/** What a bare token looks like (a JWT or an opaque key): anything else in a text answer is a page, not a token. */
const TOKEN_TEXT = /^[\w.~+/=-]+$/;

/** The `exp` claim of a JWT in ms, or undefined when the token is not a readable JWT. */
export function tokenExpiry(token: string): number | undefined {
  try {
    const part = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const exp = (JSON.parse(atob(part)) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

async function readTokenResponse(response: Response): Promise<string> {
  const body = (await response.text()).trim();
  const fail = (what: string) => misconfigured('token-url', `answered ${describeResponse(response)} ${what} — is the address right?`);
  if (!body.startsWith('{')) {
    if (!TOKEN_TEXT.test(body)) throw fail(body ? 'that is not a token' : 'with nothing');
    return body;
  }
  let json: { access?: unknown; token?: unknown };
  try {
    json = JSON.parse(body) as typeof json;
  } catch {
    throw fail('that is not JSON');
  }
  const token = json.access ?? json.token;
  if (typeof token !== 'string' || !token) throw fail('without an "access" or "token" field');
  return token;
}

/**
 * Where the client's access token comes from. A refreshable source (URL or
 * provider) is asked once and cached until the token is about to expire or the
 * client asks for a fresh one (after failed handshakes).
 */
export class TokenSource {
  #cached: string | undefined;

  readonly #options: TokenOptions;
  readonly #fetcher: typeof fetch;
  readonly #now: () => number;

  constructor(
    options: TokenOptions,
    fetcher: typeof fetch,
    now: () => number,
  ) {
    this.#options = options;
    this.#fetcher = fetcher;
    this.#now = now;
}

  /** True when a new token can be had by asking again. */
  get refreshable(): boolean {
    return Boolean(this.#options.tokenProvider ?? this.#options.tokenUrl);
  }

  /** True when the page gave any way to get a token (a page without one connects anonymously). */
  get configured(): boolean {
    return this.refreshable || this.#options.token !== undefined;
  }

  /**
   * The token to connect with (undefined: connect without one). Rejects with
   * `UnauthorizedError` when the source refuses or only has an expired token,
   * `misconfigured` when the token URL answers with something else than a
   * token, or `token-failed` when it could not answer.
   */
  async get(fresh: boolean): Promise<string | undefined> {
    if (!this.refreshable) {
      const { token } = this.#options;
      if (token !== undefined && this.#expired(token)) throw new UnauthorizedError('The token has expired');
      return token;
    }
    const cached = this.#cached;
    if (cached !== undefined && !fresh && (tokenExpiry(cached) ?? Infinity) - EXPIRY_MARGIN_MS > this.#now()) {
      return cached;
    }
    this.#cached = undefined;
    let token = await this.#ask();
    // A clock or cache on the far side can hand out a stale token once; twice means it has no other.
    if (this.#expired(token)) token = await this.#ask();
    if (this.#expired(token)) throw new UnauthorizedError('The token source gave an expired token');
    this.#cached = token;
    return token;
  }

  #expired(token: string): boolean {
    return (tokenExpiry(token) ?? Infinity) <= this.#now();
  }

  async #ask(): Promise<string> {
    const { tokenProvider, tokenUrl } = this.#options;
    if (tokenProvider) {
      const token = await tokenProvider();
      if (!token) throw new GymClientError('The token provider returned no token', 'token-failed');
      return token;
    }
    let response: Response;
    try {
      response = await this.#fetcher(tokenUrl!, { credentials: 'include', headers: { Accept: 'application/json, text/plain' } });
    } catch {
      // Where the page is offline the client never asks; a cross-origin failure while online is most often CORS.
      throw crossOrigin(tokenUrl!)
        ? misconfigured('token-url', `could not be fetched: the server is down or its CORS does not allow this page with credentials`)
        : new GymClientError('The token URL could not be reached', 'token-failed');
    }
    if (response.status === 401 || response.status === 403) {
      throw new UnauthorizedError(`The token URL answered ${response.status}: sign-in required`);
    }
    if (response.status >= 500) throw new GymClientError(`The token URL answered ${response.status}`, 'token-failed');
    if (!response.ok) throw misconfigured('token-url', `answered ${describeResponse(response)} — is the address right?`);
    return readTokenResponse(response);
  }
}
