import { render, type TemplateResult } from 'lit';

export interface Row {
  key: string;
  /** The row's `part` attribute. */
  part: string;
  /** Marks a row that just arrived (`data-new`). */
  fresh: boolean;
  /** Everything the content shows that can change while the row stays (its relative time, say): same stamp, same content. */
  stamp: string;
  content: () => TemplateResult;
}

/**
 * The feed's rows as `<li>` elements keyed by visit: a row that stays keeps
 * its node, with its focus, and moves only when the order changes; a new row
 * is made once; a row that goes is removed, leaving nothing behind. (Lit's
 * `repeat` leaves a comment node behind per removal, lit/lit#5010; keying rows
 * by position rebuilds every row that shifts down, each frame of a flood.)
 */
export class KeyedRows {
  #list: Element | undefined;
  readonly #rows = new Map<string, HTMLLIElement>();
  readonly #stamps = new WeakMap<HTMLLIElement, string>();

  /** Makes `rows` the children of `list`, in order (a new `list` starts afresh). */
  sync(list: Element | null, rows: readonly Row[], host: object): void {
    if (list !== this.#list) {
      this.#rows.clear();
      this.#list = list ?? undefined;
    }
    if (!list) return;
    const wanted = new Set(rows.map((row) => row.key));
    for (const [key, li] of this.#rows) {
      if (wanted.has(key)) continue;
      li.remove();
      this.#rows.delete(key);
    }
    let next = list.firstElementChild;
    for (const { key, part, fresh, stamp, content } of rows) {
      let li = this.#rows.get(key);
      if (!li) this.#rows.set(key, (li = document.createElement('li')));
      // Only what changed is written: a flood renders many frames, and rows that stay are most of each.
      if (li.getAttribute('part') !== part) li.setAttribute('part', part);
      li.toggleAttribute('data-new', fresh);
      if (this.#stamps.get(li) !== stamp) {
        render(content(), li, { host });
        this.#stamps.set(li, stamp);
      }
      if (li === next) next = li.nextElementSibling;
      else list.insertBefore(li, next);
    }
  }
}
