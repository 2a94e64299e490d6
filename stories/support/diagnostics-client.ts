import { RealtimeClient } from '../../src/core/client.js';
import type { Clock, NetworkEnvironment } from '../../src/core/environment.js';

export type Diagnosed = 'healthy' | 'flapping' | 'outage';

/**
 * A client whose last hour is played back in a few seconds, for the details
 * panel's stories: its clock starts an hour ago and runs a minute every 30 ms or so
 * of real time (never while a heartbeat is on its way), over an in-memory socket that answers heartbeats (20–80 ms)
 * and refuses connections while the story says the server is down.
 */
export function diagnosedClient(kind: Diagnosed): RealtimeClient {
  let offset = -60 * 60_000;
  let down = false;
  /** A heartbeat is on its way: the clock does not jump meanwhile, so round trips stay real. */
  let pending = 0;
  const clock: Clock = {
    now: () => Date.now() + offset,
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const environment: NetworkEnvironment = { isOnline: () => true, watch: () => () => {} };
  const sockets: { drop(): void }[] = [];
  class PlaybackSocket {
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: MessageEvent) => void) | null = null;
    onclose: ((event: CloseEvent) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    constructor(readonly url: string) {
      sockets.push(this);
      setTimeout(() => (down ? this.drop() : this.onopen?.(new Event('open'))), 10);
    }
    send(data: string): void {
      if ((JSON.parse(data) as { type: string }).type !== 'heartbeat') return;
      pending++;
      setTimeout(() => {
        pending--;
        this.onmessage?.(new MessageEvent('message', { data: '{"type":"heartbeat_ack"}' }));
      }, 20 + Math.random() * 60);
    }
    close(): void {}
    drop(): void {
      this.onclose?.(new CloseEvent('close', { code: 1006 }));
    }
  }
  const client = new RealtimeClient({
    url: 'ws://story.invalid/ws/checkins/',
    share: 'none',
    WebSocket: PlaybackSocket as unknown as new (url: string) => WebSocket,
    environment,
    clock,
    heartbeatInterval: 50,
    initialRetryDelay: 100,
    maxRetryDelay: 300,
    // The server is down, not the token: the REST check cannot reach it either.
    authCheckUrl: '/api/checkins/recent/',
    fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    tokenProvider: () => 'story-token',
  });
  client.connect();
  let minute = 0;
  const timer = setInterval(() => {
    if (pending) return;
    offset += 60_000;
    minute++;
    if (kind === 'flapping' && minute % 6 === 0) {
      down = minute % 12 === 0; // every other drop, the next attempts fail for a while too
      sockets.at(-1)?.drop();
      setTimeout(() => (down = false), 400);
    }
    if (kind === 'outage' && minute === 15) {
      down = true;
      sockets.at(-1)?.drop();
    }
    if (minute >= 60) clearInterval(timer);
  }, 30);
  return client;
}
