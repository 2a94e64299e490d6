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
  if (!body.startsWith('{')) return body;
  const json = JSON.parse(body) as { access?: unknown; token?: unknown };
  const token = json.access ?? json.token;
  return typeof token === 'string' ? token : '';
}

/**
 * Where the client's access token comes from. A refreshable source (URL or
 * provider) is asked once and cached until the token is about to expire or the
 * client asks for a fresh one (after failed handshakes).
 */
export class TokenSource {
  #cached: string | undefined;

  constructor(
    private readonly options: TokenOptions,
    private readonly fetcher: typeof fetch,
    private readonly now: () => number,
  ) {}

  /** True when a new token can be had by asking again. */
  get refreshable(): boolean {
    return Boolean(this.options.tokenProvider ?? this.options.tokenUrl);
  }

  /**
   * The token to connect with (undefined: connect without one).
   * Rejects with `UnauthorizedError` when the source refuses, or a
   * `GymClientError` coded `token-failed` when it could not answer.
   */
  async get(fresh: boolean): Promise<string | undefined> {
    if (!this.refreshable) return this.options.token;
    const cached = this.#cached;
    if (cached !== undefined && !fresh && (tokenExpiry(cached) ?? Infinity) - EXPIRY_MARGIN_MS > this.now()) {
      return cached;
    }
    this.#cached = undefined;
    const token = await this.#ask();
    if (!token) throw new GymClientError('The token source returned no token', 'token-failed');
    this.#cached = token;
    return token;
  }

  async #ask(): Promise<string> {
    const { tokenProvider, tokenUrl } = this.options;
    if (tokenProvider) return tokenProvider();
    let response: Response;
    try {
      response = await this.fetcher(tokenUrl!, { credentials: 'include', headers: { Accept: 'application/json, text/plain' } });
    } catch {
      throw new GymClientError('The token URL could not be reached', 'token-failed');
    }
    if (response.status === 401 || response.status === 403) {
      throw new UnauthorizedError(`The token URL answered ${response.status}: sign-in required`);
    }
    if (!response.ok) throw new GymClientError(`The token URL answered ${response.status}`, 'token-failed');
    try {
      return await readTokenResponse(response);
    } catch {
      throw new GymClientError('The token URL answered with unreadable JSON', 'token-failed');
    }
  }
}
