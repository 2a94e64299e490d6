// A process holding thousands of loopback WebSocket clients for the fan-out benchmark, driven over
// IPC by bench/gateway.mjs. The clients are minimal on purpose (a handshake, a frame reader that
// answers pings, nothing else), so that the load generator's own cost, on the same two cores,
// stays small next to the server's. Each notes when a text frame carrying the awaited marker
// reaches it, in wall-clock ms comparable across processes.
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';

/** @type {import('node:net').Socket[]} */
let sockets = [];
/** Receipt times of the awaited marker, one per client (NaN: not yet). */
let times = new Float64Array(0);
/** @type {Buffer | undefined} */
let marker;
let got = 0;
/** @type {(() => void) | undefined} */
let allGot;

const now = () => performance.timeOrigin + performance.now();

/** A masked client frame (clients must mask): used for pongs. */
function clientFrame(/** @type {number} */ opcode, /** @type {Buffer} */ payload) {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ /** @type {number} */ (mask[i % 4])));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}

/**
 * One client: the upgrade request, then server frames read one by one (unmasked, no extension).
 * @param {URL} url @param {number} index @param {(ok: boolean) => void} settle
 */
function openClient(url, index, settle) {
  const socket = tcpConnect(Number(url.port), url.hostname);
  socket.setNoDelay(true);
  sockets.push(socket);
  let upgraded = false;
  let pending = Buffer.alloc(0);
  socket.on('connect', () => {
    socket.write(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
  socket.on('error', () => settle(false));
  socket.on('close', () => settle(false));
  socket.on('data', (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    if (!upgraded) {
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!pending.subarray(0, 12).toString().startsWith('HTTP/1.1 101')) {
        socket.destroy();
        return;
      }
      upgraded = true;
      pending = pending.subarray(end + 4);
      settle(true);
    }
    // Whole frames only; a partial one waits for the next chunk.
    while (pending.length >= 2) {
      const opcode = /** @type {number} */ (pending[0]) & 0x0f;
      let length = /** @type {number} */ (pending[1]) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (pending.length < 4) return;
        length = pending.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (pending.length < 10) return;
        length = Number(pending.readBigUInt64BE(2));
        offset = 10;
      }
      if (pending.length < offset + length) return;
      const payload = pending.subarray(offset, offset + length);
      pending = pending.subarray(offset + length);
      if (opcode === 0x9) socket.write(clientFrame(0xa, Buffer.from(payload)));
      else if (opcode === 0x1 && marker && Number.isNaN(times[index]) && payload.indexOf(marker) !== -1) {
        times[index] = now();
        if (++got === times.length) allGot?.();
      }
    }
  });
}

/**
 * Opens `count` clients to `url`, at most `window` handshakes in flight; resolves with the time
 * from the first attempt to the last open, and how many failed.
 * @param {string} address @param {number} count @param {number} window
 */
function connect(address, count, window) {
  return new Promise((resolve) => {
    const url = new URL(address);
    const started = performance.now();
    times = new Float64Array(count).fill(Number.NaN);
    sockets = [];
    let next = 0;
    let settled = 0;
    let failed = 0;
    const openOne = () => {
      let done = false;
      openClient(url, next++, (ok) => {
        if (done) return;
        done = true;
        if (!ok) failed++;
        settled++;
        if (next < count) openOne();
        if (settled === count) resolve({ connectMs: performance.now() - started, failed });
      });
    };
    for (let i = 0; i < Math.min(window, count); i++) openOne();
  });
}

/** Starts waiting until every client got a frame with `text` (or `timeoutMs` passed). */
function expect(/** @type {string} */ text, /** @type {number} */ timeoutMs) {
  marker = Buffer.from(text);
  got = 0;
  times.fill(Number.NaN);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    allGot = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
  }).then(() => {
    marker = undefined;
    allGot = undefined;
    return Array.from(times);
  });
}

/** @type {Promise<number[]> | undefined} */
let expecting;

process.on('message', async (/** @type {any} */ message) => {
  switch (message.type) {
    case 'connect':
      process.send?.({ type: 'connected', ...(await connect(message.url, message.count, message.window)) });
      break;
    case 'expect':
      expecting = expect(message.marker, message.timeoutMs);
      process.send?.({ type: 'expecting' });
      break;
    case 'collect':
      process.send?.({ type: 'times', times: await expecting });
      break;
    case 'close':
      for (const socket of sockets) socket.destroy();
      process.exit(0);
  }
});
process.send?.({ type: 'ready' });
