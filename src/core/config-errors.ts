import { GymClientError } from './errors.js';

// Addresses the page gives (token-url, history-url) that answer something else
// than they should: said as a configuration error naming the setting and what
// came back, so the person who pasted the snippet can fix it.

/** A `misconfigured` error; `maybeNetwork` when the network could also explain it (a failed cross-origin request). */
export class ConfigError extends GymClientError {
  constructor(
    message: string,
    readonly maybeNetwork = false,
  ) {
    super(message, 'misconfigured');
  }
}

/** A `misconfigured` error: `what` says what `setting` answered. */
export const misconfigured = (setting: string, what: string, maybeNetwork?: boolean) => new ConfigError(`${setting} ${what}`, maybeNetwork);

/** "404 text/html", for messages about what an address answered. */
export const describeResponse = (response: Response) => `${response.status} ${response.headers.get('Content-Type')?.split(';')[0] ?? 'without a content type'}`;

/** True when `url` is on another origin than the page (where CORS can refuse it). */
export const crossOrigin = (url: string) => {
  const page = globalThis.location?.href;
  return page !== undefined && URL.canParse(url, page) && new URL(url, page).origin !== new URL(page).origin;
};
