import WebSocket from 'ws';

/** How long the gateway works on upstream frames before it lets other work in (a /healthz, a visitor's heartbeat). */
export const SLICE_MS = 8;
/** Frames waiting past this stop reading from AV-Gym, so TCP slows it down instead of memory growing. */
export const PAUSE_AT = 2_000;
/** Handed-on frames dropped from the front of the queue at once, when it has not emptied meanwhile. */
const COMPACT_AT = 1024;

type MessageHandler = ((event: WebSocket.MessageEvent) => void) | null;
type CloseHandler = ((event: WebSocket.CloseEvent) => void) | null;

/**
 * A `ws` socket that hands its frames on in slices of `SLICE_MS`, each in a turn of the event
 * loop of its own. `ws` emits every frame of a chunk it reads at once, and one 64 KB chunk of a
 * burst from AV-Gym is hundreds of visits, each fanned out to every visitor: before, a burst of
 * 10,000 events held the gateway for 130–180 ms at a time, and /healthz waited as long. Order is
 * kept, the close included: it is handed on after the last frame before it.
 */
export class PacedSocket extends WebSocket {
  readonly #waiting: (WebSocket.MessageEvent | undefined)[] = [];
  #next = 0;
  #onMessage: MessageHandler = null;
  #onClose: CloseHandler = null;
  #closeEvent: WebSocket.CloseEvent | undefined;
  #scheduled = false;
  #paused = false;

  constructor(url: string, options: WebSocket.ClientOptions) {
    super(url, options);
    this.addEventListener('message', (event) => this.#take(event));
    this.addEventListener('close', (event) => {
      this.#closeEvent = event;
      this.#schedule();
    });
    // The core sets `onmessage` and `onclose`; they stay here and are called from the slices.
    // (Own accessors, as `ws`'s types declare these as plain properties.)
    Object.defineProperties(this, {
      onmessage: { get: () => this.#onMessage, set: (handler: MessageHandler) => (this.#onMessage = handler) },
      onclose: { get: () => this.#onClose, set: (handler: CloseHandler) => (this.#onClose = handler) },
    });
  }

  /** How many frames wait to be handed on. */
  get waiting(): number {
    return this.#waiting.length - this.#next;
  }

  #take(event: WebSocket.MessageEvent): void {
    this.#waiting.push(event);
    if (!this.#paused && this.waiting >= PAUSE_AT) {
      this.#paused = true;
      this.pause();
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#drain());
  }

  #drain(): void {
    this.#scheduled = false;
    const started = performance.now();
    while (this.#next < this.#waiting.length) {
      const event = this.#waiting[this.#next]!;
      this.#waiting[this.#next++] = undefined;
      this.#onMessage?.(event);
      if (performance.now() - started >= SLICE_MS) break;
    }
    if (this.#next < this.#waiting.length) {
      // A queue that never quite empties (upstream as fast as the slices) drops what it handed on,
      // rather than growing by a hole a frame.
      if (this.#next >= COMPACT_AT) {
        this.#waiting.splice(0, this.#next);
        this.#next = 0;
      }
      return this.#schedule();
    }
    this.#waiting.length = 0;
    this.#next = 0;
    if (this.#paused) {
      this.#paused = false;
      this.resume();
    }
    if (this.#closeEvent !== undefined) {
      const event = this.#closeEvent;
      this.#closeEvent = undefined;
      this.#onClose?.(event);
    }
  }
}
