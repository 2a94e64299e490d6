import type { LockManagerLike, StorageLike } from '../../src/core/outbox-store.js';
import type { ChannelLike, ElectionLocks, TabsEnvironment } from '../../src/core/tab-group.js';

type LockOptions = { signal?: AbortSignal };

/**
 * Exclusive Web Locks in memory. A lock is granted later, never during the
 * call, as in browsers; `close(name)` frees it as the browser does when its
 * tab goes away; an aborted signal takes a waiting request out of the queue.
 */
export class FakeLocks implements LockManagerLike, ElectionLocks {
  readonly #queues = new Map<string, (() => void)[]>();
  readonly #held = new Map<string, () => void>();

  request(name: string, callback: () => Promise<unknown>): Promise<unknown>;
  request(name: string, options: LockOptions, callback: () => Promise<unknown>): Promise<unknown>;
  async request(name: string, second: LockOptions | (() => Promise<unknown>), third?: () => Promise<unknown>): Promise<unknown> {
    const callback = typeof second === 'function' ? second : third!;
    const signal = typeof second === 'function' ? undefined : second.signal;
    await Promise.resolve();
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
    if (this.#held.has(name)) {
      await new Promise<void>((grant, reject) => {
        const queue = this.#queue(name);
        queue.push(grant);
        signal?.addEventListener('abort', () => {
          const index = queue.indexOf(grant);
          if (index === -1) return;
          queue.splice(index, 1);
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    }
    let free!: () => void;
    const freed = new Promise<void>((resolve) => (free = resolve));
    this.#held.set(name, free);
    const release = () => {
      if (this.#held.get(name) !== free) return;
      this.#held.delete(name);
      this.#queue(name).shift()?.();
    };
    void freed.then(release);
    try {
      return await Promise.race([callback(), freed]);
    } finally {
      release();
    }
  }

  async query() {
    return { held: [...this.#held.keys()].map((name) => ({ name })), pending: [...this.#queues].flatMap(([name, queue]) => queue.map(() => ({ name }))) };
  }

  /** The names of the locks held now. */
  held(): string[] {
    return [...this.#held.keys()];
  }

  /** The tab holding `name` closed or crashed. */
  close(name: string): void {
    this.#held.get(name)?.();
  }

  #queue(name: string) {
    let queue = this.#queues.get(name);
    if (!queue) this.#queues.set(name, (queue = []));
    return queue;
  }
}

/** BroadcastChannels in memory: a message reaches every other open channel of its name, cloned, a moment later. */
export class FakeChannels {
  readonly #open = new Set<{ name: string; channel: ChannelLike }>();
  /** Every message posted, in order. */
  readonly posted: unknown[] = [];

  channel = (name: string): ChannelLike => {
    const entry = { name, channel: undefined as unknown as ChannelLike };
    const open = this.#open;
    const posted = this.posted;
    entry.channel = {
      onmessage: null,
      postMessage(message: unknown) {
        if (!open.has(entry)) return;
        const copy = structuredClone(message);
        posted.push(copy);
        for (const other of open) {
          if (other === entry || other.name !== name) continue;
          queueMicrotask(() => {
            if (open.has(other)) other.channel.onmessage?.({ data: structuredClone(copy) } as MessageEvent);
          });
        }
      },
      close: () => open.delete(entry),
    };
    open.add(entry);
    return entry.channel;
  };

  /** Channels open now. */
  get size(): number {
    return this.#open.size;
  }
}

/**
 * A moment in a tab's life at which `FakeTab.crashAt` makes it die: before a message goes on the
 * channel (`post`), before it writes to storage (`store`), when its socket opens (`open`, before the
 * page hears it), before a frame goes on a socket (`send`) or just after (`sent`).
 */
export type CrashPoint =
  | { at: 'post'; when(message: { k?: string; id?: string }): boolean }
  | { at: 'store'; when(key: string, value: string): boolean }
  | { at: 'open' }
  | { at: 'send' | 'sent'; when(frame: string): boolean };

/** The crash-aware part of the WebSocket constructor a tab wraps. */
type SocketClass = new (url: string) => WebSocket;

/** A tab of a fake browser: its view of the locks, channels, storage and sockets, and ways to crash it. */
export interface FakeTab {
  tabs: TabsEnvironment;
  /** This tab's locks (the election's and the outbox's own): the crash frees those held and drops those waited for. */
  locks: LockManagerLike & ElectionLocks;
  /** This tab's view of storage the tabs share: after the crash it writes nothing more. */
  storage(shared: StorageLike): StorageLike;
  /** Sockets of this tab: the crash closes them; from then on they send and deliver nothing. */
  WebSocket(Base: SocketClass): SocketClass;
  /** The tab dies without running another line: its channels go silent, its locks are freed, its storage and sockets go dead. */
  crash(): void;
  /** Makes the tab crash at `point`, once, instead of doing what it was about to do there. */
  crashAt(point: CrashPoint): void;
  /**
   * Messages of this tab that never reach the others, as when the browser had not passed them on
   * yet when the tab died (a real crash can lose a message posted just before it).
   */
  lose(which: (message: { k?: string; id?: string }) => boolean): void;
  readonly crashed: boolean;
}

/** One browser profile: the locks and channels every tab of it shares. */
export function fakeBrowser(): { locks: FakeLocks; channels: FakeChannels; tabs: TabsEnvironment; tab(): FakeTab } {
  const locks = new FakeLocks();
  const channels = new FakeChannels();
  const tab = (): FakeTab => {
    const mine: ChannelLike[] = [];
    const held = new Set<string>();
    const waiting = new Set<AbortController>();
    const sockets = new Set<WebSocket>();
    let crashed = false;
    let armed: CrashPoint | undefined;
    let lost: (message: { k?: string }) => boolean = () => false;
    /** True when the tab just crashed at this point (it then does nothing more). */
    const trips = (at: CrashPoint['at'], test: (point: CrashPoint) => boolean): boolean => {
      if (!armed || armed.at !== at || !test(armed)) return false;
      armed = undefined;
      crash();
      return true;
    };
    const crash = () => {
      crashed = true;
      for (const channel of mine) channel.close();
      for (const abort of waiting) abort.abort();
      for (const name of held) locks.close(name);
      for (const socket of sockets) socket.close();
    };
    const request = (name: string, second: { signal?: AbortSignal } | (() => Promise<unknown>), third?: () => Promise<unknown>): Promise<unknown> => {
      // A dead tab asks for nothing that is ever granted.
      if (crashed) return new Promise(() => {});
      const callback = typeof second === 'function' ? second : third!;
      const signal = typeof second === 'function' ? undefined : second.signal;
      const abort = new AbortController();
      signal?.addEventListener('abort', () => abort.abort());
      if (signal?.aborted) abort.abort();
      waiting.add(abort);
      return locks.request(name, { signal: abort.signal }, async () => {
        waiting.delete(abort);
        held.add(name);
        try {
          return await callback();
        } finally {
          held.delete(name);
        }
      });
    };
    const tabLocks = { request, query: () => locks.query() } as LockManagerLike & ElectionLocks;
    return {
      tabs: {
        locks: tabLocks,
        channel: (name) => {
          const inner = channels.channel(name);
          mine.push(inner);
          return {
            get onmessage() {
              return inner.onmessage;
            },
            set onmessage(listener) {
              inner.onmessage = listener;
            },
            postMessage(message: unknown) {
              if (crashed || trips('post', (point) => point.at === 'post' && point.when(message as { k?: string }))) return;
              if (!lost(message as { k?: string })) inner.postMessage(message);
            },
            close: () => inner.close(),
          };
        },
      },
      locks: tabLocks,
      storage: (shared) => ({
        getItem: (key) => shared.getItem(key),
        setItem(key, value) {
          if (crashed || trips('store', (point) => point.at === 'store' && point.when(key, value))) return;
          shared.setItem(key, value);
        },
        removeItem(key) {
          if (!crashed) shared.removeItem(key);
        },
        get length() {
          return shared.length ?? 0;
        },
        key: (index) => shared.key?.(index) ?? null,
      }),
      WebSocket: (Base) =>
        class extends Base {
          constructor(url: string) {
            if (crashed) throw new Error('the tab is gone');
            super(url);
            sockets.add(this);
          }

          override send(data: string): void {
            if (crashed || trips('send', (point) => point.at === 'send' && point.when(data))) return;
            super.send(data);
            trips('sent', (point) => point.at === 'sent' && point.when(data));
          }

          // mock-socket hands frames to the server through the client socket too (`server::*`): those already went.
          override dispatchEvent(event: Event, ...rest: unknown[]): boolean {
            if (event.type === 'open' && trips('open', () => true)) return false;
            if (crashed && !event.type.startsWith('server::')) return false;
            return (super.dispatchEvent as (event: Event, ...rest: unknown[]) => boolean)(event, ...rest);
          }
        },
      crash,
      crashAt: (point) => (armed = point),
      lose: (which) => (lost = which),
      get crashed() {
        return crashed;
      },
    };
  };
  return { locks, channels, tabs: { locks, channel: channels.channel }, tab };
}
