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

export const wait = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

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
