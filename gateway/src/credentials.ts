import { exec } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tokenExpiry as expiry } from '../../src/core/token-source.js';
import type { CredentialsOptions } from './config.js';
import type { Logger } from './log.js';

/** A refresh token is used only while it has at least this long to live. */
const MARGIN_MS = 30_000;
const COMMAND_TIMEOUT_MS = 10_000;

/** An HTTP refusal the core client reads as "signed out" (`status` 401/403): it then asks again slowly. */
class RefusedError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** What the server said, e.g. "No active account found with the given credentials". */
    readonly detail: string | undefined,
  ) {
    super(message);
  }
}

/** A refusal of the gateway's credentials by AV-Gym: its HTTP status and words. */
export interface Refusal {
  status: number;
  detail: string | undefined;
}

/** The refusal an error of a token getter stands for; undefined for any other failure (network, a bad answer). */
export const refusalOf = (error: unknown): Refusal | undefined => (error instanceof RefusedError ? { status: error.status, detail: error.detail } : undefined);

/** DRF's `{"detail": "…"}` of a refusal, cut to one short line; undefined when it said nothing readable. */
async function serverWords(response: Response): Promise<string | undefined> {
  try {
    const { detail } = (await response.json()) as { detail?: unknown };
    return typeof detail === 'string' ? detail.replace(/\s+/g, ' ').slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

/** A 3xx, or the opaque answer `fetch` gives for one with `redirect: 'manual'` in a browser-like runtime. */
export const isRedirect = (response: Response): boolean => response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);

/** Gives a fresh access token each time it is asked: the core's token source caches it until it nears its `exp`. */
export type TokenGetter = () => Promise<string>;

async function postJson(fetcher: typeof fetch, url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetcher(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS),
    // The body is the password: a redirect (to another origin, or a downgrade to http) must not take it along.
    redirect: 'manual',
  });
  if (isRedirect(response)) throw new Error(`${url} answered a redirect (${response.status}); give the final address (--auth-url)`);
  if (response.status === 401 || response.status === 403) {
    const detail = await serverWords(response);
    throw new RefusedError(`${url} answered ${response.status}${detail ? `: ${JSON.stringify(detail)}` : ''}`, response.status, detail);
  }
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const json = (await response.json()) as unknown;
  if (typeof json !== 'object' || json === null) throw new Error(`${url} answered something else than a JSON object`);
  return json as Record<string, unknown>;
}

/**
 * A service account on AV-Gym (djangorestframework-simplejwt): signs in with `POST authUrl`
 * `{username, password}` → `{access, refresh}`, then gets each next access token from
 * `POST authUrl/refresh/` `{refresh}` → `{access}` while the refresh token lives, and signs in
 * again once it has run out or is refused. The password is read at each sign-in (rotation).
 */
function serviceAccount(authUrl: string, username: string, password: () => Promise<string>, fetcher: typeof fetch, log: Logger): TokenGetter {
  let refresh: string | undefined;
  const take = (json: Record<string, unknown>, what: string) => {
    const access = json.access;
    if (typeof access !== 'string' || !access) throw new Error(`${what} answered without an access token`);
    log.secret(access);
    if (typeof json.refresh === 'string') {
      refresh = json.refresh;
      log.secret(refresh);
    }
    return access;
  };
  return async () => {
    if (refresh !== undefined && (expiry(refresh) ?? Infinity) - MARGIN_MS > Date.now()) {
      try {
        const access = take(await postJson(fetcher, new URL('refresh/', authUrl).href, { refresh }), 'the token refresh');
        log.debug('upstream.token-refreshed', { expiresAt: expiry(access) });
        return access;
      } catch (error) {
        if (!(error instanceof RefusedError)) throw error;
        // Revoked or rotated away: sign in again below.
      }
    }
    refresh = undefined;
    const secret = await password();
    log.secret(secret);
    let answer: Record<string, unknown>;
    try {
      answer = await postJson(fetcher, authUrl, { username, password: secret });
    } catch (error) {
      // The one line an operator needs: who was refused, with what status, in the server's words.
      if (error instanceof RefusedError) log.error('upstream.sign-in-refused', { username, status: error.status, detail: error.detail });
      throw error;
    }
    const access = take(answer, 'the sign-in');
    log.info('upstream.signed-in', { username, expiresAt: expiry(access) });
    return access;
  };
}

function fromFile(file: string, log: Logger): TokenGetter {
  return async () => {
    const token = (await readFile(file, 'utf8')).trim();
    if (!token) throw new Error(`${file} holds no token`);
    log.secret(token);
    return token;
  };
}

function fromCommand(command: string, log: Logger): TokenGetter {
  return () =>
    new Promise((resolve, reject) => {
      exec(command, { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 64 * 1024 }, (error, stdout) => {
        const token = String(stdout).trim();
        // Its output and error text may hold the token: say only how it ended.
        if (error) return reject(new Error(`the token command failed (exit ${error.code ?? error.signal ?? 'unknown'})`));
        if (!token) return reject(new Error('the token command printed no token'));
        log.secret(token);
        resolve(token);
      });
    });
}

/** The token getter for the configured credentials; undefined when there are none (an upstream that needs no token). */
export function tokenGetter(options: CredentialsOptions | undefined, authUrl: string, log: Logger, fetcher: typeof fetch = fetch): TokenGetter | undefined {
  if (!options) return undefined;
  if ('username' in options) {
    const { password } = options;
    return serviceAccount(authUrl, options.username, typeof password === 'function' ? password : async () => password, fetcher, log);
  }
  if ('tokenFile' in options) return fromFile(options.tokenFile, log);
  if ('tokenCommand' in options) return fromCommand(options.tokenCommand, log);
  log.secret(options.token);
  return async () => options.token;
}
