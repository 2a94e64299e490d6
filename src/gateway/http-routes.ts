import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayMetrics } from './metrics.js';

export const HISTORY_PATH = '/api/checkins/recent/';

export interface RouteDeps {
  metrics: GatewayMetrics;
  /** The redacted history as the JSON AV-Gym's endpoint answers. */
  historyJson(): string;
  /** The upstream is open and caught up. */
  ready(): boolean;
  upstreamState(): string;
}

function json(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', ...headers });
  response.end(body);
}

/** Public and read-only, like the feed: any page may read it, with no credentials (so never a cookie). */
const HISTORY_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  // A page with a token attribute still sends it; the gateway ignores it, but the preflight must allow it.
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
};

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
      if (method === 'OPTIONS') {
        response.writeHead(204, HISTORY_CORS).end();
        return;
      }
      if (!read) return json(response, 405, '{"detail":"Method not allowed."}', { ...HISTORY_CORS, Allow: 'GET, HEAD, OPTIONS' });
      deps.metrics.historyRequests.inc();
      // A second's cache lets a proxy absorb a burst of page loads; the feed merges by id anyway.
      return json(response, 200, deps.historyJson(), { ...HISTORY_CORS, 'Cache-Control': 'public, max-age=1' });
    }
    if (!read) return json(response, 405, '{"detail":"Method not allowed."}', { Allow: 'GET, HEAD' });
    switch (path) {
      case '/healthz':
        return json(response, 200, '{"status":"ok"}');
      case '/readyz': {
        const ready = deps.ready();
        return json(response, ready ? 200 : 503, JSON.stringify({ ready, upstream: deps.upstreamState() }));
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
