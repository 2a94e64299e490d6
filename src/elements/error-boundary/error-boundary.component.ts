import { ContextEvent } from '@lit/context';
import { html, type PropertyDeclarations } from 'lit';
import type { GymErrorDetail, GymErrorEvent } from '../../events/gym-error.js';
import { realtimeContext } from '../shared/context.js';
import { GymElement } from '../shared/gym-element.js';
import { baseStyles } from '../shared/styles.js';
import { errorBoundaryStyles } from './error-boundary.styles.js';

/** Errors that re-creating the widgets (and reconnecting) can mend; `config` and `storage` errors are for the page to handle. */
const CAUGHT: ReadonlySet<GymErrorDetail['source']> = new Set(['render', 'handler', 'connection']);

/**
 * Contains the failures of the gym elements inside it: when one of them
 * reports a render, handler or connection error (`gym-error`), the boundary
 * shows a fallback with "Try again" instead of a broken widget. "Try again"
 * re-creates its children from their markup and, after a connection error,
 * asks the provider to reconnect. Errors it catches stop here; widgets outside
 * it are not affected. Configuration errors pass through: the element
 * concerned shows them.
 *
 * @tagname gym-error-boundary
 * @summary Shows a fallback with "Try again" when a gym element inside it fails.
 * @slot - The gym elements to protect.
 * @slot fallback - Replaces the default fallback message.
 * @csspart fallback - The fallback wrapper.
 * @csspart message - The default fallback message.
 * @csspart detail - What went wrong.
 * @csspart retry - The "Try again" button.
 * @csspart content - The protected elements; `display: contents`, so a layout set on the boundary applies to them.
 * @cssstate tripped - An error was caught; the fallback is showing.
 */
export class GymErrorBoundary extends GymElement {
  static override styles = [baseStyles, errorBoundaryStyles];
  static override defaultStrings = { message: 'This live widget stopped working.', retry: 'Try again' };
  static override properties: PropertyDeclarations = {
    caught: { state: true },
  };

  declare private caught: GymErrorDetail | undefined;

  constructor() {
    super();
    this.addEventListener('gym-error', (event: GymErrorEvent) => this.#catch(event));
  }

  /** The error on display, if any. */
  get error(): GymErrorDetail | undefined {
    return this.caught;
  }

  /** Re-creates the children from their markup and hides the fallback (what "Try again" does). */
  reset(): void {
    const wasConnectionError = this.caught?.source === 'connection';
    for (const child of [...this.children]) {
      if (child.slot !== 'fallback') child.replaceWith(child.cloneNode(true));
    }
    this.caught = undefined;
    // Asks the provider around this boundary, whatever its tag name (a provider inside it
    // was just re-created and connects by itself).
    if (wasConnectionError) this.dispatchEvent(new ContextEvent(realtimeContext, this, (source) => source?.client.reconnectNow()));
  }

  protected override updated(): void {
    this.setCustomState(['tripped'], this.caught ? 'tripped' : '');
  }

  protected override render() {
    const caught = this.caught;
    return html`<div part="fallback" role="alert" ?hidden=${!caught}>
        <slot name="fallback"><p part="message">${this.t('message')}</p></slot>
        <p part="detail">${caught?.message ?? ''}</p>
        <button part="retry" type="button" @click=${() => this.reset()}>${this.t('retry')}</button>
      </div>
      <div part="content" ?hidden=${Boolean(caught)}><slot></slot></div>`;
  }

  #catch(event: GymErrorEvent): void {
    // Our own error, or one that cannot be mended here, goes on up.
    if (event.target === this || !CAUGHT.has(event.detail.source)) return;
    event.stopPropagation();
    this.caught ??= event.detail;
  }
}
