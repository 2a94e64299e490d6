/** The part of `localStorage` the outbox needs. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A request as it waits in storage: no promise, no token. */
export interface StoredRequest {
  type: string;
  payload: unknown;
}

const VERSION = 1;

/**
 * Keeps the requests queued while offline in storage, so that they survive a
 * page reload. Content this version did not write (corrupted, foreign, older)
 * is ignored, never trusted.
 */
export class OutboxStore {
  constructor(
    private readonly storage: StorageLike,
    private readonly key: string,
  ) {}

  /** The requests a previous page left, or why what is stored was ignored. */
  load(): { items: StoredRequest[] } | { error: string } {
    let text: string | null;
    try {
      text = this.storage.getItem(this.key);
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
      v === VERSION &&
      Array.isArray(items) &&
      items.every((item: unknown) => typeof item === 'object' && item !== null && typeof (item as StoredRequest).type === 'string');
    if (!valid) return { error: 'stored outbox has an unknown shape' };
    return { items: (items as StoredRequest[]).map(({ type, payload }) => ({ type, payload })) };
  }

  /** Stores `items` (removes the key when empty); returns why it could not, if so. */
  save(items: readonly StoredRequest[]): string | undefined {
    try {
      if (items.length === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify({ v: VERSION, items }));
      return undefined;
    } catch {
      return 'the outbox could not be stored';
    }
  }
}
