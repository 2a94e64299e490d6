import type { LockManagerLike } from '../../src/core/outbox-store.js';
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

/** A tab of a fake browser: its view of the locks and channels, and a way to crash it. */
export interface FakeTab {
  tabs: TabsEnvironment;
  /** The tab dies without running another line: its channels go silent and its locks are freed. */
  crash(): void;
}

/** One browser profile: the locks and channels every tab of it shares. */
export function fakeBrowser(): { locks: FakeLocks; channels: FakeChannels; tabs: TabsEnvironment; tab(): FakeTab } {
  const locks = new FakeLocks();
  const channels = new FakeChannels();
  const tab = (): FakeTab => {
    const mine: ChannelLike[] = [];
    const held = new Set<string>();
    const tabLocks: ElectionLocks = {
      request: (name, options, callback) =>
        locks.request(name, options, async () => {
          held.add(name);
          try {
            return await callback();
          } finally {
            held.delete(name);
          }
        }),
      query: () => locks.query(),
    };
    return {
      tabs: {
        locks: tabLocks,
        channel: (name) => {
          const channel = channels.channel(name);
          mine.push(channel);
          return channel;
        },
      },
      crash: () => {
        for (const channel of mine) channel.close();
        for (const name of held) locks.close(name);
      },
    };
  };
  return { locks, channels, tabs: { locks, channel: channels.channel }, tab };
}
