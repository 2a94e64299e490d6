// A page's connection policy: the origins that may receive its sign-in token, as the site owner
// declares them in `<meta name="gym-realtime-policy" content="https://gym.example wss://gym.example:8443">`,
// or `content="none"` for a page that sends a token nowhere. Plain values in and out: reading the
// page is `page-policy.ts`.

/** `any`: no policy (every origin may). Otherwise the origins that may, in their `http(s)` form; empty for `none`. */
export type ConnectionPolicy = 'any' | ReadonlySet<string>;

/**
 * The origin of `url` in its `http(s)` form; undefined for what is neither an `http(s)` nor a `ws(s)`
 * address. A socket and the REST API beside it are one server: `ws(s)://host:port` counts as `http(s)://host:port`.
 */
export function originOf(url: string, base?: string): string | undefined {
  if (!URL.canParse(url, base)) return undefined;
  // `host` leaves out the scheme's default port, which ws and http (wss and https) share.
  const { protocol, host } = new URL(url, base);
  return /^(http|ws)s?:$/.test(protocol) && host ? `${protocol.replace('ws', 'http')}//${host}` : undefined;
}

/** An entry that is an origin and nothing more; anything else (a path, a wildcard, a bare host) allows nothing. */
function entryOrigin(entry: string): string | undefined {
  // A wildcard is no origin: `*` would parse as a host of its own (`%2A`).
  if (/[*%]/.test(entry) || !URL.canParse(entry)) return undefined;
  const { username, password, pathname, search, hash } = new URL(entry);
  return username || password || search || hash || pathname !== '/' ? undefined : originOf(entry);
}

/** A meta's `content`: whitespace-separated origins, or `none`. Fails closed: an empty or unreadable one allows nothing. */
export function parsePolicy(content: string): ConnectionPolicy {
  const entries = content.split(/\s+/).filter(Boolean);
  if (entries.some((entry) => entry.toLowerCase() === 'none')) return new Set();
  return new Set(entries.map(entryOrigin).filter((origin) => origin !== undefined));
}

/** What both policies allow: several metas, or one read later, can only narrow what a page allows. */
export function intersectPolicies(a: ConnectionPolicy, b: ConnectionPolicy): ConnectionPolicy {
  if (a === 'any') return b;
  if (b === 'any') return a;
  return new Set([...a].filter((origin) => b.has(origin)));
}

/** True when `policy` lets `url` (resolved against `base`) receive a token. */
export function allows(policy: ConnectionPolicy, url: string, base?: string): boolean {
  if (policy === 'any') return true;
  const origin = originOf(url, base);
  return origin !== undefined && policy.has(origin);
}
