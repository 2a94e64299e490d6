import type { StorageLike } from '../../src/core/outbox-store.js';

/** `localStorage` in memory, without `length` and `key()`: the outbox keeps one shared key. */
export class MemoryStorage implements StorageLike {
  readonly data = new Map<string, string>();
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

/** `localStorage` in memory with `length` and `key()`, which tabs use to find each other's queues. */
export class TabStorage extends MemoryStorage {
  get length() {
    return this.data.size;
  }
  key(index: number) {
    return [...this.data.keys()][index] ?? null;
  }
}
