/** How to import one element's module (it defines its tag). */
export type Loaders = Readonly<Record<string, () => Promise<unknown>>>;

export interface AutoloaderOptions {
  /** The `data-gym-widget` upgrader, imported only when the page has such blocks. */
  upgrader(): Promise<{ watchWidgets(load: (tag: string) => Promise<void>): void }>;
  /** Where the loader looks: the document, by default. */
  root?: Document;
  /** Tags that hold other widgets (a provider, a boundary): a failure is said above their content, which stays. */
  containers?: readonly string[];
}

const WIDGET_BLOCK = '[data-gym-widget]';

/**
 * Imports each element's code when its tag first appears on the page, at load or later, so a
 * page pays only for the elements it shows. A module that fails to load (a 404, an integrity
 * mismatch, the network) leaves a visible sentence in each of its elements and a `gym-error`
 * (`source: 'load'`) on it; the other elements go on.
 */
export class Autoloader {
  readonly #loaders: Loaders;
  readonly #options: AutoloaderOptions;
  readonly #loading = new Map<string, Promise<void>>();
  #upgrading = false;

  constructor(loaders: Loaders, options: AutoloaderOptions) {
    this.#loaders = loaders;
    this.#options = options;
  }

  /** The tags this loader knows. */
  get tags(): string[] {
    return Object.keys(this.#loaders);
  }

  /** Imports the module of `tag` once; resolves once the tag is defined (or its load failed, which is shown). */
  load(tag: string): Promise<void> {
    let loading = this.#loading.get(tag);
    if (!loading) {
      const loader = this.#loaders[tag];
      loading = loader ? loader().then(() => undefined, (error: unknown) => this.#failed(tag, error)) : Promise.resolve();
      this.#loading.set(tag, loading);
    }
    return loading;
  }

  /**
   * Loads what the page holds now and watches for more. Resolves when the elements found at
   * first are defined, and dispatches `gym-widgets-discovered` on the document then.
   */
  start(): Promise<void> {
    const doc = this.#options.root ?? document;
    new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) if (node.nodeType === 1) void this.#discover(node as Element);
    }).observe(doc.documentElement, { childList: true, subtree: true });
    return this.#discover(doc.documentElement).then(() => {
      doc.dispatchEvent(new CustomEvent('gym-widgets-discovered', { detail: { tags: [...this.#loading.keys()] } }));
    });
  }

  /** Loads every undefined tag of ours in and under `root`, and the upgrader where a block needs it. */
  #discover(root: Element): Promise<void> {
    const tags = new Set<string>();
    const consider = (element: Element) => {
      const tag = element.localName;
      if (tag in this.#loaders && !customElements.get(tag)) tags.add(tag);
    };
    consider(root);
    for (const element of root.querySelectorAll(':not(:defined)')) consider(element);
    if (!this.#upgrading && (root.matches(WIDGET_BLOCK) || root.querySelector(WIDGET_BLOCK))) {
      this.#upgrading = true;
      void this.#options.upgrader().then(
        ({ watchWidgets }) => watchWidgets((tag) => this.load(tag)),
        (error: unknown) => {
          for (const block of (this.#options.root ?? document).querySelectorAll(WIDGET_BLOCK)) this.#show(block, error);
        },
      );
    }
    return Promise.all([...tags].map((tag) => this.load(tag))).then(() => undefined);
  }

  #failed(tag: string, error: unknown): void {
    // Another try when the tag appears again (a flaky network); the elements on the page now say so.
    this.#loading.delete(tag);
    for (const element of (this.#options.root ?? document).querySelectorAll(tag)) this.#show(element, error);
  }

  /** Says in the element itself that its code could not load: never a blank space on the page. */
  #show(element: Element, error: unknown): void {
    const message = `This live widget could not load (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`;
    const notice = document.createElement('p');
    notice.setAttribute('role', 'status');
    notice.setAttribute('data-gym-load-error', '');
    notice.textContent = message;
    // A leaf's content is its fallback text ("Live check-ins load here"), no longer true; a
    // container's is the page's other widgets, which may well load.
    if (this.#options.containers?.includes(element.localName)) element.prepend(notice);
    else element.replaceChildren(notice);
    element.dispatchEvent(new CustomEvent('gym-error', { detail: { source: 'load', message, error }, bubbles: true, composed: true }));
  }
}
