import { newId } from './ids.js';

/** The part of `localStorage` the outbox needs; `length` and `key()` let tabs find each other's queues. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length?: number;
  key?(index: number): string | null;
}

/** The part of the Web Locks API (`navigator.locks`) the outbox needs. */
export interface LockManagerLike {
  request(name: string, callback: () => Promise<unknown>): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[]; pending?: { name?: string }[] }>;
}

/** A request as it waits in storage: no promise, no token. `id` tells copies apart from new requests. */
export interface StoredRequest {
  id: string;
  type: string;
  payload: unknown;
  /**
   * Stored as written (see `OutboxStore.save`): the tab that wrote it may be gone before its answer came,
   * so the server may have it already (see `reconcile` in pending-replies.ts).
   */
  maybeWritten?: boolean;
}

const VERSION = 2;

/** Beside a tab's queue, the key of what it wrote and has no answer for yet (`#` is in no tab id). */
const sentKey = (key: string) => `${key}#sent`;

/**
 * Keeps the requests queued while offline in storage, so that they survive a
 * page reload, and never loses or doubles them across tabs.
 *
 * With Web Locks, each tab writes only its own key (`<key>:<tab>`) and holds
 * a lock of that name while it lives; a tab that connects adopts, under one
 * lock, the queues of tabs whose lock is gone (closed, crashed, reloaded, or
 * disposed). Without Web Locks, one key is shared (one tab at a time).
 * Content this version did not write (corrupted, foreign) is ignored and reported.
 *
 * Beside each queue (`<key>#sent`), the requests the tab wrote and has no
 * answer for yet, stored just before the write: a tab that adopts them
 * after the writer died resends them as `maybeWritten`.
 */
export class OutboxStore {
  readonly #key: string;
  /** Without Web Locks: the shared key has been read. */
  #sharedKeyRead = false;
  /** The tab's lock is let go (or is to be, once granted); adoptions under way stop touching storage. */
  #released = false;
  #release: (() => void) | undefined;

  readonly #storage: StorageLike;
  readonly #base: string;
  readonly #locks: LockManagerLike | undefined;

  constructor(
    storage: StorageLike,
    base: string,
    locks?: LockManagerLike,
  ) {
    this.#storage = storage;
    this.#base = base;
    this.#locks = locks;
    const shared = !locks || typeof storage.key !== 'function';
    this.#key = shared ? base : `${base}:${newId()}`;
    if (!shared) {
      const hold = () => (this.#released ? Promise.resolve() : new Promise<void>((release) => (this.#release = release)));
      void locks.request(this.#key, hold).catch(() => {});
    }
  }

  /**
   * Takes the queues left by tabs that are gone (and, without Web Locks, the
   * shared one), hands their requests to `take`, which stores them under this
   * tab, and only then removes them. Reports what could not be read.
   */
  async adopt(take: (items: StoredRequest[]) => void, report: (error: string) => void): Promise<void> {
    const locks = this.#locks;
    if (this.#key === this.#base || !locks) {
      // One key for every tab: read it once, when this page starts, as a reload would.
      if (!this.#sharedKeyRead) this.#adoptKeys([this.#base], take, report);
      this.#sharedKeyRead = true;
      return;
    }
    await locks.request(`${this.#base}:adopt`, async () => {
      const { held = [], pending = [] } = await locks.query();
      if (this.#released) return;
      const alive = new Set([...held, ...pending].map((lock) => lock.name));
      const gone: string[] = [];
      for (const key of this.#queueKeys()) if (key !== this.#key && !alive.has(key)) gone.push(key);
      this.#adoptKeys(gone, take, report);
    });
  }

  /**
   * Ids of requests that any tab (this one, a live one or a dead one) stored as maybe written: in its
   * record of what it wrote, or in its queue, adopted from a writer that died. Read just before a
   * write, so that what a writer that died marked is known even before its queue is adopted.
   */
  marked(): Set<string> {
    const marked = new Set<string>();
    for (const key of this.#queueKeys()) {
      const written = this.#load(sentKey(key));
      if ('items' in written) for (const { id } of written.items) marked.add(id);
      const queued = this.#load(key);
      if ('items' in queued) for (const { id, maybeWritten } of queued.items) if (maybeWritten) marked.add(id);
    }
    return marked;
  }

  /**
   * Stores this tab's queue and, beside it, what it wrote and has no answer for yet (removes a key
   * when empty); returns why it could not, if so.
   */
  save(queued: readonly StoredRequest[], written: readonly StoredRequest[] = []): string | undefined {
    try {
      // What is written goes into its record before it leaves the queue: a tab that dies in between leaves two copies, never none.
      this.#write(sentKey(this.#key), written.map(({ id, type, payload }) => ({ id, type, payload })));
      this.#write(this.#key, queued.map(({ id, type, payload, maybeWritten }) => ({ id, type, payload, ...(maybeWritten ? { maybeWritten } : {}) })));
      return undefined;
    } catch {
      return 'the outbox could not be stored';
    }
  }

  /** Lets other tabs adopt what this tab left stored. */
  release(): void {
    this.#released = true;
    this.#release?.();
  }

  #write(key: string, items: readonly StoredRequest[]): void {
    if (items.length === 0) this.#storage.removeItem(key);
    else this.#storage.setItem(key, JSON.stringify({ v: VERSION, items }));
  }

  /** The queues of this outbox in storage: the shared one and every tab's (this tab's too), found by either of their keys. */
  #queueKeys(): string[] {
    const keys = new Set([this.#base]);
    try {
      for (let i = 0; i < (this.#storage.length ?? 0); i++) {
        const stored = this.#storage.key?.(i);
        // A tab that died just after it wrote everything queued has only its record of what it wrote.
        const key = stored?.endsWith(sentKey('')) ? stored.slice(0, -sentKey('').length) : stored;
        if (typeof key === 'string' && this.#isTabKey(key)) keys.add(key);
      }
    } catch {
      // Storage that cannot be listed: the shared key alone.
    }
    return [...keys];
  }

  /** `<base>:<tab id>`, and not the key of another base that merely starts the same (`wss://h` vs `wss://h:8443`). */
  #isTabKey(key: string): boolean {
    return key.startsWith(`${this.#base}:`) && /^[a-z0-9]+$/.test(key.slice(this.#base.length + 1));
  }

  #adoptKeys(keys: string[], take: (items: StoredRequest[]) => void, report: (error: string) => void): void {
    for (const key of keys) {
      // Both read before `take` stores anything (without Web Locks it stores under this very key):
      // what was written first, as it was (maybe written), then what waited.
      const records = [sentKey(key), key].map((stored) => ({ stored, loaded: this.#load(stored) }));
      const items: StoredRequest[] = [];
      records.forEach(({ loaded }, i) => {
        if ('error' in loaded) report(loaded.error);
        else items.push(...(i === 0 ? loaded.items.map((item) => ({ ...item, maybeWritten: true })) : loaded.items));
      });
      if (items.length) take(items);
      // `take` stored the requests under this tab first: a crash in between leaves a copy, never nothing.
      // What could not be read was reported once; keeping it would report it at every connection.
      for (const { stored, loaded } of records) if (key !== this.#key || 'error' in loaded) this.#remove(stored);
    }
  }

  #remove(key: string): void {
    try {
      this.#storage.removeItem(key);
    } catch {
      // Storage that cannot be written was reported when saving.
    }
  }

  #load(key: string): { items: StoredRequest[] } | { error: string } {
    let text: string | null;
    try {
      text = this.#storage.getItem(key);
    } catch {
      return { error: 'storage is not available' };
    }
    if (text === null) return { items: [] };
    let stored: unknown;
    try {
      stored = JSON.parse(text);
    } catch {
      return { error: 'stored outbox is not JSON' };
    }
    const { v, items } = (stored ?? {}) as { v?: unknown; items?: unknown };
    const valid =
      (v === VERSION || v === 1) &&
      Array.isArray(items) &&
      items.every((item: unknown) => typeof item === 'object' && item !== null && typeof (item as StoredRequest).type === 'string');
    if (!valid) return { error: 'stored outbox has an unknown shape' };
    // Version 1 stored no ids, and no marks.
    return {
      items: (items as StoredRequest[]).map(({ id, type, payload, maybeWritten }) => ({ id: typeof id === 'string' ? id : newId(), type, payload, ...(maybeWritten === true ? { maybeWritten } : {}) })),
    };
  }
}
