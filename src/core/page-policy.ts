import { ConfigError } from './config-errors.js';
import { allows, intersectPolicies, originOf, parsePolicy, type ConnectionPolicy } from './connection-policy.js';
import type { TokenOptions } from './token-source.js';

// Where this page lets its sign-in token go. The site owner writes the page's <head>; the authors of
// a CMS write its body, and may set any URL attribute there. So only metas in <head> count, and the
// policy the page first declared holds for the page's life: a meta added later can narrow it, never widen it.

/** The policy as read the first time a client or element needed it. */
let first: ConnectionPolicy | undefined;

/** The intersection of the metas in <head> now; `any` without one (and outside a browser). */
function declared(): ConnectionPolicy {
  let policy: ConnectionPolicy = 'any';
  for (const meta of globalThis.document?.head?.querySelectorAll(':scope > meta[name="gym-realtime-policy" i]') ?? []) {
    policy = intersectPolicies(policy, parsePolicy(meta.getAttribute('content') ?? ''));
  }
  return policy;
}

/** The page's policy: what it first declared, narrowed by what it declares now. */
export function pagePolicy(): ConnectionPolicy {
  const now = declared();
  first ??= now;
  return intersectPolicies(first, now);
}

/** Forgets the policy read first (tests only: a page never has a reason to). */
export function forgetPagePolicy(): void {
  first = undefined;
}

/** What fetch and the page resolve a relative address against. */
const base = () => globalThis.document?.baseURI ?? globalThis.location?.href;

const shown = (url: string) => (URL.canParse(url, base()) ? new URL(url, base()).origin : JSON.stringify(url));

const unlisted = (setting: string, url: string, role: string) =>
  new ConfigError(`${setting} points at ${shown(url)}, which this page's gym-realtime-policy does not allow to ${role}: use an address on an origin it lists, or ask the site owner to add this one`);

/** The error for sending the sign-in token to `url` (the page's `setting`), or undefined when the page allows it. */
export function refusedReceiver(setting: string, url: string): ConfigError | undefined {
  return allows(pagePolicy(), url, base()) ? undefined : unlisted(setting, url, 'receive a sign-in token');
}

/**
 * The error for a token source the page does not allow, or undefined: under `none` any token source;
 * otherwise a `tokenUrl` on neither the page's own origin nor one the policy lists.
 */
export function refusedTokenSource({ token, tokenUrl, tokenProvider }: TokenOptions): ConfigError | undefined {
  const policy = pagePolicy();
  if (policy === 'any') return undefined;
  if (!policy.size) {
    const setting = tokenProvider ? 'tokenProvider' : tokenUrl ? 'token-url' : token !== undefined ? 'token' : undefined;
    return setting && new ConfigError(`${setting} is set, but this page's gym-realtime-policy is "none": no sign-in token may be used here; remove ${setting}`);
  }
  // A provider wins over the URL, which is then never fetched.
  if (tokenProvider || !tokenUrl || allows(policy, tokenUrl, base())) return undefined;
  const page = originOf(globalThis.location?.href ?? '');
  return page && originOf(tokenUrl, base()) === page ? undefined : unlisted('token-url', tokenUrl, 'hand out sign-in tokens');
}

/**
 * What the page's policy refuses about a socket to `url` (absolute) with the token from `tokens`
 * (and REST checks at `authCheckUrl`, which the page calls `authCheckSetting`), or undefined.
 * A connection without a token goes anywhere.
 */
export function refusedConnection(url: string, tokens: TokenOptions, authCheckUrl?: string, authCheckSetting = 'authCheckUrl'): ConfigError | undefined {
  // As the token source judges it (`TokenSource.configured`): an empty token-url is none.
  if (!(tokens.tokenProvider ?? tokens.tokenUrl) && tokens.token === undefined) return undefined;
  return refusedTokenSource(tokens) ?? refusedReceiver('url', url) ?? (authCheckUrl ? refusedReceiver(authCheckSetting, authCheckUrl) : undefined);
}
