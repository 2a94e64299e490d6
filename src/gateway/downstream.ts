import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { GatewayConfig } from './config.js';
import { errorFrame, heartbeatAck, READ_ONLY, requestRefused } from './frames.js';
import type { Logger } from './log.js';
import type { DropReason, GatewayMetrics, RefusalReason, RefusedFrame } from './metrics.js';

export const SOCKET_PATH = '/ws/checkins/';

const STATUS_TEXT: Record<number, string> = { 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' };
/** One Buffer for every client, sent as a text frame, never compressed. */
const TEXT = { binary: false, compress: false } as const;

/** One browser: what the limits need, and nothing more (10,000 of these must stay small). */
interface Client {
  ws: WebSocket;
  ip: string;
  /** Token bucket of the frame rate: frames it may still send now, as of `at`. */
  tokens: number;
  at: number;
  /** Answered (a frame or a pong) since the last ping. */
  alive: boolean;
  /** Cut off already: counted once. */
  dropped: boolean;
}

/** `::ffff:127.0.0.1` (IPv4 on a dual-stack socket) is 127.0.0.1. */
const plainAddress = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/**
 * The browsers' side: a `ws` server on `/ws/checkins/` that is read-only and bounded. It answers
 * `heartbeat` and refuses every other frame (nothing goes upstream); it refuses handshakes from
 * origins not allowed and beyond the connection caps, cuts off clients that send too much, too
 * fast, stop answering pings or read too slowly, and fans each upstream frame out as one Buffer.
 */
export class Downstream {
  readonly #wss: WebSocketServer;
  readonly #clients = new Set<Client>();
  readonly #perIp = new Map<string, number>();
  /** Handshakes accepted but not completed yet: they count against the caps. */
  #pending = 0;
  #draining = false;
  /** Called when the last client has gone (shutdown waits for it). */
  #emptied: (() => void) | undefined;
  /** Frames to fan out at the end of this turn of the event loop (see `broadcast`). */
  #queue: Buffer[] = [];
  readonly #pinger: ReturnType<typeof setInterval>;

  readonly #config: GatewayConfig;
  readonly #metrics: GatewayMetrics;
  readonly #log: Logger;
  readonly #greet: () => string[];

  /** `greet`: the frames a browser gets as soon as it is connected (the gateway's figures and status). */
  constructor(config: GatewayConfig, metrics: GatewayMetrics, log: Logger, greet: () => string[]) {
    this.#config = config;
    this.#metrics = metrics;
    this.#log = log;
    this.#greet = greet;
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: config.limits.maxFrameBytes,
      // The widgets offer no subprotocol; selecting one would make a browser fail the connection.
      handleProtocols: () => false,
    });
    this.#pinger = setInterval(() => this.#sweep(), config.timings.pingInterval);
    this.#pinger.unref();
  }

  get size(): number {
    return this.#clients.size;
  }

  /** The client's address: the socket's, or behind a trusted proxy the last `X-Forwarded-For` entry (the one the proxy added). */
  #address(request: IncomingMessage): string {
    const forwarded = this.#config.trustProxy ? request.headers['x-forwarded-for'] : undefined;
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
    return plainAddress(last || request.socket.remoteAddress || 'unknown');
  }

  /** Takes an HTTP upgrade: either refuses it with a status (counted) or makes it a client. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const refuse = (status: number, reason: RefusalReason) => {
      this.#metrics.refusedConnections.inc({ reason });
      this.#log.debug('client.refused', { reason, status });
      socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n${status === 429 || status === 503 ? 'Retry-After: 30\r\n' : ''}\r\n`);
    };
    const { limits, allowOrigins } = this.#config;
    const path = (request.url ?? '').split('?')[0];
    if (path !== SOCKET_PATH) return refuse(404, 'path');
    if (this.#draining) return refuse(503, 'draining');
    // A browser always sends Origin; a client without one (a script, a monitor) is no page to protect.
    const origin = request.headers.origin;
    if (origin !== undefined && allowOrigins.size > 0 && !allowOrigins.has(origin.toLowerCase())) return refuse(403, 'origin');
    if (this.#clients.size + this.#pending >= limits.maxClients) return refuse(503, 'capacity');
    const ip = this.#address(request);
    const fromIp = this.#perIp.get(ip) ?? 0;
    if (fromIp >= limits.maxClientsPerIp) return refuse(429, 'per-ip');
    this.#perIp.set(ip, fromIp + 1);
    this.#pending++;
    // A socket that dies mid-handshake never reaches the callback: give its place back.
    const abandoned = () => {
      this.#pending--;
      this.#release(ip);
    };
    socket.once('close', abandoned);
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('close', abandoned);
      this.#pending--;
      this.#accept(ws, ip);
    });
  }

  #accept(ws: WebSocket, ip: string): void {
    const { limits } = this.#config;
    const client: Client = { ws, ip, tokens: limits.maxFrameBurst, at: Date.now(), alive: true, dropped: false };
    this.#clients.add(client);
    ws.on('message', (data, isBinary) => this.#receive(client, data, isBinary));
    ws.on('pong', () => (client.alive = true));
    // ws closes the connection itself after an error (1009 for a frame over maxPayload).
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.#count(client, 'frame-size');
    });
    ws.on('close', () => {
      this.#clients.delete(client);
      this.#release(ip);
      if (this.#clients.size === 0) this.#emptied?.();
    });
    for (const frame of this.#greet()) this.#send(client, frame);
  }

  #release(ip: string): void {
    const left = (this.#perIp.get(ip) ?? 1) - 1;
    if (left > 0) this.#perIp.set(ip, left);
    else this.#perIp.delete(ip);
  }

  #send(client: Client, text: string): void {
    if (client.ws.readyState !== client.ws.OPEN) return;
    client.ws.send(text, TEXT);
    this.#metrics.framesOut.inc();
  }

  /** Every client frame is answered here and nowhere else: nothing a browser sends reaches upstream. */
  #receive(client: Client, data: RawData, isBinary: boolean): void {
    client.alive = true;
    const { maxFrameRate, maxFrameBurst } = this.#config.limits;
    const now = Date.now();
    client.tokens = Math.min(maxFrameBurst, client.tokens + ((now - client.at) * maxFrameRate) / 1000);
    client.at = now;
    if (client.tokens < 1) {
      this.#count(client, 'rate');
      client.ws.close(1008, 'Too many frames');
      return;
    }
    client.tokens--;
    if (isBinary) return this.#refuse(client, 'binary', [errorFrame('Binary frames are not accepted')]);
    let frame: unknown;
    try {
      frame = JSON.parse(String(data));
    } catch {
      return this.#refuse(client, 'invalid-json', [errorFrame('Invalid JSON format')]);
    }
    const type = typeof frame === 'object' && frame !== null ? (frame as { type?: unknown }).type : undefined;
    if (type === 'heartbeat') {
      this.#metrics.framesIn.inc({ result: 'answered' });
      this.#send(client, heartbeatAck(now));
      return;
    }
    if (type === 'check_in' || type === 'check_out') return this.#refuse(client, 'request', [requestRefused(type)]);
    if (type === 'batch') {
      // Each item gets the reply AV-Gym would give a failed one, in order, so every request() settles.
      const batches = (frame as { batches?: unknown }).batches;
      const replies: string[] = [];
      if (typeof batches === 'object' && batches !== null) {
        for (const kind of ['check_in', 'check_out'] as const) {
          const items = (batches as Record<string, unknown>)[kind];
          if (Array.isArray(items)) for (let i = 0; i < items.length; i++) replies.push(requestRefused(kind));
        }
      }
      return this.#refuse(client, 'request', replies.length ? replies : [errorFrame(READ_ONLY)]);
    }
    this.#refuse(client, 'other', [errorFrame(READ_ONLY)]);
  }

  #refuse(client: Client, kind: RefusedFrame, replies: string[]): void {
    this.#metrics.framesIn.inc({ result: 'refused' });
    this.#metrics.refusedFrames.inc({ kind });
    for (const reply of replies) this.#send(client, reply);
  }

  #count(client: Client, reason: DropReason): void {
    if (client.dropped) return;
    client.dropped = true;
    this.#metrics.dropped.inc({ reason });
    this.#log.debug('client.dropped', { reason });
  }

  /**
   * Sends one frame to every client, at the end of this turn of the event loop: frames that come
   * together from upstream (a check-in and its figures) then go out in one write per client, not
   * one each — on a busy gateway the system calls are most of the cost. A client whose backlog is
   * over `--max-buffered-bytes` is cut off instead.
   */
  broadcast(text: string): void {
    if (this.#queue.push(Buffer.from(text)) === 1) setImmediate(() => this.#flush());
  }

  #flush(): void {
    const frames = this.#queue;
    this.#queue = [];
    const started = performance.now();
    const limit = this.#config.limits.maxBufferedBytes;
    let sent = 0;
    for (const client of this.#clients) {
      const { ws } = client;
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > limit) {
        // Its buffers are full: a close frame would queue behind them, so cut the socket.
        this.#count(client, 'slow');
        ws.terminate();
        continue;
      }
      // ws writes each frame at once (no compression here, so nothing waits in its queue): corking
      // its socket gathers them into one write. `_socket` is ws's; without it, one write a frame.
      const socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
      socket?.cork();
      for (const frame of frames) ws.send(frame, TEXT);
      socket?.uncork();
      sent++;
    }
    this.#metrics.framesOut.inc(sent * frames.length);
    if (sent) this.#metrics.fanOut.observe((performance.now() - started) / 1000);
  }

  /** Pings everyone; a client that answered nothing since the previous ping is gone (a dead TCP link). */
  #sweep(): void {
    for (const client of this.#clients) {
      if (!client.alive) {
        this.#count(client, 'unresponsive');
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }

  /**
   * Refuses new handshakes and closes every client with 1001 (going away): their clients reconnect
   * with jitter, to another instance behind the load balancer. Resolves when all are gone, cutting
   * off those still there after `shutdownGrace`.
   */
  async close(): Promise<void> {
    this.#draining = true;
    clearInterval(this.#pinger);
    if (this.#clients.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#config.timings.shutdownGrace);
        this.#emptied = () => {
          clearTimeout(timer);
          resolve();
        };
        for (const { ws } of this.#clients) ws.close(1001, 'Gateway shutting down');
      });
    }
    for (const { ws } of this.#clients) ws.terminate();
    this.#wss.close();
  }
}
