// The upstream socket hands on a burst in slices, so one chunk of AV-Gym's frames cannot hold the
// gateway's event loop: real `ws` over loopback, the slices observed by work queued between them.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { gateway } from './helpers.js';

/** A server that, on each connection, sends `count` frames at once, then closes with 4000. */
let count = 0;
/** @type {WebSocketServer} */
let server;
/** @type {string} */
let url;
before(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  url = `ws://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}/`;
  server.on('connection', (ws) => {
    for (let i = 0; i < count; i++) ws.send(JSON.stringify({ n: i, pad: 'x'.repeat(200) }));
    ws.close(4000, 'done');
  });
});
after(() => server.close());

/** Busy for `ms`: the cost of fanning one visit out to many visitors. */
const work = (/** @type {number} */ ms) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

/** Opens a paced socket; resolves with what it handed on, and how many turns of other work ran between. */
function receive(/** @type {number} */ frames, /** @type {number} */ msEach) {
  count = frames;
  return new Promise((resolve) => {
    const socket = new gateway.PacedSocket(url, {});
    /** @type {number[]} */
    const seen = [];
    let turns = 0;
    let pausedAt = -1;
    let mostWaiting = 0;
    /** Other work: a turn of the event loop that counts itself and asks for the next. */
    const other = () => {
      turns++;
      if (socket.readyState !== socket.CLOSED || socket.waiting > 0) setImmediate(other);
    };
    socket.onmessage = (event) => {
      if (seen.length === 0) setImmediate(other);
      if (pausedAt < 0 && socket.isPaused) pausedAt = seen.length;
      mostWaiting = Math.max(mostWaiting, socket.waiting);
      seen.push(JSON.parse(String(event.data)).n);
      work(msEach);
    };
    socket.onclose = (event) => resolve({ seen, turns, code: event.code, waiting: socket.waiting, pausedAt, mostWaiting, pausedAfter: socket.isPaused });
  });
}

describe('PacedSocket', () => {
  it('hands on every frame in order, then the close, even when the close comes in while frames wait', async () => {
    const { seen, code, waiting } = /** @type {any} */ (await receive(1500, 0.05));
    assert.deepEqual(seen, Array.from({ length: 1500 }, (_, i) => i));
    assert.equal(code, 4000);
    assert.equal(waiting, 0);
  });

  it(`lets other work in about every ${gateway.SLICE_MS} ms of a burst`, async () => {
    // 200 frames of 0.5 ms each: 100 ms of work, which without slices runs as one turn.
    const { seen, turns } = /** @type {any} */ (await receive(200, 0.5));
    assert.equal(seen.length, 200);
    assert.ok(turns >= 100 / gateway.SLICE_MS / 2, `${turns} turns of other work ran during 100 ms of frames`);
  });

  it(`stops reading past ${gateway.PAUSE_AT} waiting frames, and reads again once they are handed on`, async () => {
    // 0.1 ms a frame: slower than loopback brings them, so frames pile up until it pauses.
    const { seen, pausedAt, mostWaiting, pausedAfter } = /** @type {any} */ (await receive(gateway.PAUSE_AT * 3, 0.1));
    assert.equal(seen.length, gateway.PAUSE_AT * 3);
    assert.ok(pausedAt >= 0, 'it paused while frames waited');
    // Past the mark, only what `ws` had already read comes in: a chunk or two, not the rest.
    assert.ok(mostWaiting < gateway.PAUSE_AT + 1000, `${mostWaiting} frames waited at most`);
    assert.equal(pausedAfter, false);
  });
});
