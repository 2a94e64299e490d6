import { Server, WebSocket as MockWebSocket, type Client } from 'mock-socket';
import type { NetworkEnvironment, NetworkSignal } from '../../src/core/environment.js';

export const GYM_URL = 'ws://gym.test/ws/checkins/';

/** The `token` query value of a socket URL. */
export const tokenOf = (url: string | undefined): string | null => (url ? new URL(url).searchParams.get('token') : null);

/** A frame a client sent, parsed. */
export interface Frame {
  type: string;
  payload?: unknown;
  batches?: Record<string, unknown[]>;
}

/**
 * A mock-socket server standing in for the AV-Gym endpoint. Records every URL
 * a client opened a socket to and every frame the server received;
 * `acceptToken` decides handshakes (a refusal closes the socket without it
 * ever opening, like the real 403); heartbeats are answered unless
 * `answerHeartbeats` is turned off.
 */
export class MockGym {
  /** Every URL a socket was opened to, in order. */
  readonly urls: string[] = [];
  readonly connections: Client[] = [];
  acceptToken: (token: string | null) => boolean = () => true;
  /** Set to answer every heartbeat. */
  answerHeartbeats = true;
  readonly server: Server;
  readonly WebSocket: new (url: string) => WebSocket;
  readonly #frames: Frame[] = [];

  constructor(url = GYM_URL) {
    const { urls } = this;
    this.server = new Server(url, { verifyClient: () => this.acceptToken(tokenOf(urls.at(-1))) });
    this.server.on('connection', (socket) => {
      this.connections.push(socket);
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Frame;
        this.#frames.push(frame);
        if (frame.type === 'heartbeat' && this.answerHeartbeats) socket.send('{"type":"heartbeat_ack"}');
      });
    });
    this.WebSocket = class extends MockWebSocket {
      constructor(socketUrl: string, protocol?: string | string[]) {
        urls.push(socketUrl);
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

  /** The frames the server received from clients, in order: all of them, or those of one type. */
  received(type?: string): Frame[] {
    return type === undefined ? [...this.#frames] : this.#frames.filter((frame) => frame.type === type);
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
