/** One request that reached the counting server (see test/node/counting-server.js). */
export interface CountedRequest {
  kind: 'http' | 'ws';
  method: string;
  path: string;
  /** A `token=` in the query. */
  token: boolean;
  /** An `Authorization` header. */
  authorization: boolean;
}

/** The server on an origin of its own that records every request reaching it. */
export interface CountingServer {
  origin: string;
  socketUrl: string;
  /** What reached it since the last `reset()`. */
  requests(): Promise<CountedRequest[]>;
  reset(): Promise<void>;
  /** Closes every socket open to it (the clients reconnect). */
  drop(): Promise<void>;
}

type Announced = { origin: string; socketUrl: string; requests: CountedRequest[] };

// Asked of the test runner's own origin: asking never reaches the counting server itself.
const ask = async (query = ''): Promise<Announced> => (await fetch(`/__counting-server${query}`, { cache: 'no-store' })).json() as Promise<Announced>;

export async function countingServer(): Promise<CountingServer> {
  const { origin, socketUrl } = await ask();
  return {
    origin,
    socketUrl,
    requests: async () => (await ask()).requests,
    reset: async () => void (await ask('?reset')),
    drop: async () => void (await ask('?drop')),
  };
}
