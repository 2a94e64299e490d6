import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { GymErrorDetail, GymErrorSource } from '../../events/gym-error.js';
import { ensureContextRoot } from './context-root.js';
import { messageOf } from './errors.js';
import { usableLocale } from './format.js';

/** Every event the elements fire, with its detail. */
type GymEvents = {
  [K in keyof GlobalEventHandlersEventMap as K extends `gym-${string}` ? K : never]: GlobalEventHandlersEventMap[K] extends CustomEvent<infer D>
    ? D
    : never;
};

const toAttribute = (key: string) => `text-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * The gym element classes defined on the page, under any tag (`customElements.define` reads their
 * `observedAttributes`): their attributes are what a misspelt one is compared with.
 */
const defined = new Set<typeof GymElement>();

/** A name as its misspellings write it: `token_url`, `tokenUrl` and `token-url` are all `tokenurl`. */
const squash = (name: string) => name.toLowerCase().replace(/[-_]/g, '');

/** `<gym-realtime-provider>`; where `customElements.getName` is missing (before 2023), no tag, and nothing throws. */
const tagOf = (element: CustomElementConstructor) => {
  const tag = customElements.getName?.(element);
  return tag ? `<${tag}>` : 'another widget';
};

/** The error of the `gym-error` (`source: 'config'`) that says an attribute is misspelt. */
export class MisspeltAttribute extends Error {}

/**
 * The base of every gym element: typed events, registration that survives the
 * bundle being loaded twice, custom states, overridable strings, the element's
 * locale, and errors reported as `gym-error` events instead of thrown.
 *
 * @attr {string} lang - The language of dates and numbers; by default the nearest `lang` on or around the element, then the browser's. A value that is no language tag (`x`) is skipped; `en_US` is read as `en-US`.
 * @attr {'ltr' | 'rtl' | 'auto'} dir - The text direction; by default the page's.
 * @fires {GymErrorEvent} gym-error - Something failed inside the element: `{ source, message, error }`. Bubbles, composed. Also, once when the element is first connected, for each attribute that looks like a misspelling of one of the kit's (`token_url`, `tokenUrl`, `historyUrl`: `source: 'config'`, the message names the right spelling).
 * @cssproperty --gym-color-surface - Background of cards and controls.
 * @cssproperty --gym-color-text - Main text.
 * @cssproperty --gym-color-muted - Secondary text.
 * @cssproperty --gym-color-border - Borders.
 * @cssproperty --gym-color-accent - Buttons, focus rings, links. Set `--gym-color-on-accent` with it.
 * @cssproperty --gym-color-on-accent - Text on the accent colour (the form's Send button); at least 4.5:1 against the accent.
 * @cssproperty --gym-color-success - "Live", check-ins, success messages.
 * @cssproperty --gym-color-warning - Connecting, reconnecting, queued.
 * @cssproperty --gym-color-danger - Offline, sign-in required, errors.
 * @cssproperty --gym-color-highlight - Background of a new feed entry as it arrives.
 * @cssproperty --gym-radius - Corner radius.
 * @cssproperty --gym-font-family - Font.
 * @cssproperty --gym-font-size - Base font size.
 */
export class GymElement extends LitElement {
  static override properties: PropertyDeclarations = {
    strings: { attribute: false },
    theme: { reflect: true },
  };

  /** Default visible strings; `{name}` marks a value filled in at render time. */
  static defaultStrings: Record<string, string> = {};

  /** Defines the element under `tag` unless something already did (the bundle pasted twice). */
  static define(tag: string): void {
    ensureContextRoot();
    if (!customElements.get(tag)) customElements.define(tag, this);
  }

  static override get observedAttributes(): string[] {
    defined.add(this);
    return [...super.observedAttributes, 'lang', 'dir', ...Object.keys(this.defaultStrings).map(toAttribute)];
  }

  /**
   * Replaces visible strings, by key (see each element's docs), e.g.
   * `{ live: 'En direct' }`. CMS pages use `text-*` attributes instead:
   * `text-live="En direct"`.
   */
  strings: Record<string, string> = {};

  /**
   * The colour theme of this element and of every gym element inside it (a
   * provider's theme reaches its children; a child's own theme wins). Light
   * when neither it nor an ancestor sets one, since most host pages are light;
   * `auto` follows the visitor's `prefers-color-scheme`.
   */
  declare theme: 'light' | 'dark' | 'auto' | undefined;

  readonly #internals = this.attachInternals();
  #spellingChecked = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // Once per element, not at every move: the attributes a page wrote, not those set later by script.
    if (this.#spellingChecked) return;
    this.#spellingChecked = true;
    const own = this.constructor as typeof GymElement;
    for (const { name } of this.attributes) {
      if (own.observedAttributes.includes(name)) continue;
      const key = squash(name);
      // Its own attributes first, then those of the other elements defined.
      for (const element of new Set([own, ...defined])) {
        const meant = element.observedAttributes.find((known) => squash(known) === key);
        if (!meant) continue;
        // Spelt right but on another element (`token-url` on a feed) is no misspelling.
        const message = `${name} is not an attribute of <${this.localName}>: did you mean ${meant}${element === own ? '' : `, an attribute of ${tagOf(element)}`}?`;
        if (meant !== name) this.reportError(new MisspeltAttribute(message), 'config', message);
        break;
      }
    }
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    // Strings, lang and dir are read at render time: a change just needs a render.
    if (name === 'lang' || name === 'dir' || name.startsWith('text-')) this.requestUpdate();
  }

  /**
   * The locale for `Intl`: the nearest `lang` that is a language tag, canonicalised (`en_US` is
   * read as `en-US`); one that is not (`x`) is skipped for the next one out, then the document's,
   * then the browser's, then English. Never throws: a typo in `lang` must not empty the widgets.
   */
  get locale(): string {
    return usableLocale(this.#langs());
  }

  *#langs(): Generator<string | null | undefined> {
    for (let el = this.closest('[lang]'); el; el = el.parentElement?.closest('[lang]') ?? null) yield el.getAttribute('lang');
    // Inside another component's shadow root, the ancestors above stop at that root.
    yield document.documentElement.getAttribute('lang');
    yield* navigator.languages ?? [];
    yield navigator.language;
  }

  /** A visible string: the `strings` property, a `text-*` attribute, or the default; `{name}` filled from `values`. */
  protected t(key: string, values?: Record<string, string | number>): string {
    const text = this.strings[key] ?? this.getAttribute(toAttribute(key)) ?? (this.constructor as typeof GymElement).defaultStrings[key] ?? key;
    return values ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? '')) : text;
  }

  /** Makes `state` the one active custom state of `group` (`:host(:state(open))`). */
  protected setCustomState(group: readonly string[], state: string): void {
    const states = this.#internals.states;
    for (const name of group) {
      if (name === state) states.add(name);
      else states.delete(name);
    }
  }

  /**
   * Fires a gym event; they bubble and cross shadow roots unless told otherwise.
   * Not cancelable unless `options` say so: only an event whose default a
   * listener may prevent should be (none of ours has one yet).
   */
  protected emit<K extends keyof GymEvents>(name: K, detail: GymEvents[K], options?: EventInit): boolean {
    return this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, ...options, detail }));
  }

  /** Reports an error as a `gym-error` event; nothing is thrown to the page. */
  reportError(error: unknown, source: GymErrorSource, message = messageOf(error)): void {
    const detail: GymErrorDetail = { source, message, error };
    this.emit('gym-error', detail);
  }

  /** Wraps a callback (a socket handler, a timer) so that what it throws becomes a `gym-error`. */
  guard<A extends unknown[]>(callback: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      try {
        callback(...args);
      } catch (error) {
        this.reportError(error, 'handler');
      }
    };
  }

  protected override update(changed: PropertyValues): void {
    try {
      super.update(changed);
    } catch (error) {
      this.reportError(error, 'render');
    }
  }
}
