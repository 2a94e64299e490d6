import { newId } from './ids.js';

/**
 * The tabs of one browser profile that share a connection: a leader elected
 * with the Web Locks API (a held lock means a live leader; a closed, crashed
 * or navigated tab lets it go) and a `BroadcastChannel` between them.
 */

/** The part of the Web Locks API (`navigator.locks`) the election needs. */
export interface ElectionLocks {
  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<unknown>): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[]; pending?: { name?: string }[] }>;
}

/** The part of `BroadcastChannel` the tabs talk through. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
}

/** What sharing needs from the browser; injectable, so tests use fake locks and channels. */
export interface TabsEnvironment {
  locks: ElectionLocks;
  channel(name: string): ChannelLike;
  /**
   * Watches the page being hidden for good or frozen (`pagehide`, `freeze`) and shown again
   * (`pageshow`, `resume`): a frozen leader would hold the lock and serve no one.
   */
  watchLifecycle?(hidden: () => void, shown: () => void): () => void;
}

/** The browser's Web Locks and BroadcastChannel, or undefined where either is missing. */
export function browserTabs(): TabsEnvironment | undefined {
  const locks = globalThis.navigator?.locks as ElectionLocks | undefined;
  const Channel = globalThis.BroadcastChannel;
  if (!locks || typeof Channel !== 'function' || !globalThis.document) return undefined;
  return {
    locks,
    channel: (name) => new Channel(name),
    watchLifecycle(hidden, shown) {
      const doc = document;
      const onHide = (event: Event) => {
        if (event.type === 'freeze' || (event as PageTransitionEvent).persisted) hidden();
      };
      const onShow = (event: Event) => {
        if (event.type === 'resume' || (event as PageTransitionEvent).persisted) shown();
      };
      addEventListener('pagehide', onHide);
      addEventListener('pageshow', onShow);
      doc.addEventListener('freeze', onHide);
      doc.addEventListener('resume', onShow);
      return () => {
        removeEventListener('pagehide', onHide);
        removeEventListener('pageshow', onShow);
        doc.removeEventListener('freeze', onHide);
        doc.removeEventListener('resume', onShow);
      };
    },
  };
}

export interface TabGroupHooks {
  /** This tab holds the lock now: it leads until `leave()`. */
  lead(): void;
  /** This tab now waits for the lock, where the leader's count of tabs can see it. */
  queued(): void;
  /** A message from another tab of the group. */
  message(data: unknown): void;
  /** Locks or the channel failed (an opaque origin, a webview): the tab goes on alone. */
  unavailable(): void;
}

/**
 * One tab's membership of a group: it waits for the group's lock, and leads
 * once granted, until it leaves. It hears every other member's messages.
 */
export class TabGroup {
  readonly id = newId();
  #channel: ChannelLike | undefined;
  #abort: AbortController | undefined;
  #release: (() => void) | undefined;

  readonly #env: TabsEnvironment;
  readonly #name: string;
  readonly #hooks: TabGroupHooks;

  constructor(env: TabsEnvironment, name: string, hooks: TabGroupHooks) {
    this.#env = env;
    this.#name = name;
    this.#hooks = hooks;
  }

  get joined(): boolean {
    return this.#abort !== undefined;
  }

  /** Opens the channel and queues for the lock; false when the browser refused either. */
  join(): boolean {
    if (this.#abort) return true;
    const abort = new AbortController();
    try {
      const channel = this.#env.channel(this.#name);
      channel.onmessage = (event) => {
        if (this.#channel === channel) this.#hooks.message(event.data);
      };
      this.#channel = channel;
      this.#abort = abort;
      const hold = () =>
        new Promise<void>((release) => {
          if (abort.signal.aborted) return release();
          this.#release = release;
          this.#hooks.lead();
        });
      const locks = this.#env.locks;
      locks.request(this.#name, { signal: abort.signal }, hold).catch(() => {
        if (!abort.signal.aborted) this.#unavailable();
      });
      // The lock manager answers one tab's calls in order: once this query is answered, the request is queued.
      const queued = () => {
        if (this.#abort === abort) this.#hooks.queued();
      };
      locks.query().then(queued, queued);
      return true;
    } catch {
      this.#unavailable();
      return false;
    }
  }

  /** Lets go of the lock (or stops waiting for it) and closes the channel. */
  leave(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    this.#release?.();
    this.#release = undefined;
    const channel = this.#channel;
    this.#channel = undefined;
    try {
      channel?.close();
    } catch {
      // Already closed.
    }
  }

  post(message: unknown): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // A closed channel or a message that cannot be cloned: the other tabs resynchronise on the next change.
    }
  }

  /** Tabs in the group: the leader and every tab waiting for the lock. */
  async count(): Promise<number> {
    const { held = [], pending = [] } = await this.#env.locks.query();
    return [...held, ...pending].filter((lock) => lock.name === this.#name).length;
  }

  #unavailable(): void {
    this.leave();
    this.#hooks.unavailable();
  }
}
