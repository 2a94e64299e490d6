/** Marks an upgraded block in the page itself, so a second copy of the bundle on the page leaves it alone. */
const UPGRADED = 'data-gym-upgraded';

const attributesOf = (tag: string): readonly string[] =>
  (customElements.get(tag) as { observedAttributes?: string[] } | undefined)?.observedAttributes ?? [];

function report(block: Element, message: string): void {
  block.dispatchEvent(new CustomEvent('gym-error', { detail: { source: 'config', message, error: undefined }, bubbles: true, composed: true }));
}

/**
 * Turns one `data-gym-widget` block into the element it names. Its other
 * `data-*` attributes become the element's attributes (`data-limit="10"` →
 * `limit="10"`); connection ones (`data-url`, `data-token-url`, …) on a block
 * that is not a provider wrap the element in a provider of its own.
 */
function upgradeBlock(block: HTMLElement): void {
  const tag = `gym-${block.dataset.gymWidget}`;
  // Only our elements: they all have `text-*` string overrides, so a `lang` attribute.
  if (!attributesOf(tag).includes('lang')) {
    const message = `"${block.dataset.gymWidget}" is not a widget`;
    const notice = document.createElement('p');
    notice.textContent = `This live widget is misconfigured: ${message}`;
    block.replaceChildren(notice);
    report(block, message);
    return;
  }
  const element = document.createElement(tag);
  let provider: HTMLElement | undefined;
  const unknown: string[] = [];
  for (const { name, value } of [...block.attributes]) {
    const attribute = name.slice(5);
    if (!name.startsWith('data-') || attribute === 'gym-widget' || name === UPGRADED) continue;
    if (attributesOf(tag).includes(attribute)) {
      element.setAttribute(attribute, value);
    } else if (attributesOf('gym-realtime-provider').includes(attribute)) {
      (provider ??= document.createElement('gym-realtime-provider')).setAttribute(attribute, value);
    } else {
      unknown.push(name);
    }
  }
  // A provider or boundary keeps what the block holds (other blocks); any other block's content was fallback text.
  if (tag === 'gym-realtime-provider' || tag === 'gym-error-boundary') element.append(...block.childNodes);
  provider?.append(element);
  block.replaceChildren(provider ?? element);
  if (unknown.length) report(block, `not attributes of <${tag}>: ${unknown.join(', ')}`);
}

/**
 * Upgrades every `data-gym-widget` block in `root` (the whole document by
 * default) that is not upgraded yet, outer blocks first. For CMS pages that
 * strip unknown tags: `<div data-gym-widget="checkin-feed" data-url="…">`.
 * With `load` (the autoloading CDN file), each block waits for its element's
 * code, and a provider's, before it is upgraded.
 */
export function upgradeWidgets(root: ParentNode = document, load?: (tag: string) => Promise<void>): void {
  for (const block of root.querySelectorAll<HTMLElement>(`[data-gym-widget]:not([${UPGRADED}])`)) {
    block.setAttribute(UPGRADED, '');
    if (!load) upgradeBlock(block);
    else void Promise.all([load(`gym-${block.dataset.gymWidget}`), load('gym-realtime-provider')]).then(() => upgradeBlock(block));
  }
}

/** Upgrades the blocks on the page now (or once it is parsed) and any added later, e.g. by a page builder. */
export function watchWidgets(load?: (tag: string) => Promise<void>): void {
  const start = () => {
    upgradeWidgets(document, load);
    new MutationObserver(() => upgradeWidgets(document, load)).observe(document.documentElement, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}
