import { html, nothing, type PropertyDeclarations } from 'lit';
import type { ConnectionState } from '../../core/client.js';
import { GymElement } from '../shared/gym-element.js';
import { RealtimeController } from '../shared/realtime-controller.js';
import { baseStyles } from '../shared/styles.js';
import { Tick } from '../shared/ticker.js';
import { connectionStatusStyles } from './connection-status.styles.js';

type Shown = ConnectionState | 'none';

const STATES: readonly Shown[] = ['none', 'idle', 'connecting', 'open', 'reconnecting', 'offline', 'unauthorized', 'closed'];
/** Icon and text say the state; colour only repeats it. */
const ICONS: Record<Shown, string> = { none: '–', idle: '–', connecting: '…', open: '✓', reconnecting: '↻', offline: '✕', unauthorized: '!', closed: '–' };
const LABELS: Record<Shown, string> = {
  none: 'notConnected',
  idle: 'connecting',
  connecting: 'connecting',
  open: 'live',
  reconnecting: 'reconnecting',
  offline: 'offline',
  unauthorized: 'unauthorized',
  closed: 'disconnected',
};
const RETRYABLE: ReadonlySet<Shown> = new Set(['reconnecting', 'offline', 'unauthorized']);

/**
 * Shows the state of the shared connection with an icon and words, never
 * colour alone: Live · Connecting… · Reconnecting in 7 s (a live countdown,
 * with "Retry now") · Offline — waiting for network · Sign-in required ·
 * Disconnected. Screen readers hear state changes, not the countdown.
 *
 * @tagname gym-connection-status
 * @summary The connection state: live, reconnecting with a countdown, offline, sign-in required.
 * @csspart base - The wrapper.
 * @csspart icon - The state icon.
 * @csspart label - The state text (visually hidden when `compact`).
 * @csspart countdown - "in 7 s" while reconnecting.
 * @csspart retry - The "Retry now" button.
 * @cssproperty --gym-status-color - The icon's colour (set per state by default).
 * @cssstate none - No provider around this element.
 * @cssstate idle - The connection has not started.
 * @cssstate connecting - Opening the connection.
 * @cssstate open - Live.
 * @cssstate reconnecting - Waiting for the next attempt.
 * @cssstate offline - The browser is offline.
 * @cssstate unauthorized - Sign-in required.
 * @cssstate closed - Stopped.
 */
export class GymConnectionStatus extends GymElement {
  static override styles = [baseStyles, connectionStatusStyles];
  static override defaultStrings = {
    live: 'Live',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting',
    reconnectingIn: 'in {seconds} s',
    offline: 'Offline — waiting for network',
    unauthorized: 'Sign-in required',
    disconnected: 'Disconnected',
    notConnected: 'Not connected',
    retry: 'Retry now',
  };
  static override properties: PropertyDeclarations = {
    compact: { type: Boolean, reflect: true },
  };

  /** Only the icon (the state stays readable by assistive technology); no retry button. */
  compact = false;

  readonly #realtime = new RealtimeController(this);
  readonly #tick = new Tick(1000, this.guard(() => this.#realtime.requestRender()));

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#tick.set(false);
  }

  protected override render() {
    const state: Shown = this.#realtime.state ?? 'none';
    const nextAttemptAt = this.#realtime.client?.nextAttemptAt;
    const counting = state === 'reconnecting' && nextAttemptAt !== undefined;
    const seconds = counting ? Math.max(0, Math.ceil((nextAttemptAt - Date.now()) / 1000)) : 0;
    return html`<div part="base">
      <span part="icon" aria-hidden="true">${ICONS[state]}</span>
      <span part="label" role="status" class=${this.compact ? 'visually-hidden' : ''}>${this.t(LABELS[state])}</span>
      ${counting && !this.compact ? html`<span part="countdown" aria-hidden="true">${this.t('reconnectingIn', { seconds })}</span>` : nothing}
      ${RETRYABLE.has(state) && !this.compact
        ? html`<button part="retry" type="button" @click=${() => this.#realtime.client?.reconnectNow()}>${this.t('retry')}</button>`
        : nothing}
    </div>`;
  }

  protected override updated(): void {
    const state: Shown = this.#realtime.state ?? 'none';
    this.setCustomState(STATES, state);
    this.#tick.set(state === 'reconnecting' && this.isConnected);
  }
}
