import { Server, WebSocket as MockWebSocket, type Client } from 'mock-socket';
import type { NetworkEnvironment, NetworkSignal } from '../../src/core/environment.js';

export const GYM_URL = 'ws://gym.test/ws/checkins/';

/** The `token` query value of a socket URL. */
export const tokenOf = (url: string | undefined): string | null => (url ? new URL(url).searchParams.get('token') : null);

/**
 * A mock-socket server standing in for the AV-Gym endpoint. Records every URL
 * a client opened and every frame it sent; `acceptToken` decides handshakes
 * (a refusal closes the socket without it ever opening, like the real 403).
 */
export class MockGym {
  readonly urls: string[] = [];
  readonly protocols: unknown[] = [];
  /** Frames received from clients, parsed. */
  readonly received: { type: string; payload?: unknown; batches?: Record<string, unknown[]> }[] = [];
  readonly connections: Client[] = [];
  acceptToken: (token: string | null) => boolean = () => true;
  /** Set to answer every heartbeat. */
  answerHeartbeats = true;
  readonly server: Server;
  readonly WebSocket: new (url: string) => WebSocket;

  constructor(url = GYM_URL) {
    const { urls, protocols } = this;
    this.server = new Server(url, { verifyClient: () => this.acceptToken(tokenOf(urls.at(-1))) });
    this.server.on('connection', (socket) => {
      this.connections.push(socket);
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as MockGym['received'][number];
        this.received.push(frame);
        if (frame.type === 'heartbeat' && this.answerHeartbeats) socket.send('{"type":"heartbeat_ack"}');
      });
    });
    this.WebSocket = class extends MockWebSocket {
      constructor(socketUrl: string, protocol?: string | string[]) {
        urls.push(socketUrl);
        protocols.push(protocol);
        super(socketUrl, protocol);
      }
    } as unknown as new (url: string) => WebSocket;
  }

  /** The most recent server-side connection. */
  get socket(): Client {
    const socket = this.connections.at(-1);
    if (!socket) throw new Error('no client connected');
    return socket;
  }

  /** Sends a frame (an object is JSON-encoded) on the most recent connection. */
  send(frame: object | string): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Frames received of one type, heartbeats excluded unless asked for. */
  sent(type: string) {
    return this.received.filter((frame) => frame.type === type);
  }

  /** Closes the most recent connection with a code (1006: as if the server died). */
  drop(code = 1006): void {
    this.socket.close({ code, reason: '', wasClean: false });
  }

  stop(): void {
    this.server.stop();
  }
}

/** A network whose online state and visibility the test controls. */
export class FakeNetwork implements NetworkEnvironment {
  online = true;
  readonly #listeners = new Set<(signal: NetworkSignal) => void>();

  get watchers(): number {
    return this.#listeners.size;
  }

  isOnline(): boolean {
    return this.online;
  }

  watch(onSignal: (signal: NetworkSignal) => void): () => void {
    this.#listeners.add(onSignal);
    return () => this.#listeners.delete(onSignal);
  }

  signal(signal: NetworkSignal): void {
    if (signal !== 'visible') this.online = signal === 'online';
    for (const listener of [...this.#listeners]) listener(signal);
  }
}
