import type { CheckIn, GymStats } from '../protocol/types.js';
import type { GymErrorCode } from './errors.js';
import type { ConnectionState, Counters, StateChange } from './events.js';
import { socketUrl } from './options.js';
import type { RetryCounters } from './policy.js';
import type { TokenOptions } from './token-source.js';

/** What followers know of the leader's link; sent when it changes and after each heartbeat. */
export interface LinkSnapshot {
  state: ConnectionState;
  nextAttemptAt?: number | undefined;
  retry: RetryCounters;
  counters: Counters;
  outboxDepth: number;
  awaitingReply: number;
  tabs: number;
  stats?: GymStats | undefined;
  /** The gateway's own link is down since then (see `RealtimeClient.delayedSince`). */
  delayedSince?: string | undefined;
}

/** From the leader to every follower; answers name the request or token ask by its id, unique to the tab that made it. */
export type LeaderMessage =
  | { k: 'lead'; leader: string; snap: LinkSnapshot }
  | { k: 'state'; leader: string; change: StateChange; snap: LinkSnapshot }
  | { k: 'frame'; leader: string; data: unknown }
  | { k: 'config-error'; leader: string; message: string }
  /** The request is about to be written to the socket: from now on the server may have it. */
  | { k: 'writing'; id: string }
  | { k: 'settled'; id: string; checkIn?: CheckIn; error?: { code: GymErrorCode; message: string } }
  | { k: 'token'; id: string; token?: string | undefined; error?: { code: GymErrorCode; message: string } };

/** From a follower to the leader it knows (`to`), or to whoever leads (`hello`, `bye`). */
export type FollowerMessage =
  | { k: 'hello'; from: string }
  | { k: 'bye'; from: string }
  /** `maybeWritten`: a leader that went away may have written it (it said `writing` and never answered). */
  | { k: 'send'; to: string; from: string; id: string; type: string; payload: unknown; reply: boolean; maybeWritten?: boolean }
  | { k: 'token?'; to: string; from: string; id: string }
  | { k: 'retry-now'; to: string };

export type TabMessage = LeaderMessage | FollowerMessage;

/** Tabs running another version of the widgets talk another dialect: they never share. (2: `writing` before the write.) */
const DIALECT = 'gym-realtime-widgets/2';

/** FNV-1a: tells tokens apart without putting one in a lock name. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

/**
 * The group a client shares with: the same socket URL and the same token
 * source (the same `tokenUrl`, the same fixed `token`, or no token). A
 * `tokenProvider` function cannot be compared across tabs: it shares only
 * with the tabs that give the same `shareKey`. Undefined: do not share.
 */
export function groupName(url: string, tokens: TokenOptions, shareKey?: string): string | undefined {
  let source: string;
  if (shareKey !== undefined) source = `key:${shareKey}`;
  else if (tokens.tokenProvider) return undefined;
  else if (tokens.tokenUrl !== undefined) source = `url:${new URL(tokens.tokenUrl, globalThis.location?.href).href}`;
  else if (tokens.token !== undefined) source = `token:${fingerprint(tokens.token)}`;
  else source = 'anonymous';
  return `${DIALECT} ${socketUrl(url)} ${source}`;
}

/** A message from a tab of the same dialect, with a known kind; anything else is ignored. */
export function isTabMessage(data: unknown): data is TabMessage {
  return typeof data === 'object' && data !== null && typeof (data as { k?: unknown }).k === 'string';
}
