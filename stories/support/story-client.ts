import { RealtimeClient } from '../../src/core/client.js';
import { UnauthorizedError } from '../../src/core/errors.js';
import type { NetworkEnvironment, NetworkSignal } from '../../src/core/environment.js';
import type { RealtimeClientOptions } from '../../src/core/options.js';
import type { CheckIn, GymStats } from '../../src/protocol/types.js';

/** How the story's socket answers check-ins and check-outs: `{ error }` refuses each with that server text. */
export type Replies = 'success' | 'error' | 'never' | { error: string };

/** The states a story can put the connection in. */
export type StoryState = 'connecting' | 'live' | 'checking' | 'reconnecting' | 'refused' | 'offline' | 'unauthorized' | 'unavailable' | 'misconfigured' | 'disconnected';

const ROSTER = ['Alice Example', 'Zoë Ångström', 'Яна Кузнецова', '山田 花子', 'محمد العلي', 'Maximilian Alexander von Hohenzollern-Sigmaringen', 'Priya Raghunathan', 'Mateo García'];

let sequence = 0;

/** A visit of a story member, `minutesAgo` minutes ago. */
export function storyVisit(name = ROSTER[sequence % ROSTER.length]!, minutesAgo = 0, out = false, location = 'Front desk'): CheckIn {
  const n = ++sequence;
  const time = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  return {
    id: `story-visit-${n}`,
    member: { id: `story-member-${n}`, full_name: name, email: null },
    location,
    check_in_time: time,
    check_out_time: out ? time : null,
    notes: '',
  };
}

export const storyStats = (currentlyIn = 23, todayTotal = 148, averageStayMinutes = 52): GymStats => ({ currentlyIn, todayTotal, averageStayMinutes });

/** The roster, for stories that list several members. */
export const storyNames = ROSTER;

const storyId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const initials = (text: string, hue: number) =>
  `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="hsl(${hue} 45% 40%)"/><text x="32" y="41" font-family="sans-serif" font-size="24" fill="#fff" text-anchor="middle">${text}</text></svg>`)}`;

/**
 * The members the form's search finds in stories (AV-Gym's member search shape, the fields the
 * form reads): Alice and Priya with photos, Priya in the gym, Lars's membership inactive.
 */
export const storyMembers = [
  { id: storyId(1), full_name: 'Alice Example', phone: '+447700900001', status: 'active', image_url: initials('AE', 200) },
  { id: storyId(2), full_name: 'Bob Example', phone: '+447700900002', status: 'active', image_url: null },
  { id: storyId(10), full_name: 'Priya Raghunathan', phone: '+447700900010', status: 'active', image_url: initials('PR', 20) },
  { id: storyId(18), full_name: 'Fatima Zahra Benali', phone: '+447700900018', status: 'active', image_url: null },
  { id: storyId(24), full_name: 'Lars Eriksson', phone: '+447700900024', status: 'inactive', image_url: null },
];

/** The open visit of the story members who are in (Priya): the id of her visit. */
export const storyOpenVisits: Record<string, string> = { [storyId(10)]: 'story-open-priya' };

/** The story member a request names, by member id or by the open visit it checks out. */
const nameOf = (payload?: { memberId?: string; checkInId?: string }) =>
  storyMembers.find((m) => m.id === payload?.memberId || storyOpenVisits[m.id] === payload?.checkInId)?.full_name;

/**
 * An in-memory socket: opens at once (unless told to hang), never touches the
 * network, and answers requests as the story asks.
 */
function storySocket(options: { opens: boolean; refused: boolean; replies: Replies; sockets: StorySocket[] }) {
  return class {
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: MessageEvent) => void) | null = null;
    onclose: ((event: CloseEvent) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    readyState = 0;

    constructor(readonly url: string) {
      options.sockets.push(this as unknown as StorySocket);
      if (options.refused) {
        queueMicrotask(() => this.drop());
      } else if (options.opens) {
        queueMicrotask(() => {
          this.readyState = 1;
          this.onopen?.(new Event('open'));
        });
      }
    }

    send(data: string): void {
      const frame = JSON.parse(data) as { type: string; payload?: { memberId?: string; checkInId?: string }; batches?: Record<string, { memberId?: string; checkInId?: string }[]> };
      const items = frame.type === 'batch' ? Object.entries(frame.batches ?? {}).flatMap(([type, list]) => list.map((payload) => ({ type, payload }))) : [frame];
      for (const { type, payload } of items) {
        if (type !== 'check_in' && type !== 'check_out') continue;
        if (options.replies === 'never') continue;
        const visit = storyVisit(nameOf(payload), 0, type === 'check_out');
        const { replies } = options;
        const error = typeof replies === 'object' ? replies.error : type === 'check_in' ? 'Alice Example is already checked in' : 'Check-in not found or already checked out';
        const reply = replies === 'success' ? { type: `${type}_success`, payload: visit } : { type: `${type}_error`, payload: { error } };
        setTimeout(() => this.receive(reply), 150);
      }
    }

    receive(frame: object): void {
      if (this.readyState === 1) this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(frame) }));
    }

    close(): void {
      this.readyState = 3;
    }

    /** The server goes away (the client sees 1006), or closes with `code`. */
    drop(code = 1006): void {
      this.readyState = 3;
      this.onclose?.(new CloseEvent('close', { code }));
    }
  };
}

export type StorySocket = { receive(frame: object): void; drop(code?: number): void };

export interface StoryClient {
  client: RealtimeClient;
  /** Sends a frame from the "server" on the open socket. */
  push(frame: object): void;
}

/** Where the story's token comes from: none on a public page, a wrong address, or a source that signs in or refuses. */
function storyToken(state: StoryState): Partial<RealtimeClientOptions> {
  if (state === 'unavailable') return {};
  if (state === 'misconfigured') {
    const notFound = () => new Response('<!doctype html><h1>Not found</h1>', { status: 404, headers: { 'Content-Type': 'text/html' } });
    return { tokenUrl: '/api/widget-token', fetch: async () => notFound() };
  }
  return {
    tokenProvider: () => {
      if (state === 'unauthorized') throw new UnauthorizedError();
      return 'story-token';
    },
  };
}

/**
 * A real `RealtimeClient` wired to an in-memory socket and network, put in
 * `state` — for stories, which must show every state without any server.
 */
export function storyClient(state: StoryState = 'live', { replies = 'success' as Replies, outboxLimit = 500 } = {}): StoryClient {
  const sockets: StorySocket[] = [];
  const online = state !== 'offline';
  let signal: ((signal: NetworkSignal) => void) | undefined;
  const environment: NetworkEnvironment = {
    isOnline: () => online,
    watch: (onSignal) => {
      signal = onSignal;
      return () => {};
    },
  };
  const refused = state === 'refused';
  const client = new RealtimeClient({
    url: 'ws://story.invalid/ws/checkins/',
    // Each story shows its own state: stories on one docs page must not share a connection.
    share: 'none',
    WebSocket: storySocket({ opens: state !== 'connecting', refused, replies, sockets }) as unknown as new (url: string) => WebSocket,
    environment,
    outboxLimit,
    // A countdown a designer can watch (a refused token gets there through eight quick refusals).
    initialRetryDelay: refused ? 1 : 30_000,
    maxRetryDelay: refused ? 1 : 30_000,
    refusedAfter: 0,
    random: () => 0.9,
    connectTimeout: 3_600_000,
    heartbeatInterval: 3_600_000,
    // "Checking connection…" stays on screen: the story socket never answers a heartbeat.
    offlineCheckTimeout: 3_600_000,
    ...storyToken(state),
  });
  queueMicrotask(() => {
    if (state === 'reconnecting') setTimeout(() => sockets.at(-1)?.drop(), 50);
    if (state === 'unavailable') setTimeout(() => sockets.at(-1)?.drop(4001), 50);
    if (state === 'checking') setTimeout(() => signal?.('offline'), 50);
    if (state === 'disconnected') setTimeout(() => client.close(), 50);
  });
  return { client, push: (frame) => sockets.at(-1)?.receive(frame) };
}
