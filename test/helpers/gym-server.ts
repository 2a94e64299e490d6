/** Where the test runner's local gym server is, and its control endpoints. */
export interface GymServer {
  origin: string;
  socketUrl: string;
  tokenUrl: string;
  control(action: string, params?: Record<string, string | number>): Promise<unknown>;
  state(): Promise<{ connections: number; handshakes: number; refusedHandshakes: number; framesIn: number }>;
  /** A valid access token from the demo token endpoint. */
  token(): Promise<string>;
}

export async function gymServer(): Promise<GymServer> {
  const { origin, socketUrl } = (await (await fetch('/__gym-server')).json()) as { origin: string; socketUrl: string };
  return {
    origin,
    socketUrl,
    tokenUrl: `${origin}/demo/token`,
    async control(action, params = {}) {
      const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
      const response = await fetch(`${origin}/control/${action}?${query}`, { method: 'POST' });
      return response.json();
    },
    async state() {
      return (await fetch(`${origin}/control/state`)).json();
    },
    async token() {
      return ((await (await fetch(`${origin}/demo/token`)).json()) as { access: string }).access;
    },
  };
}
