import { isoTime } from './gym.js';

/**
 * @typedef {import('./gym.js').Gym} Gym
 * @typedef {{ type: string, payload?: unknown, message?: string, timestamp?: string }} Frame
 * @typedef {{ replies: Frame[], broadcasts: Frame[], close?: number }} Outcome
 *   `replies` go to the sender at once; `broadcasts` go to everyone afterwards
 *   (the real server routes them through its channel layer, so a sender sees
 *   all its replies to a batch before the first broadcast).
 */

/** Handles one `check_in` / `check_out` item exactly as the real consumer does. */
function handleItem(/** @type {Gym} */ gym, /** @type {'check_in' | 'check_out'} */ type, /** @type {unknown} */ payload, /** @type {Outcome} */ out) {
  const result = type === 'check_in' ? gym.checkIn(payload) : gym.checkOut(payload);
  if (!result.ok) {
    out.replies.push({ type: `${type}_error`, payload: { error: result.error } });
    return;
  }
  const visit = gym.toSocket(result.visit);
  out.replies.push({ type: `${type}_success`, payload: visit });
  out.broadcasts.push(
    { type: type === 'check_in' ? 'member_checked_in' : 'member_checked_out', payload: visit },
    { type: 'check_in_stats', payload: gym.stats() },
  );
}

/**
 * What the AV-Gym consumer does with one inbound frame (see the wire protocol
 * doc, "Client → server"). Never throws.
 * @param {Gym} gym
 * @param {string | Buffer} data
 * @param {boolean} isBinary
 * @returns {Outcome}
 */
export function handleFrame(gym, data, isBinary) {
  /** @type {Outcome} */
  const out = { replies: [], broadcasts: [] };
  // The real consumer crashes on a binary frame and closes with 4001.
  if (isBinary) return { ...out, close: 4001 };
  let message;
  try {
    message = JSON.parse(String(data));
  } catch {
    out.replies.push({ type: 'error', message: 'Invalid JSON format' });
    return out;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    out.replies.push({ type: 'error', message: 'Internal server error' });
    return out;
  }
  const payload = message.payload === undefined ? {} : message.payload;
  switch (message.type) {
    case 'heartbeat':
      out.replies.push({ type: 'heartbeat_ack', timestamp: isoTime(gym.now()) });
      break;
    case 'check_in':
    case 'check_out':
      handleItem(gym, message.type, payload, out);
      break;
    case 'batch': {
      const batches = message.batches;
      if (batches === undefined || batches === null) break;
      if (typeof batches !== 'object' || Array.isArray(batches)) {
        out.replies.push({ type: 'error', message: 'Internal server error' });
        break;
      }
      // Only these two keys are processed; anything else in a batch is ignored.
      for (const [type, items] of Object.entries(batches)) {
        if ((type !== 'check_in' && type !== 'check_out') || !Array.isArray(items)) continue;
        for (const item of items) handleItem(gym, type, item, out);
      }
      break;
    }
    case 'authenticate':
      out.replies.push({ type: 'error', message: 'Message-based authentication not supported. Use URL token.' });
      break;
    default:
    // ping, unknown types, no type: the real server does not answer.
  }
  return out;
}
