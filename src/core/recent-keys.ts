/** Remembers the last `limit` keys seen (with a value each, when given), oldest forgotten first. */
export class RecentKeys<V = true> {
  #keys = new Map<string, V>();

  constructor(private readonly limit: number) {}

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  /** The value recorded with `key`, while it is among the recent ones. */
  get(key: string): V | undefined {
    return this.#keys.get(key);
  }

  /** Records `key` (with `value`); false when it was already among the recent ones, whose value stays. */
  add(key: string, value?: V): boolean {
    if (this.#keys.has(key)) return false;
    this.#keys.set(key, (value ?? true) as V);
    if (this.#keys.size > this.limit) this.#keys.delete(this.#keys.keys().next().value!);
    return true;
  }
}
