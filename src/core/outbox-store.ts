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
}

const VERSION = 2;

const newId = () => Math.random().toString(36).slice(2, 10) + Date.now().toString(36);

/**
 * Keeps the requests queued while offline in storage, so that they survive a
 * page reload, and never loses or doubles them across tabs.
 *
 * With Web Locks, each tab writes only its own key (`<key>:<tab>`) and holds
 * a lock of that name while it lives; a tab that connects adopts, under one
 * lock, the queues of tabs whose lock is gone (closed, crashed, reloaded, or
 * disposed). Without Web Locks, one key is shared (one tab at a time).
 * Content this version did not write (corrupted, foreign) is ignored and reported.
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

  /** A new id for a request about to be stored. */
  readonly newId = newId;

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
      for (let i = 0; i < (this.#storage.length ?? 0); i++) {
        const key = this.#storage.key!(i);
        if (key !== null && key !== this.#key && (key === this.#base || this.#isTabKey(key)) && !alive.has(key)) gone.push(key);
      }
      this.#adoptKeys(gone, take, report);
    });
  }

  /** Stores this tab's queue (removes its key when empty); returns why it could not, if so. */
  save(items: readonly StoredRequest[]): string | undefined {
    try {
      if (items.length === 0) this.#storage.removeItem(this.#key);
      else this.#storage.setItem(this.#key, JSON.stringify({ v: VERSION, items }));
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

  /** `<base>:<tab id>`, and not the key of another base that merely starts the same (`wss://h` vs `wss://h:8443`). */
  #isTabKey(key: string): boolean {
    return key.startsWith(`${this.#base}:`) && /^[a-z0-9]+$/.test(key.slice(this.#base.length + 1));
  }

  #adoptKeys(keys: string[], take: (items: StoredRequest[]) => void, report: (error: string) => void): void {
    for (const key of keys) {
      const loaded = this.#load(key);
      if ('error' in loaded) report(loaded.error);
      else if (loaded.items.length) take(loaded.items);
      // `take` stored the requests under this tab first: a crash in between leaves a copy, never nothing.
      // What could not be read was reported once; keeping it would report it at every connection.
      if (key !== this.#key || 'error' in loaded) this.#remove(key);
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
    // Version 1 stored no ids.
    return { items: (items as StoredRequest[]).map(({ id, type, payload }) => ({ id: typeof id === 'string' ? id : newId(), type, payload })) };
  }
}
