import { html } from 'lit';
import { mark } from '../../core/marks.js';
import type { GymStats } from '../../protocol/types.js';
import { formatAgo, formatNumber } from '../shared/format.js';
import { GymElement } from '../shared/gym-element.js';
import { RealtimeController } from '../shared/realtime-controller.js';
import { blockSpacing, skeletonStyles } from '../shared/layout-styles.js';
import { baseStyles } from '../shared/styles.js';
import { Tick } from '../shared/ticker.js';
import { checkinStatsStyles } from './checkin-stats.styles.js';

/**
 * The gym's figures — currently in, today's total, average stay — from the
 * server's `initial_stats` and `check_in_stats`, formatted for the element's
 * language. While the link is down it keeps the last figures and says how old
 * they are, on a line kept for notes, so nothing moves. Until the first
 * figures arrive it shows placeholders the size of the figures (`aria-busy`);
 * when the server says it could not compute them, "Figures unavailable".
 *
 * @tagname gym-checkin-stats
 * @summary Live figures: currently in, today's total, average stay.
 * @csspart base - The wrapper.
 * @csspart figures - The list of figures.
 * @csspart figure - One figure with its label.
 * @csspart value - A figure's number.
 * @csspart note - "Last updated 3 min. ago", "Waiting for figures…", "Figures unavailable"; its line is kept, empty while live.
 * @csspart skeleton - A figure's placeholder while waiting for the first figures (shimmers unless reduced motion is asked for).
 * @cssproperty --gym-block-spacing - Space below the element when something follows it (default 1em, as a paragraph); `0` turns it off.
 * @cssproperty --gym-stats-value-size - Size of the numbers (default 1.75em).
 * @cssstate waiting - No figures yet.
 * @cssstate live - Figures are current.
 * @cssstate stale - The link is down, or the gateway it goes through lost its own: the figures are the last known ones.
 * @cssstate unavailable - The server could not compute the figures ("Figures unavailable").
 */
export class GymCheckinStats extends GymElement {
  static override styles = [baseStyles, blockSpacing, skeletonStyles, checkinStatsStyles];
  static override defaultStrings = {
    label: 'Gym figures',
    currentlyIn: 'Currently in',
    todayTotal: 'Today',
    averageStay: 'Average stay',
    minutes: '{count} min',
    waiting: 'Waiting for figures…',
    notConnected: 'Not connected',
    stale: 'Last updated {ago}',
    justNow: 'just now',
    failed: 'Figures unavailable',
  };

  #stats: GymStats | undefined;
  #receivedAt = 0;
  readonly #realtime = new RealtimeController(this, {
    messages: {
      initial_stats: ({ payload }) => this.#receive(payload),
      check_in_stats: ({ payload }) => this.#receive(payload),
    },
    // Added after the figures arrived (a late script, "Try again"): start from the client's latest.
    onSource: (source) => {
      if (!this.#stats && source?.client.stats) this.#receive(source.client.stats);
    },
  });

  constructor() {
    super();
    // "Last updated 3 min. ago" stays true while the figures are stale.
    new Tick(this, 30_000, () => Boolean(this.#stats) && this.#stale, () => this.#realtime.requestRender());
  }

  /** The last figures received, if any. */
  get stats(): GymStats | undefined {
    return this.#stats;
  }

  protected override updated(): void {
    const stats = this.#stats;
    if (stats) mark('stats');
    this.setCustomState(['waiting', 'live', 'stale', 'unavailable'], !stats ? 'waiting' : stats.error ? 'unavailable' : this.#stale ? 'stale' : 'live');
  }

  protected override render() {
    const stats = this.#stats;
    const locale = this.locale;
    // Connected and no figures yet: placeholders the size of the figures, and busy.
    const loading = !stats && Boolean(this.#realtime.client);
    // The server's zeros on a failure are no figures.
    const shown = stats?.error ? undefined : stats;
    const figure = (label: string, value: string) =>
      html`<div part="figure"><dt>${label}</dt><dd part="value">${loading ? html`<span part="skeleton" class="bone"></span>` : value}</dd></div>`;
    const number = (value: number | undefined) => (value === undefined ? '–' : formatNumber(locale, value));
    let note = '';
    if (!stats) note = this.t(loading ? 'waiting' : 'notConnected');
    else if (stats.error) note = this.t('failed');
    else if (this.#stale) note = this.t('stale', { ago: formatAgo(locale, this.#lastFresh, Date.now(), this.t('justNow')) });
    // The note's line is always there (empty while live), so "Last updated…" moves nothing when the link drops.
    return html`<div part="base">
      <dl part="figures" aria-label=${this.t('label')} aria-busy=${loading}>
        ${figure(this.t('currentlyIn'), number(shown?.currentlyIn))} ${figure(this.t('todayTotal'), number(shown?.todayTotal))}
        ${figure(this.t('averageStay'), shown ? this.t('minutes', { count: number(shown.averageStayMinutes) }) : '–')}
      </dl>
      <p part="note">${note}</p>
    </div>`;
  }

  /** The link is down, or the gateway it goes through lost its own link to the gym server. */
  get #stale(): boolean {
    return this.#realtime.state !== 'open' || this.#realtime.client?.delayedSince !== undefined;
  }

  /** When the figures were last current: received, or when the gateway's link went down if that was earlier. */
  get #lastFresh(): number {
    const since = Date.parse(this.#realtime.client?.delayedSince ?? '');
    return Number.isNaN(since) ? this.#receivedAt : Math.min(since, this.#receivedAt);
  }

  #receive(stats: GymStats): void {
    this.#stats = stats;
    this.#receivedAt = Date.now();
  }
}
