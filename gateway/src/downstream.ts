import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import * as wsExports from 'ws';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { GatewayConfig, Limits } from './config.js';
import { errorFrame, heartbeatAck, READ_ONLY, requestRefused } from './frames.js';
import type { Logger } from './log.js';
import type { DropReason, GatewayMetrics, RefusalReason, RefusedFrame } from './metrics.js';

export const SOCKET_PATH = '/ws/checkins/';

const STATUS_TEXT: Record<number, string> = { 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' };
/** One Buffer for every client, sent as a text frame, never compressed. */
const TEXT = { binary: false, compress: false } as const;
/** A whole, unmasked, uncompressed text frame, as `ws`'s public `Sender.frame` makes it (opcode 1, FIN). */
const SERVER_TEXT_FRAME = { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false };
/** `ws`'s Sender, public in its documentation, missing from its types. */
const { Sender } = wsExports as unknown as { Sender: { frame(data: Buffer, options: typeof SERVER_TEXT_FRAME): Buffer[] } };

/** One browser: what the limits need, and nothing more (10,000 of these must stay small). */
interface Client {
  ws: WebSocket;
  address: Address;
  /** Frames it may still send now (token bucket), as of `at`. */
  frames: Bucket;
  /** Answered (a frame or a pong) since the last ping. */
  alive: boolean;
  /** Since when its backlog has been above the low-water mark; undefined while it keeps up. */
  behindSince: number | undefined;
  /** Cut off already: counted once. */
  dropped: boolean;
}

/** One remote address: its connections, and what all of them together may still send. */
interface Address {
  ip: string;
  connections: number;
  frames: Bucket;
  bytes: Bucket;
}

/** A token bucket: `level` tokens as of `at` (ms), refilled at `rate` a second up to `burst`. */
interface Bucket {
  level: number;
  at: number;
}

/** Takes `cost` from a bucket refilled at `rate`/s up to `burst`; false when there is not enough. */
export function take(bucket: Bucket, cost: number, rate: number, burst: number, now: number): boolean {
  bucket.level = Math.min(burst, bucket.level + ((now - bucket.at) * rate) / 1000);
  bucket.at = now;
  if (bucket.level < cost) return false;
  bucket.level -= cost;
  return true;
}

/**
 * Whether a client with `backlog` unsent bytes, behind (over `slowClientBytes`) since
 * `behindSince`, may be given `size` more: never past `maxBufferedBytes` (the memory one client
 * may hold), and not once it has stayed behind for `slowClientMs`. A burst that fills a socket
 * for a moment drains; a reader that stopped does not.
 */
export function keepsUp(backlog: number, size: number, behindSince: number | undefined, now: number, limits: Pick<Limits, 'maxBufferedBytes' | 'slowClientMs'>): boolean {
  if (backlog + size > limits.maxBufferedBytes) return false;
  return behindSince === undefined || now - behindSince <= limits.slowClientMs;
}

/** `::ffff:127.0.0.1` (IPv4 on a dual-stack socket) is 127.0.0.1. */
const plainAddress = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/** A refused handshake's socket is destroyed at the latest this long after its answer was written. */
const REFUSAL_DEADLINE_MS = 1000;
/** Queued frames go out at the end of the turn, or as soon as they come to this many bytes. */
const FLUSH_BYTES = 64 * 1024;
/** A client closed for breaking a rule is cut off this long after, if it did not close by then. */
const CLOSE_DEADLINE_MS = 1000;
/** Sockets one address may hold open at once beyond its clients: HTTP requests, handshakes under way. */
export const EXTRA_SOCKETS_PER_ADDRESS = 32;

/**
 * The browsers' side: a `ws` server on `/ws/checkins/` that is read-only and bounded. It answers
 * `heartbeat` and refuses every other frame (nothing goes upstream); it refuses handshakes from
 * origins not allowed and beyond the connection caps, cuts off clients (and addresses) that send
 * too much, too fast, stop answering pings or stop reading, and fans each upstream frame out as
 * one Buffer.
 *
 * Every input is bounded by its own size: a frame costs at most `maxBatchItems` small replies,
 * and every write to a client goes through `#write`, which checks the client's backlog first.
 */
export class Downstream {
  readonly #wss: WebSocketServer;
  readonly #clients = new Set<Client>();
  readonly #addresses = new Map<string, Address>();
  /** TCP sockets open per address (see `admitSocket`). */
  readonly #sockets = new Map<string, number>();
  /** Handshakes accepted but not completed yet: they count against the caps. */
  #pending = 0;
  /** Refused handshakes whose socket is not destroyed yet (a descriptor each). */
  #refusing = 0;
  #draining = false;
  /** Called when the last client has gone (shutdown waits for it). */
  #emptied: (() => void) | undefined;
  /** Frames to fan out at the end of this turn of the event loop (see `broadcast`). */
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  /** The newest figures of this turn: a burst of check-ins sends its figures once, last. */
  #stats: Buffer | undefined;
  #flushScheduled = false;
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

  /** Sockets this side holds a descriptor for: clients, handshakes under way, refusals not yet destroyed. */
  get sockets(): number {
    return this.#clients.size + this.#pending + this.#refusing;
  }

  /** The client's address: the socket's, or behind a trusted proxy the last `X-Forwarded-For` entry (the one the proxy added). */
  #address(request: IncomingMessage): string {
    const forwarded = this.#config.trustProxy ? request.headers['x-forwarded-for'] : undefined;
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
    return plainAddress(last || request.socket.remoteAddress || 'unknown');
  }

  /**
   * Answers a refused handshake and lets its descriptor go: destroyed once the answer is written,
   * or after a short deadline if the peer does not read it (an `end()` alone would keep a
   * half-open socket for as long as the peer likes).
   */
  #refuse(socket: Duplex, status: number, reason: RefusalReason, origin?: string, ip?: string): void {
    this.#metrics.refusedConnections.inc({ reason });
    this.#log.sometimes('client.refused', { reason, status, ...(ip === undefined ? {} : { ip }), ...(origin === undefined ? {} : { origin }) });
    this.#refusing++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#refusing--;
      clearTimeout(deadline);
      socket.destroy();
    };
    const deadline = setTimeout(release, REFUSAL_DEADLINE_MS);
    deadline.unref();
    socket.once('close', release);
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n${status === 429 || status === 503 ? 'Retry-After: 30\r\n' : ''}\r\n`, release);
  }

  /**
   * Takes a new TCP connection of the server, before any byte of it is read: one address may hold
   * at most `maxClientsPerIp` clients plus a few sockets for HTTP. Beyond that the socket is
   * destroyed at once, so a flood of connections costs an accept and a map look-up each. Behind a
   * trusted proxy every socket comes from the proxy: the address is known only from the headers.
   */
  admitSocket(socket: Socket): void {
    if (this.#config.trustProxy) return;
    const ip = plainAddress(socket.remoteAddress ?? 'unknown');
    const open = this.#sockets.get(ip) ?? 0;
    if (open >= this.#config.limits.maxClientsPerIp + EXTRA_SOCKETS_PER_ADDRESS) {
      this.#metrics.refusedConnections.inc({ reason: 'per-ip' });
      this.#log.sometimes('client.refused', { reason: 'per-ip', status: 'reset', ip });
      socket.destroy();
      return;
    }
    this.#sockets.set(ip, open + 1);
    socket.once('close', () => {
      const left = (this.#sockets.get(ip) ?? 1) - 1;
      if (left > 0) this.#sockets.set(ip, left);
      else this.#sockets.delete(ip);
    });
  }

  /** Takes an HTTP upgrade: either refuses it with a status (counted) or makes it a client. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const { limits, allowOrigins } = this.#config;
    // The caps come first: they cost a map look-up, and hold every later refusal too.
    if (this.sockets >= limits.maxClients) return this.#refuse(socket, 503, 'capacity');
    const ip = this.#address(request);
    const address = this.#addresses.get(ip);
    if ((address?.connections ?? 0) >= limits.maxClientsPerIp) return this.#refuse(socket, 429, 'per-ip', undefined, ip);
    const path = (request.url ?? '').split('?')[0];
    if (path !== SOCKET_PATH) return this.#refuse(socket, 404, 'path', undefined, ip);
    if (this.#draining) return this.#refuse(socket, 503, 'draining');
    // A browser always sends Origin; a client without one (a script, a monitor) is no page to protect.
    const origin = request.headers.origin;
    if (origin !== undefined && allowOrigins.size > 0 && !allowOrigins.has(origin.toLowerCase())) return this.#refuse(socket, 403, 'origin', origin.slice(0, 200), ip);
    const taken = this.#hold(ip);
    this.#pending++;
    // A socket that dies mid-handshake never reaches the callback: give its place back.
    const abandoned = () => {
      this.#pending--;
      this.#release(taken);
    };
    socket.once('close', abandoned);
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('close', abandoned);
      this.#pending--;
      this.#accept(ws, taken);
    });
  }

  /** The address's record, with one more connection (made with full budgets when it is new). */
  #hold(ip: string): Address {
    const { maxAddressFrameBurst, maxAddressByteBurst } = this.#config.limits;
    const now = Date.now();
    let address = this.#addresses.get(ip);
    if (!address) {
      address = { ip, connections: 0, frames: { level: maxAddressFrameBurst, at: now }, bytes: { level: maxAddressByteBurst, at: now } };
      this.#addresses.set(ip, address);
    }
    address.connections++;
    return address;
  }

  #release(address: Address): void {
    if (--address.connections <= 0) this.#addresses.delete(address.ip);
  }

  #accept(ws: WebSocket, address: Address): void {
    const { limits } = this.#config;
    const client: Client = { ws, address, frames: { level: limits.maxFrameBurst, at: Date.now() }, alive: true, behindSince: undefined, dropped: false };
    this.#clients.add(client);
    ws.on('message', (data, isBinary) => this.#receive(client, data, isBinary));
    // Control frames cost budget too: a ping flood is a frame flood (ws answers each with a pong).
    ws.on('ping', (data) => this.#admit(client, data.length));
    ws.on('pong', (data) => {
      client.alive = true;
      this.#admit(client, data.length);
    });
    // ws closes the connection itself after an error (1009 for a frame over maxPayload).
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.#count(client, 'frame-size');
    });
    ws.on('close', () => {
      this.#clients.delete(client);
      this.#release(address);
      if (this.#clients.size === 0) this.#emptied?.();
    });
    this.#write(client, this.#greet(), Date.now());
  }

  /**
   * Writes frames to one client, unless its backlog says it is not reading: over
   * `maxBufferedBytes` it is cut off at once (the memory a client may hold is bounded), and above
   * the low-water mark `slowClientBytes` for longer than `slowClientMs` too (a reader that fell behind and
   * stays behind). A burst that fills the socket for a moment is no reason: it drains.
   */
  #write(client: Client, frames: readonly (string | Buffer)[], now: number, prepared?: Buffer): boolean {
    const { ws } = client;
    if (ws.readyState !== ws.OPEN || frames.length === 0) return false;
    let size = prepared?.length ?? 0;
    if (!prepared) for (const frame of frames) size += typeof frame === 'string' ? Buffer.byteLength(frame) : frame.length;
    const backlog = ws.bufferedAmount;
    client.behindSince = backlog > this.#config.limits.slowClientBytes ? (client.behindSince ?? now) : undefined;
    if (!keepsUp(backlog, size, client.behindSince, now, this.#config.limits)) {
      // Its buffers are full: a close frame would queue behind them, so cut the socket.
      this.#count(client, 'slow');
      ws.terminate();
      return false;
    }
    const socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void; write(data: Buffer): boolean } })._socket;
    if (prepared && socket) {
      // The frames, framed once for every client (see #flush): one write, no framing per client.
      socket.write(prepared);
    } else {
      // ws writes each frame at once (no compression here, so nothing waits in its queue): corking
      // its socket gathers them into one write. `_socket` is ws's; without it, one write a frame.
      if (frames.length > 1) socket?.cork();
      for (const frame of frames) ws.send(frame, TEXT);
      if (frames.length > 1) socket?.uncork();
    }
    // A fan-out counts its frames once for all clients (#flush).
    if (!prepared) this.#metrics.framesOut.inc(frames.length);
    return true;
  }

  /**
   * Charges one inbound frame of `bytes` to the client and to its address (all its connections
   * together); a client over either budget is cut off. False when it was.
   */
  #admit(client: Client, bytes: number): boolean {
    if (client.dropped) return false;
    const { maxFrameRate, maxFrameBurst, maxAddressFrameRate, maxAddressFrameBurst, maxAddressByteRate, maxAddressByteBurst } = this.#config.limits;
    const now = Date.now();
    const { address } = client;
    let reason: DropReason | undefined;
    if (!take(client.frames, 1, maxFrameRate, maxFrameBurst, now)) reason = 'rate';
    else if (!take(address.frames, 1, maxAddressFrameRate, maxAddressFrameBurst, now) || !take(address.bytes, bytes, maxAddressByteRate, maxAddressByteBurst, now)) reason = 'address-rate';
    if (reason === undefined) return true;
    this.#cut(client, reason, 'Too many frames');
    return false;
  }

  /**
   * Closes a client that broke a rule with 1008 and a reason a widget can show, and counts it.
   * One that does not answer the close (it stopped reading) is cut soon after, rather than after
   * the 30 s `ws` waits: its descriptor and its place under the caps are what it is after.
   */
  #cut(client: Client, reason: DropReason, text: string): void {
    this.#count(client, reason);
    client.ws.close(1008, text);
    setTimeout(() => client.ws.terminate(), CLOSE_DEADLINE_MS).unref();
  }

  /** Every client frame is answered here and nowhere else: nothing a browser sends reaches upstream. */
  #receive(client: Client, data: RawData, isBinary: boolean): void {
    client.alive = true;
    const bytes = Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : data.byteLength;
    if (!this.#admit(client, bytes)) return;
    if (isBinary) return this.#answer(client, 'binary', [errorFrame('Binary frames are not accepted')]);
    let frame: unknown;
    try {
      frame = JSON.parse(String(data));
    } catch {
      return this.#answer(client, 'invalid-json', [errorFrame('Invalid JSON format')]);
    }
    const type = typeof frame === 'object' && frame !== null ? (frame as { type?: unknown }).type : undefined;
    if (type === 'heartbeat') {
      this.#metrics.framesIn.inc({ result: 'answered' });
      this.#write(client, [heartbeatAck(Date.now())], Date.now());
      return;
    }
    if (type === 'check_in' || type === 'check_out') return this.#answer(client, 'request', [requestRefused(type)]);
    if (type === 'batch') return this.#batch(client, (frame as { batches?: unknown }).batches);
    this.#answer(client, 'other', [errorFrame(READ_ONLY)]);
  }

  /**
   * Each item gets the reply AV-Gym would give a failed one, in order, so every request() settles;
   * but no more items than the widgets' own client ever batches (`maxBatchItems`). A larger batch
   * comes from no widget: its connection is closed, not answered 60 bytes for every 2 it sent.
   */
  #batch(client: Client, batches: unknown): void {
    const replies: string[] = [];
    if (typeof batches === 'object' && batches !== null) {
      for (const kind of ['check_in', 'check_out'] as const) {
        const items = (batches as Record<string, unknown>)[kind];
        if (!Array.isArray(items)) continue;
        if (replies.length + items.length > this.#config.limits.maxBatchItems) {
          this.#metrics.framesIn.inc({ result: 'refused' });
          this.#metrics.refusedFrames.inc({ kind: 'request' });
          this.#cut(client, 'batch', 'Batch too large');
          return;
        }
        for (let i = 0; i < items.length; i++) replies.push(requestRefused(kind));
      }
    }
    this.#answer(client, 'request', replies.length ? replies : [errorFrame(READ_ONLY)]);
  }

  #answer(client: Client, kind: RefusedFrame, replies: string[]): void {
    this.#metrics.framesIn.inc({ result: 'refused' });
    this.#metrics.refusedFrames.inc({ kind });
    this.#write(client, replies, Date.now());
  }

  #count(client: Client, reason: DropReason): void {
    if (client.dropped) return;
    client.dropped = true;
    this.#metrics.dropped.inc({ reason });
    this.#log.sometimes('client.dropped', { reason, ip: client.address.ip });
  }

  /**
   * Sends one frame to every client, at the end of this turn of the event loop: frames that come
   * together from upstream (a check-in and its figures) then go out in one write per client, not
   * one each — on a busy gateway the system calls are most of the cost. `figures` frames replace
   * each other: a burst of check-ins sends only its newest figures, after its visits.
   */
  broadcast(text: string, kind: 'figures' | 'event' = 'event'): void {
    const frame = Buffer.from(text);
    if (kind === 'figures') this.#stats = frame;
    else {
      this.#queue.push(frame);
      this.#queuedBytes += frame.length;
      // One turn can bring megabytes from upstream: they go out in writes a socket takes at once,
      // so a client's backlog measures its reading, not the size of the turn.
      if (this.#queuedBytes >= FLUSH_BYTES) return this.#flush();
    }
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    const frames = this.#queue;
    if (this.#stats) frames.push(this.#stats);
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#stats = undefined;
    if (frames.length === 0) return;
    const started = performance.now();
    const now = Date.now();
    // Framed once, written as they are to every socket: a server's frames are not masked, so the
    // bytes are the same for all (ws's own framing per client was most of a fan-out's cost).
    const prepared = Buffer.concat(frames.flatMap((frame) => Sender.frame(frame, SERVER_TEXT_FRAME)));
    let sent = 0;
    for (const client of this.#clients) if (this.#write(client, frames, now, prepared)) sent++;
    this.#metrics.framesOut.inc(frames.length * sent);
    if (sent) this.#metrics.fanOut.observe((performance.now() - started) / 1000);
  }

  /** Pings everyone; a client that answered nothing since the previous ping is gone (a dead TCP link). */
  #sweep(): void {
    const now = Date.now();
    for (const client of this.#clients) {
      // Behind since the last write, and still: no more frames came to make #write see it.
      if (client.behindSince !== undefined && !keepsUp(client.ws.bufferedAmount, 0, client.behindSince, now, this.#config.limits)) {
        this.#count(client, 'slow');
        client.ws.terminate();
        continue;
      }
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
