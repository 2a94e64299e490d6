/** Remembers the last `limit` keys seen, oldest forgotten first. */
export class RecentKeys {
  #keys = new Set<string>();

  constructor(private readonly limit: number) {}

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** Records `key`; false when it was already among the recent ones. */
  add(key: string): boolean {
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    if (this.#keys.size > this.limit) this.#keys.delete(this.#keys.values().next().value!);
    return true;
  }
}
