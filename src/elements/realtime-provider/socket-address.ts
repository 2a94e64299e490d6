import { redactTokens } from '../../core/options.js';

const SOCKET = "AV-Gym's socket is wss://…/ws/checkins/";

/**
 * What is wrong with the `url` a page wrote, read as the client reads it (`socketUrl`: resolved
 * against the page, `http(s):` taken as `ws(s):`), as a sentence naming the attribute and the fix;
 * undefined when it is a socket address. A path without its trailing `/` or an address of another
 * kind never reaches AV-Gym's socket (it answers 403 or 404, like a refused token), so it is said
 * before anything is sent.
 */
export function urlError(written: string, page = globalThis.location?.href): TypeError | undefined {
  const url = URL.canParse(written, page) ? new URL(written, page) : undefined;
  let wrong = '';
  if (!url || !/^(ws|http)s?:$/.test(url.protocol)) {
    wrong = URL.canParse(written) ? `must use ws:, wss:, http: or https:, not ${url!.protocol}` : `${JSON.stringify(redactTokens(written))} is no socket address on this page: write the whole address`;
  } else if (!url.pathname.endsWith('/')) {
    wrong = `must end with /: write ${JSON.stringify(redactTokens(written.replace(/^[^?#]*/, '$&/')))}`;
  }
  return wrong ? new TypeError(`url ${wrong}; ${SOCKET}`) : undefined;
}
