import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayMetrics } from './metrics.js';

export const HISTORY_PATH = '/api/checkins/recent/';

export interface RouteDeps {
  metrics: GatewayMetrics;
  /** The redacted history as the JSON AV-Gym's endpoint answers. */
  historyJson(): string;
  /** The upstream is open and caught up. */
  ready(): boolean;
  /** Why not, in an operator's words. */
  notReadyBecause(): string;
  upstreamState(): string;
  /** Browser origins allowed (`--allow-origin`); empty: any page may read the history. */
  allowOrigins: ReadonlySet<string>;
}

function json(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', ...headers });
  response.end(body);
}

/** What a preflight of the history is allowed (the methods and headers, not the origin). */
const HISTORY_PREFLIGHT = {
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  // A page with a token attribute still sends it; the gateway ignores it, but the preflight must allow it.
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
};

/**
 * The history's CORS, as the socket's Origin rule: with no `--allow-origin`, any page (`*`, and
 * never credentials, so never a cookie); with a list, the request's Origin echoed when listed and
 * no `Access-Control-Allow-Origin` otherwise, so the browser keeps the answer from that page.
 */
function historyCors(request: IncomingMessage, allowOrigins: ReadonlySet<string>): Record<string, string> {
  if (allowOrigins.size === 0) return { 'Access-Control-Allow-Origin': '*' };
  const origin = request.headers.origin?.toLowerCase();
  return origin !== undefined && allowOrigins.has(origin) ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : { Vary: 'Origin' };
}

/**
 * The gateway's HTTP side: the history at AV-Gym's path (so moving a page changes only the host),
 * health and readiness for a load balancer, and metrics for Prometheus.
 */
export function routes(deps: RouteDeps): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const method = request.method ?? 'GET';
    const read = method === 'GET' || method === 'HEAD';
    if (path === HISTORY_PATH) {
      const cors = historyCors(request, deps.allowOrigins);
      if (method === 'OPTIONS') {
        response.writeHead(204, { ...HISTORY_PREFLIGHT, ...cors }).end();
        return;
      }
      if (!read) return json(response, 405, '{"detail":"Method not allowed."}', { ...cors, Allow: 'GET, HEAD, OPTIONS' });
      deps.metrics.historyRequests.inc();
      // A second's cache lets a proxy absorb a burst of page loads (per Origin, with a list); the feed merges by id anyway.
      return json(response, 200, deps.historyJson(), { ...cors, 'Cache-Control': 'public, max-age=1' });
    }
    if (!read) return json(response, 405, '{"detail":"Method not allowed."}', { Allow: 'GET, HEAD' });
    switch (path) {
      case '/healthz':
        return json(response, 200, '{"status":"ok"}');
      case '/readyz': {
        const ready = deps.ready();
        return json(response, ready ? 200 : 503, JSON.stringify({ ready, upstream: deps.upstreamState(), ...(ready ? {} : { reason: deps.notReadyBecause() }) }));
      }
      case '/metrics':
        deps.metrics.text().then(
          (text) => {
            response.writeHead(200, { 'Content-Type': deps.metrics.contentType, 'Cache-Control': 'no-store' });
            response.end(text);
          },
          () => json(response, 500, '{"detail":"Metrics failed."}'),
        );
        return;
      default:
        return json(response, 404, '{"detail":"Not found."}');
    }
  };
}
