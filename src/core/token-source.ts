import { crossOrigin, describeResponse, misconfigured, type ConfigError } from './config-errors.js';
import type { Clock } from './environment.js';
import { GymClientError, UnauthorizedError } from './errors.js';
import { refusedConnection, refusedTokenSource } from './page-policy.js';

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

/** A numeric claim of a JWT (`exp`, `iat`) in ms, or undefined when the token is not a readable JWT. */
function claim(token: string, name: 'exp' | 'iat'): number | undefined {
  try {
    const part = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const value = (JSON.parse(atob(part)) as Record<string, unknown>)[name];
    return typeof value === 'number' ? value * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The `exp` claim of a JWT in ms, or undefined when the token is not a readable JWT. */
export const tokenExpiry = (token: string): number | undefined => claim(token, 'exp');

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
  /** The token being fetched: everyone who asks meanwhile gets the same answer. */
  #pending: Promise<string> | undefined;
  /** How far this device's clock is ahead of the token issuer's, learnt from `iat` (ms). */
  #skew = 0;

  readonly #options: TokenOptions;
  readonly #fetcher: typeof fetch;
  readonly #clock: Clock;
  readonly #timeout: number;

  /** `timeout`: a source that has not answered by then has failed (`token-failed`), and the next ask starts over. */
  constructor(options: TokenOptions, fetcher: typeof fetch, clock: Clock, timeout = 10_000) {
    this.#options = options;
    this.#fetcher = fetcher;
    this.#clock = clock;
    this.#timeout = timeout;
  }

  /** True when a new token can be had by asking again. */
  get refreshable(): boolean {
    return Boolean(this.#options.tokenProvider ?? this.#options.tokenUrl);
  }

  /** True when the page gave any way to get a token (a page without one connects anonymously). */
  get configured(): boolean {
    return this.refreshable || this.#options.token !== undefined;
  }

  /** What the page's connection policy refuses about a socket to `url` (absolute) with this source's token, or undefined. */
  refusal(url: string): ConfigError | undefined {
    return refusedConnection(url, this.#options);
  }

  /**
   * The token to connect with (undefined: connect without one). Rejects with
   * `UnauthorizedError` when the source refuses or only has an expired token,
   * `misconfigured` when the token URL answers with something else than a
   * token or the page's policy does not allow this source, or `token-failed`
   * when it could not answer. A fixed token is returned as it is: the server
   * judges it, since this device's clock may be off.
   */
  async get(fresh: boolean): Promise<string | undefined> {
    // Before any request, and before a cached token leaves: a policy read later may have narrowed.
    const refused = refusedTokenSource(this.#options);
    if (refused) throw refused;
    if (!this.refreshable) return this.#options.token;
    const cached = this.#cached;
    if (cached !== undefined && !fresh && (tokenExpiry(cached) ?? Infinity) - EXPIRY_MARGIN_MS > this.#issuerNow()) return cached;
    return this.#refresh(cached);
  }

  /**
   * A token instead of `refused` (a REST call was answered 401 with it): the one another caller
   * renewed already, or a fresh one, fetched once for everyone who asks meanwhile.
   */
  async renew(refused: string | undefined): Promise<string | undefined> {
    const cached = this.#cached;
    if (this.#pending || (cached !== undefined && cached !== refused)) return this.get(false);
    const refusedNow = refusedTokenSource(this.#options);
    if (refusedNow) throw refusedNow;
    return this.refreshable ? this.#refresh(undefined) : this.#options.token;
  }

  /**
   * Fetches a token, once for all who ask meanwhile. When the source cannot answer (down with the
   * server, a 5xx, a timeout), `kept` is used while it has not expired: a token URL that is down
   * must not hold back a socket that the current token would open.
   */
  #refresh(kept: string | undefined): Promise<string> {
    return (this.#pending ??= this.#withDeadline(this.#fetchUnexpired())
      .catch((error: unknown) => {
        if (kept === undefined || this.#expired(kept) || !(error instanceof GymClientError) || error.code !== 'token-failed') throw error;
        this.#cached = kept;
        return kept;
      })
      .finally(() => (this.#pending = undefined)));
  }

  #withDeadline(work: Promise<string>): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => reject(new GymClientError('The token source did not answer in time', 'token-failed')), this.#timeout);
      work.then(resolve, reject).finally(() => this.#clock.clearTimeout(timer));
    });
  }

  async #fetchUnexpired(): Promise<string> {
    this.#cached = undefined;
    const first = await this.#ask();
    let token = first;
    if (this.#expired(first)) {
      // A cache on the far side can hand out a stale token: ask once more. The same token again
      // means the source has no other; a new one means it mints them, and this clock is what is off.
      token = await this.#ask();
      if (token === first) throw new UnauthorizedError('The token source gave an expired token');
      const issued = claim(token, 'iat');
      if (this.#expired(token) && issued !== undefined) this.#skew = this.#clock.now() - issued;
    }
    this.#cached = token;
    return token;
  }

  /** Now, by the clock of whoever issues the tokens. */
  #issuerNow(): number {
    return this.#clock.now() - this.#skew;
  }

  #expired(token: string): boolean {
    return (tokenExpiry(token) ?? Infinity) <= this.#issuerNow();
  }

  async #ask(): Promise<string> {
    const { tokenProvider, tokenUrl } = this.#options;
    if (tokenProvider) {
      const token = await tokenProvider();
      if (!token) throw new GymClientError('The token provider returned no token', 'token-failed');
      return token;
    }
    if (!URL.canParse(tokenUrl!, globalThis.location?.href)) throw misconfigured('token-url', 'is not a valid address');
    let response: Response;
    try {
      response = await this.#fetcher(tokenUrl!, { credentials: 'include', headers: { Accept: 'application/json, text/plain' } });
    } catch {
      // Where the page is offline the client never asks; a cross-origin failure while online is most often CORS.
      throw crossOrigin(tokenUrl!)
        ? misconfigured('token-url', 'could not be fetched: the server is down or its CORS does not allow this page with credentials', true)
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
