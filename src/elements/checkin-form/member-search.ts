import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TimerController } from '../shared/timer-controller.js';
import type { Member } from './members.js';

/** How long typing must pause before a search goes out. */
export const TYPING_PAUSE_MS = 250;
/** Keys closer together than this come from a scanner (or a paste), not a person. */
export const BURST_MS = 50;

/**
 * The combobox's model: the query, the members found, which option is active,
 * whether the list is open. Searches once typing pauses; a new query, `clear()`
 * or the host leaving drops the search in flight. Renders its host on change.
 */
export class MemberSearch implements ReactiveController {
  query = '';
  members: Member[] = [];
  /** `done`: `members` answer `query`; `failed`: the search did not answer. */
  status: 'idle' | 'searching' | 'done' | 'failed' = 'idle';
  open = false;
  /** The active option's index; -1 for none. */
  active = -1;
  readonly #timers: TimerController<'pause'>;
  #abort: AbortController | undefined;
  #typedAt = -Infinity;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Searches `query`; undefined when there is nowhere to search. */
    private readonly find: (query: string, signal: AbortSignal) => Promise<Member[]> | undefined,
  ) {
    this.#timers = new TimerController(host);
    host.addController(this);
  }

  /** The field changed to `text`: search once typing pauses; a scanner's burst hides the list at once. */
  type(text: string, now = performance.now()): void {
    const burst = now - this.#typedAt < BURST_MS;
    this.#typedAt = now;
    this.#stop();
    this.query = text.trim();
    // What is listed answers the text before this change: no option stays active, none is "the only one".
    this.status = 'idle';
    this.active = -1;
    if (burst || !this.query) this.open = false;
    if (this.query) this.#timers.set('pause', TYPING_PAUSE_MS, () => void this.search());
    this.host.requestUpdate();
  }

  /** Searches for `query` now (Enter on a name does not wait for the pause). */
  async search(): Promise<void> {
    this.#stop();
    const abort = (this.#abort = new AbortController());
    const request = this.find(this.query, abort.signal);
    if (!request) return;
    this.status = 'searching';
    this.host.requestUpdate();
    let members: Member[] | undefined;
    try {
      members = await request;
    } catch {
      // Said in the list: search is not available (scanning still works).
    }
    if (abort.signal.aborted) return;
    this.members = members ?? [];
    this.status = members ? 'done' : 'failed';
    this.open = true;
    this.active = -1;
    this.host.requestUpdate();
  }

  /** Arrow keys: moves the active option by `by`, round the ends; opens the list, or searches when there is none. */
  move(by: 1 | -1): void {
    const count = this.members.length;
    if (!count) {
      if (this.query && this.status === 'idle') void this.search();
      return;
    }
    this.active = this.open && this.active >= 0 ? (this.active + by + count) % count : by > 0 ? 0 : count - 1;
    this.open = true;
    this.host.requestUpdate();
  }

  /** The active option's member, or the only one found. */
  get chosen(): Member | undefined {
    if (!this.open) return undefined;
    return this.members[this.active] ?? (this.status === 'done' && this.members.length === 1 ? this.members[0] : undefined);
  }

  /** Closes the list; a search on its way is dropped (it would open it again). */
  close(): void {
    this.#stop();
    this.open = false;
    this.active = -1;
    this.host.requestUpdate();
  }

  /** Forgets the query and what it found (the field was cleared for the next member). */
  clear(): void {
    this.query = '';
    this.members = [];
    this.status = 'idle';
    this.close();
  }

  hostDisconnected(): void {
    this.clear();
  }

  #stop(): void {
    this.#timers.clear('pause');
    if (!this.#abort) return;
    this.#abort.abort();
    this.#abort = undefined;
    if (this.status === 'searching') this.status = 'idle';
  }
}
