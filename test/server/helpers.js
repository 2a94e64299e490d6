import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { startGymServer } from '../../demo/server/gym-server.js';

/** @typedef {Awaited<ReturnType<typeof startGymServer>>} GymServer */

/** A fresh local gym server on a free loopback port. */
export const startServer = (options = {}) => startGymServer({ port: 0, ...options });

/** @param {GymServer} server */
export const accessToken = async (server) => /** @type {{ access: string }} */ (await (await fetch(`${server.origin}/demo/token`)).json()).access;

/**
 * Opens a socket and records what it receives.
 * @param {string} url
 * @returns {Promise<{ ws: WebSocket, received: any[], closed: Promise<number>, nextMessage(): Promise<any> }>}
 */
export function open(url, protocols = /** @type {string[] | undefined} */ (undefined)) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    /** @type {any[]} */
    const received = [];
    /** @type {((message: any) => void)[]} */
    const waiting = [];
    let read = 0;
    ws.on('message', (data, isBinary) => {
      received.push(isBinary ? data : JSON.parse(String(data)));
      if (waiting.length) waiting.shift()?.(received[read++]);
    });
    const closed = new Promise((done) => ws.on('close', (code) => done(code)));
    ws.on('open', () =>
      resolve({
        ws,
        received,
        closed,
        // Each call takes the next message not taken yet, waiting for it if need be.
        nextMessage: () => new Promise((done) => (read < received.length ? done(received[read++]) : waiting.push(done))),
      }),
    );
    ws.on('unexpected-response', (_request, response) => reject(Object.assign(new Error(`HTTP ${response.statusCode}`), { status: response.statusCode })));
    ws.on('error', reject);
  });
}

/** The HTTP status a handshake was refused with (or the error's message). */
/** @param {string} url */
export async function refusal(url, protocols = /** @type {string[] | undefined} */ (undefined)) {
  try {
    const { ws } = await open(url, protocols);
    ws.close();
    return 'opened';
  } catch (error) {
    return /** @type {{ status?: number, message: string }} */ (error).status ?? /** @type {Error} */ (error).message;
  }
}

/** The id of the n-th seeded member of the local gym server (member(1) is Alice Example). */
export const member = (/** @type {number} */ n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * Resolves once `check()` holds (it may be async), checking every few
 * milliseconds; fails after `timeout` ms with a message naming `what` it waited for.
 * @param {() => boolean | Promise<boolean>} check
 * @param {string} what
 */
export async function until(check, what, timeout = 5000) {
  const deadline = performance.now() + timeout;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Sends a heartbeat and waits for its ack: by then the server has answered
 * everything sent before it on this connection. Returns what the socket
 * received, without that ack.
 * @param {{ ws: WebSocket, received: any[] }} client
 */
export async function roundTrip(client) {
  const from = client.received.length;
  const ack = () => client.received.findIndex((message, i) => i >= from && message.type === 'heartbeat_ack');
  client.ws.send('{"type":"heartbeat"}');
  await until(() => ack() >= 0, 'the heartbeat ack');
  return client.received.filter((_, i) => i !== ack());
}

/** Frames recorded from the real server, one JSON object a line. */
export function transcript(/** @type {string} */ name) {
  return readFileSync(new URL(`../fixtures/transcripts/${name}.jsonl`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/**
 * What matters of a message when comparing with the real server: its type and
 * its words (error texts, member names, figures), not ids or times.
 * @param {any} message
 */
export function gist(message) {
  const p = message.payload ?? {};
  const figures = 'currentlyIn' in p ? ` ${p.currentlyIn}/${p.todayTotal}` : '';
  const words = p.error ?? message.message ?? p.member?.full_name ?? '';
  return `${message.type}${words ? ` ${words}` : ''}${figures}`;
}

/** The local gym server's control endpoints (`POST /control/<action>`), for the tests of a server at `origin`. */
export const controlOf =
  (/** @type {string} */ origin) =>
  (/** @type {string} */ action, /** @type {Record<string, string>} */ params = {}) =>
    fetch(`${origin}/control/${action}?${new URLSearchParams(params)}`, { method: 'POST' }).then((response) => response.json());

/** How many visits the server at `origin` has recorded for member `id`. */
export async function visitsOf(/** @type {string} */ origin, /** @type {string} */ id) {
  const visits = /** @type {{ memberId: string }[]} */ (await (await fetch(`${origin}/control/visits`)).json());
  return visits.filter((visit) => visit.memberId === id).length;
}
