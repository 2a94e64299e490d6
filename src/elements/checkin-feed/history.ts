import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { readCheckIn } from '../../protocol/codec.js';
import type { CheckIn } from '../../protocol/types.js';
import { GymClientError } from '../../core/errors.js';
import { crossOrigin, describeResponse, misconfigured } from '../../core/config-errors.js';
import { refusedReceiver } from '../../core/page-policy.js';

/**
 * GETs the recent check-ins with the bearer token. Throws `misconfigured` for
 * an answer that is no history (404, an HTML page, not a list, a cross-origin
 * request the browser refused) or an origin the page's policy does not allow
 * the token, anything else for a failure that may pass.
 */
async function fetchHistory(url: string, token: (refused?: string) => Promise<string | undefined>, signal: AbortSignal): Promise<CheckIn[]> {
  let bearer: string | undefined;
  try {
    bearer = await token();
  } catch {
    // The token URL's own problem, which the provider reports: not this history's.
    throw new Error('no token for the history');
  }
  // Refused, not sent without the token: the page's owner did not name this origin.
  const refused = bearer ? refusedReceiver('history-url', url) : undefined;
  if (refused) throw refused;
  const get = async (bearerNow: string | undefined) => {
    try {
      return await fetch(url, { headers: bearerNow ? { Authorization: `Bearer ${bearerNow}` } : {}, signal });
    } catch (error) {
      if (signal.aborted || !crossOrigin(url)) throw error;
      throw misconfigured('history-url', 'could not be fetched: the server is down or its CORS does not allow this page with an Authorization header');
    }
  };
  let response = await get(bearer);
  // A token the server stopped taking (revoked early): one new one, shared with whoever else asks, and one retry.
  if (response.status === 401 && bearer) {
    const renewed = await token(bearer).catch(() => undefined);
    if (renewed && renewed !== bearer) response = await get(renewed);
  }
  const what = describeResponse(response);
  const wrong = (answer: string) => misconfigured('history-url', `answered ${what}${answer} — is the address right?`);
  // 401/403: the token, which the client itself judges; 5xx: the server, for now.
  if (response.status >= 400 && response.status < 500 && response.status !== 401 && response.status !== 403) throw wrong('');
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  let list: unknown;
  try {
    list = await response.json();
  } catch {
    throw wrong(' that is not JSON');
  }
  if (!Array.isArray(list)) throw wrong(' that is not a list of check-ins');
  const checkIns: CheckIn[] = [];
  for (const item of list) {
    try {
      checkIns.push(readCheckIn(item));
    } catch {
      // A malformed history item is skipped; the others still show.
    }
  }
  return checkIns;
}

/**
 * Loads the backend's recent check-ins for a feed, with the client's bearer
 * token. One request at a time: a new load, or the host leaving the page,
 * aborts the one in flight, whose outcome then changes nothing.
 */
export class HistoryLoader implements ReactiveController {
  /** `loading` while a request is in flight; `failed` until the next load. */
  status: 'idle' | 'loading' | 'failed' = 'idle';
  /** A load has finished, loaded or failed, since the host joined the page. */
  settled = false;
  #abort: AbortController | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onLoad: (checkIns: CheckIn[]) => void,
    /** `history-url` answers something else than a history: a page to fix, said in words. */
    private readonly onMisconfigured: (message: string) => void,
  ) {
    host.addController(this);
  }

  async load(url: string, token: (refused?: string) => Promise<string | undefined>): Promise<void> {
    this.#abort?.abort();
    const { signal } = (this.#abort = new AbortController());
    this.#set('loading');
    try {
      const checkIns = await fetchHistory(url, token, signal);
      signal.throwIfAborted();
      this.onLoad(checkIns);
      this.#set('idle');
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof GymClientError && error.code === 'misconfigured') this.onMisconfigured(error.message);
      this.#set('failed');
    }
  }

  hostDisconnected(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    this.status = 'idle';
    this.settled = false;
  }

  #set(status: HistoryLoader['status']): void {
    this.status = status;
    if (status !== 'loading') this.settled = true;
    this.host.requestUpdate();
  }
}
