import { html, nothing, type PropertyDeclarations } from 'lit';
import type { RealtimeClient } from '../../core/client.js';
import { CONNECTION_STATES, type ConnectionState } from '../../core/events.js';
import { mark } from '../../core/marks.js';
import { GymElement } from '../shared/gym-element.js';
import { RealtimeController } from '../shared/realtime-controller.js';
import { blockSpacing } from '../shared/layout-styles.js';
import { baseStyles } from '../shared/styles.js';
import { Tick } from '../shared/ticker.js';
import { connectionStatusStyles } from './connection-status.styles.js';
import type * as DiagnosticsModule from './diagnostics.js';

type Diagnostics = typeof DiagnosticsModule;

type Shown = ConnectionState | 'none';

const STATES: readonly Shown[] = ['none', ...CONNECTION_STATES];
/** Icon and text say the state; colour only repeats it. */
const ICONS: Record<Shown, string> = {
  none: '–',
  idle: '–',
  connecting: '…',
  open: '✓',
  checking: '…',
  reconnecting: '↻',
  refused: '!',
  offline: '✕',
  unauthorized: '!',
  closed: '–',
};
const LABELS: Record<Shown, string> = {
  none: 'notConnected',
  idle: 'connecting',
  connecting: 'connecting',
  open: 'live',
  checking: 'checking',
  reconnecting: 'reconnecting',
  refused: 'refused',
  offline: 'offline',
  unauthorized: 'unauthorized',
  closed: 'disconnected',
};
const RETRYABLE: ReadonlySet<Shown> = new Set(['reconnecting', 'refused', 'offline', 'unauthorized']);
/** States that wait for a known moment, shown as a countdown. */
const COUNTING: ReadonlySet<Shown> = new Set(['reconnecting', 'refused']);
/**
 * The labels a link drop goes through, widest countdown included: the text
 * keeps room for the widest, so a status in a header does not jump when the
 * link drops. (Offline, refused and sign-in states are long and rare: they may.)
 */
const RESERVED = ['live', 'delayed', 'connecting', 'checking', 'reconnecting'] as const;

/**
 * Shows the state of the shared connection with an icon and words, never
 * colour alone: Live · Connecting… · Checking connection… · Reconnecting in 7 s
 * (a live countdown, with "Retry now") · Can't sign in to the live feed ·
 * Offline — waiting for network · Sign-in required (or, on a page that uses
 * no token, Live feed unavailable) · Disconnected. Screen readers hear state
 * changes, not the countdown. It keeps the room of "Retry now" and of its
 * widest label while the link drops and comes back, so nothing around it
 * moves; when "Retry now" goes away under keyboard focus, focus moves to the
 * state text.
 *
 * @tagname gym-connection-status
 * @summary The connection state: live, reconnecting with a countdown, offline, sign-in required.
 * @csspart base - The wrapper: a pill with its own surface and border in every theme, so the text keeps its contrast on any page.
 * @csspart icon - The state icon.
 * @csspart label - The state text (visually hidden when `compact`).
 * @csspart countdown - "in 7 s" while reconnecting; "· retrying in 45 s" while the server refuses.
 * @csspart retry - The "Retry now" button; there but invisible (and disabled) while there is nothing to retry, keeping its room.
 * @csspart details-toggle - The "Details" button (with `details`); `aria-expanded` says whether the panel is open.
 * @csspart details - The diagnostics panel.
 * @csspart fields - The panel's list of figures (a `dl`).
 * @csspart sparkline - The last hour: round trip (`.round-trip`) and one mark per minute (`.up`, `.partly`, `.down`, `.none`).
 * @csspart copy-row - The row of the "Copy diagnostics" button and what copying did.
 * @csspart copy - The "Copy diagnostics" button.
 * @csspart copy-status - What copying did.
 * @csspart report - The report as text, shown when the clipboard refused it.
 * @cssproperty --gym-block-spacing - Space below the element when something follows it (default 1em, as a paragraph); `0` turns it off.
 * @cssproperty --gym-status-color - The icon's colour (set per state by default).
 * @cssstate none - No provider around this element.
 * @cssstate idle - The connection has not started.
 * @cssstate connecting - Opening the connection.
 * @cssstate open - Live.
 * @cssstate checking - The browser went offline; checking whether the link still answers.
 * @cssstate reconnecting - Waiting for the next attempt.
 * @cssstate refused - The server keeps refusing the connection (most likely the token); retrying slowly.
 * @cssstate offline - The browser is offline.
 * @cssstate unauthorized - Sign-in required (or, without any token, the feed is unavailable).
 * @cssstate closed - Stopped.
 * @cssstate delayed - Live through the read-only gateway, whose own link to the gym server is down: "Live · delayed", the figures and feed are stale.
 */
export class GymConnectionStatus extends GymElement {
  static override styles = [baseStyles, blockSpacing, connectionStatusStyles];
  static override defaultStrings = {
    live: 'Live',
    delayed: 'Live · delayed',
    connecting: 'Connecting…',
    checking: 'Checking connection…',
    reconnecting: 'Reconnecting',
    reconnectingIn: 'in {seconds} s',
    refused: "Can't sign in to the live feed",
    retryingIn: '· retrying in {seconds} s',
    offline: 'Offline — waiting for network',
    unauthorized: 'Sign-in required',
    unavailable: 'Live feed unavailable',
    disconnected: 'Disconnected',
    notConnected: 'Not connected',
    retry: 'Retry now',
    details: 'Details',
    diagState: 'State',
    diagConnectedSince: 'Connected since',
    diagDownSince: 'Down since',
    diagRoundTrip: 'Heartbeat round trip',
    diagRoundTripValue: '{last} ms (median of the last {count}: {median} ms)',
    diagReconnects: 'Reconnects',
    diagFailures: 'Failed attempts',
    diagCounts: '{hour} in the last hour, {total} since load',
    diagFrames: 'Frames in / out',
    diagBytes: 'Bytes in / out',
    diagProtocolErrors: 'Malformed frames',
    diagQueue: 'Waiting to send / for a reply',
    diagVersion: 'Version',
    diagServer: 'Server',
    diagLastHour: 'Last hour: round trip up to {highest} ms; connected {share} % of the time',
    copy: 'Copy diagnostics',
    copied: 'Copied — paste it to your support contact',
    copyFailed: 'Could not copy: select the text below and copy it',
  };
  static override properties: PropertyDeclarations = {
    compact: { type: Boolean, reflect: true },
    details: { type: Boolean, reflect: true },
    expanded: { state: true },
    copyStatus: { state: true },
  };

  /** Only the icon (the state stays readable by assistive technology); no retry button. */
  compact = false;
  /**
   * Adds a "Details" button that opens a panel for support: state and reason,
   * since when, heartbeat round trip, reconnects and failed attempts, frames,
   * bytes, queue depths, version, server, the last hour as sparklines, and
   * "Copy diagnostics" (a JSON report with no token, name or payload).
   */
  details = false;

  declare private expanded: boolean;
  /** What the last "Copy diagnostics" did. */
  declare private copyStatus: 'copied' | 'failed' | undefined;

  readonly #realtime = new RealtimeController(this);

  constructor() {
    super();
    this.expanded = false;
    // The countdown, while there is one; the open panel's figures, every second.
    new Tick(this, 1000, () => COUNTING.has(this.#realtime.state ?? 'none') || this.expanded, () => this.#realtime.requestRender());
  }

  protected override render() {
    const state: Shown = this.#realtime.state ?? 'none';
    const client = this.#realtime.client;
    const nextAttemptAt = client?.nextAttemptAt;
    const counting = COUNTING.has(state) && nextAttemptAt !== undefined;
    const seconds = counting ? Math.max(0, Math.ceil((nextAttemptAt - Date.now()) / 1000)) : 0;
    // "Sign-in required" only where there is a sign-in: a page with no token has nothing to sign in to.
    const delayed = state === 'open' && client?.delayedSince !== undefined;
    const label = delayed ? 'delayed' : (state === 'unauthorized' || state === 'refused') && client?.usesToken === false ? 'unavailable' : LABELS[state];
    const icon = html`<span part="icon" aria-hidden="true">${delayed ? '!' : ICONS[state]}</span>`;
    if (this.compact) {
      return html`<div part="base">${icon}<span part="label" role="status" class="visually-hidden">${this.t(label)}</span></div>`;
    }
    const retryable = RETRYABLE.has(state);
    // "Retry now" is always there, so an outage takes no new room: invisible and
    // disabled (its text drawn by CSS from data-text, out of the DOM's text) until it can retry.
    return html`<div part="base">
      ${icon}
      <span class="text">
        <span><span part="label" role="status">${this.t(label)}</span>${counting
          ? html` <span part="countdown" aria-hidden="true">${this.t(state === 'refused' ? 'retryingIn' : 'reconnectingIn', { seconds })}</span>`
          : nothing}</span>
        ${RESERVED.map((key) => html`<span class="reserve" data-text=${key === 'reconnecting' ? `${this.t(key)} ${this.t('reconnectingIn', { seconds: 88 })}` : this.t(key)}></span>`)}
      </span>
      <button part="retry" type="button" class=${retryable ? '' : 'reserve'} ?disabled=${!retryable} data-text=${this.t('retry')} @click=${() => this.#realtime.client?.reconnectNow()}>${retryable ? this.t('retry') : nothing}</button>
      ${this.details && client
        ? html`<button part="details-toggle" type="button" aria-expanded=${this.expanded} aria-controls="details" @click=${() => this.#toggle()}>
            ${this.t('details')}
          </button>`
        : nothing}
    </div>
    ${this.details && client && this.expanded ? this.#renderPanel(client) : nothing}`;
  }

  /** The panel's code, imported once `details` is on (see diagnostics.ts); `updateComplete` waits for it. */
  #diagnostics: Diagnostics | undefined;
  #loadingDiagnostics: Promise<void> | undefined;

  #loadDiagnostics(): void {
    this.#loadingDiagnostics ??= import('./diagnostics.js').then(
      (module) => {
        this.#diagnostics = module;
        this.requestUpdate();
      },
      (error: unknown) => {
        this.#loadingDiagnostics = undefined;
        this.reportError(error, 'load', 'The connection details could not load');
      },
    );
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    const loading = this.#loadingDiagnostics;
    if (!loading || this.#diagnostics) return done;
    await loading;
    return super.getUpdateComplete();
  }

  #renderPanel(client: RealtimeClient) {
    const diagnostics = this.#diagnostics;
    // Opened before its code came: the panel's place, filled once it is here.
    if (!diagnostics) return html`<div part="details" id="details" role="group" aria-label=${this.t('details')} aria-busy="true"></div>`;
    const { diagnosticsReport, renderFields, renderSparkline } = diagnostics;
    const history = client.history();
    const report = diagnosticsReport(client, history);
    return html`<div part="details" id="details" role="group" aria-label=${this.t('details')} @keydown=${this.#onPanelKey}>
      ${renderFields(report, (key, values) => this.t(key, values), this.locale)}
      ${renderSparkline(history, (key, values) => this.t(key, values), this.locale)}
      <div part="copy-row">
        <button part="copy" type="button" @click=${() => this.#copy(client)}>${this.t('copy')}</button>
        <span part="copy-status" role="status">${this.copyStatus ? this.t(this.copyStatus === 'copied' ? 'copied' : 'copyFailed') : ''}</span>
      </div>
      ${this.copyStatus === 'failed'
        ? html`<textarea part="report" readonly rows="8" aria-label=${this.t('copy')} .value=${JSON.stringify(report, null, 2)}></textarea>`
        : nothing}
    </div>`;
  }

  #toggle(): void {
    this.expanded = !this.expanded;
    this.copyStatus = undefined;
  }

  /** Escape closes the panel and gives focus back to its button, as a disclosure does. */
  #onPanelKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.expanded = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part=details-toggle]')?.focus());
  };

  async #copy(client: RealtimeClient): Promise<void> {
    const diagnostics = this.#diagnostics;
    if (!diagnostics) return;
    const text = JSON.stringify(diagnostics.diagnosticsReport(client), null, 2);
    try {
      await navigator.clipboard.writeText(text);
      this.copyStatus = 'copied';
    } catch {
      // No clipboard (an insecure page, a refused permission): the report is shown to copy by hand.
      this.copyStatus = 'failed';
    }
  }

  /** Whether "Retry now" had keyboard focus before this render. */
  #retryFocused = false;

  protected override willUpdate(): void {
    if (this.details) this.#loadDiagnostics();
    this.#retryFocused = this.shadowRoot?.activeElement?.getAttribute('part') === 'retry';
  }

  protected override updated(): void {
    const state: Shown = this.#realtime.state ?? 'none';
    this.setCustomState(STATES, state);
    this.setCustomState(['delayed'], state === 'open' && this.#realtime.client?.delayedSince !== undefined ? 'delayed' : '');
    if (state === 'open') mark('live');
    if (this.#retryFocused && !RETRYABLE.has(state)) this.#focusLabel();
  }

  /**
   * "Retry now" went away under the keyboard (the link is back): focus stays in
   * the widget, on the state it now says, focusable only until it is left.
   */
  #focusLabel(): void {
    const label = this.renderRoot.querySelector<HTMLElement>('[part=label]');
    if (!label) return;
    label.tabIndex = -1;
    label.addEventListener('blur', () => label.removeAttribute('tabindex'), { once: true });
    label.focus();
  }
}
