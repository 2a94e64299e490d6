type Listener<E> = (event: E) => void;

/**
 * A small typed event emitter. A listener that throws is reported through
 * `onListenerError` and never stops delivery to the others, so nothing a
 * page subscribes can break the socket callbacks that emit.
 */
export class Emitter<Events extends object> {
  #listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (type: keyof Events, error: unknown) => void) {}

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(type) === set) this.#listeners.delete(type);
    };
  }

  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    const set = this.#listeners.get(type) as Set<Listener<Events[K]>> | undefined;
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(type, error);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
