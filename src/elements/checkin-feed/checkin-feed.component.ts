import { html, nothing, svg, type PropertyDeclarations } from 'lit';
import { mark } from '../../core/marks.js';
import { newestFirst, supersedes, type Visit, type VisitChange } from '../../core/visit-log.js';
import { NAMES_MODES, shownName, type NamesMode } from '../../protocol/names.js';
import type { CheckIn } from '../../protocol/types.js';
import { isClientError, messageOf } from '../shared/errors.js';
import { formatAgo, formatTime } from '../shared/format.js';
import { GymElement } from '../shared/gym-element.js';
import { RealtimeController } from '../shared/realtime-controller.js';
import { blockSpacing, skeletonStyles } from '../shared/layout-styles.js';
import { baseStyles } from '../shared/styles.js';
import { Tick } from '../shared/ticker.js';
import { TimerController } from '../shared/timer-controller.js';
import { KeyedRows } from './keyed-rows.js';
import { Announcer } from './announcer.js';
import { checkinFeedStyles } from './checkin-feed.styles.js';
import { Held } from './held.js';
import { HistoryLoader } from './history.js';

/** A visit a paused feed holds back, and whether it arrived live (then it is highlighted when shown). */
interface HeldVisit extends Visit {
  fresh: boolean;
}

/** Arrows pointing to the inline end (in) and start (out); CSS mirrors them right to left. */
const ARROW_IN = svg`<path d="M2 7h8V4l4 4-4 4V9H2z"/>`;
const ARROW_OUT = svg`<path d="M14 7H6V4L2 8l4 4V9h8z"/>`;
/** A row's placeholder while the history loads: the row's grid, with bars for its two lines. */
const SKELETON = html`<li part="skeleton" aria-hidden="true"><span class="bone name"></span><span class="bone detail"></span></li>`;

/** Connection states in which the first history may still come: the skeleton stays up. */
const EXPECTING: ReadonlySet<string> = new Set(['idle', 'connecting', 'open', 'checking', 'reconnecting']);

const ANNOUNCE_EVERY_MS = 2000;
const TOAST_MS = 4000;
const DEFAULT_LIMIT = 5;

/** A row's key: a visit's check-in and its check-out are two rows (a check-out row is new, and flashes). */
const rowKey = (visit: Visit) => `${visit.checkIn.id}:${visit.out}`;

/**
 * The live list of recent check-ins and check-outs, newest first: the newest
 * `limit` visits of the client's visit log (`core/visit-log.ts`), which merges
 * them by visit id, so the same event never shows twice; with a history URL
 * the feed fills itself on connect and after every reconnect, so visits made
 * while the link was down appear when it is back. Member names are shown as
 * text, never as HTML. A visit time before 2000 or more than a day ahead (a
 * wrong clock) shows as its date, not "just now", and sorts below the real ones.
 *
 * @tagname gym-checkin-feed
 * @summary Live list of recent check-ins and check-outs.
 * @fires {GymCheckinResultEvent} gym-checkin-result - A check-out started from the feed (`actions`) succeeded or failed.
 * @fires {GymErrorEvent} gym-error - `limit` is invalid, or `history-url` answers something else than a history: 404, an HTML page, not a list, a cross-origin request without CORS (`source: 'config'`, the message names the attribute and what came back); or a handler failed.
 * @csspart base - The wrapper.
 * @csspart header - The row holding the pause button (and, on a narrow feed, the `notify` pop-up).
 * @csspart pause - The pause / resume button; invisible, keeping its room, while there is nothing to pause (no entries, or the link is down).
 * @csspart held - The "4 new — show" button while paused (the count includes what the cap let go, see `paused`).
 * @csspart list - The list of entries.
 * @csspart entry - One entry; also `checked-in` or `checked-out`.
 * @csspart checked-in - An entry for a check-in (with `entry`).
 * @csspart checked-out - An entry for a check-out (with `entry`).
 * @csspart icon - The entry's direction arrow: an SVG labelled "In" or "Out" (`iconIn`, `iconOut`), mirrored right to left.
 * @csspart name - The member's name.
 * @csspart detail - "checked in · Front desk"; just "checked in" for a visit without a location (null or blank).
 * @csspart time - The relative time.
 * @csspart check-out - The check-out button (`actions`).
 * @csspart empty - The empty or not-connected placeholder, a row's size; while loading, the words for assistive technology only.
 * @csspart skeleton - A placeholder row while the first history loads (`limit` of them; shimmers unless reduced motion is asked for).
 * @csspart notice - A failure: history not loaded, check-out failed.
 * @csspart toast - The `notify` pop-up: at the bottom of the window, or in the header when the feed is narrow (under 36em), so it covers no entry.
 * @cssproperty --gym-block-spacing - Space below the element when something follows it (default 1em, as a paragraph); `0` turns it off.
 * @cssstate empty - No entries.
 * @cssstate loading - The first history is on its way, with no entries yet: skeleton rows, `aria-busy`.
 * @cssstate filled - Showing entries.
 * @cssstate paused - New entries are held.
 */
export class GymCheckinFeed extends GymElement {
  static override styles = [baseStyles, blockSpacing, skeletonStyles, checkinFeedStyles];
  static override defaultStrings = {
    label: 'Recent check-ins',
    checkedIn: 'checked in',
    checkedOut: 'checked out',
    justNow: 'just now',
    empty: 'No check-ins yet',
    loading: 'Loading recent check-ins…',
    notConnected: 'Not connected',
    historyFailed: 'Could not load earlier check-ins',
    pause: 'Pause',
    resume: 'Resume',
    held: '{count} new — show',
    toastIn: '{name} has checked in',
    toastOut: '{name} has checked out',
    announceIn: '{name} checked in',
    announceOut: '{name} checked out',
    announceMany: '{count} new check-ins',
    iconIn: 'In',
    iconOut: 'Out',
    checkOut: 'Check out',
    checkOutFailed: 'Check-out failed: {message}',
  };
  static override properties: PropertyDeclarations = {
    limit: { type: Number },
    historyUrl: { attribute: 'history-url' },
    notify: { type: Boolean },
    names: {},
    actions: { type: Boolean },
    paused: { type: Boolean, reflect: true },
    notice: { state: true },
  };

  /** How many entries to show (default 5). */
  limit = DEFAULT_LIMIT;
  /** The backend's recent check-ins; defaults to the provider's `history-url`. */
  declare historyUrl: string | undefined;
  /**
   * How names are shown: `full` (default), `first` ("Alice E."), `initials` ("A. E.") or `none`
   * ("Member"), e.g. initials on a wall display. Only what is shown changes: the page still
   * receives full names, which only the read-only gateway keeps from public pages.
   */
  names: NamesMode = 'full';
  /** Shows a short pop-up for each new check-in or check-out. */
  notify = false;
  /** Adds a "Check out" button to visits still in progress (front desk). */
  actions = false;
  /**
   * Holds new entries back (WCAG 2.2.2) until resumed or shown. It keeps the newest `limit` of
   * them (all that resuming can show) and counts the rest, so a feed paused for a day costs no
   * more memory than a feed of `limit` rows.
   */
  paused = false;

  private notice = '';

  /** The rows shown: the log's newest `limit`, read again after the log changed (`#stale`), unless paused. */
  #entries: readonly Visit[] = [];
  #stale = true;
  /** The rows that arrived live since the last render: highlighted once. */
  readonly #fresh = new Set<string>();
  readonly #held = new Held<HeldVisit>(supersedes, (a, b) => newestFirst(a, b, Date.now()));
  readonly #keyedRows = new KeyedRows();
  readonly #busy = new Set<string>();
  #toast = '';
  readonly #timers = new TimerController<'toast'>(this);
  /** Screen readers hear at most one sentence every 2 s: a name, or how many arrived. */
  readonly #announcer = new Announcer<Visit>(
    this,
    ANNOUNCE_EVERY_MS,
    (first, count) => (count === 1 ? this.t(first.out ? 'announceOut' : 'announceIn', { name: this.#name(first.checkIn) }) : this.t('announceMany', { count })),
    () => this.#realtime.requestRender(),
  );
  readonly #history = new HistoryLoader(
    this,
    // Into the shared log: what is news comes back through `#hear`, like a live event.
    (checkIns) => this.#realtime.visits?.backfill(checkIns),
    (message) => this.reportError(new Error(message), 'config', message),
  );

  readonly #realtime = new RealtimeController(this, {
    visits: (change) => this.#hear(change),
    onState: ({ state }) => {
      // Asked once the socket is open, the history leaves no gap before the first live event.
      if (state === 'open') this.#loadHistory();
    },
    onSource: (source) => {
      // Another provider is another log; the same one may have changed while the feed was away.
      this.#stale = true;
      if (source?.client.state === 'open') this.#loadHistory();
    },
  });

  constructor() {
    super();
    // Relative times stay current while there are rows.
    new Tick(this, 30_000, () => this.#rows().length > 0, () => this.#realtime.requestRender());
  }

  /** The visits shown, newest first. */
  get entries(): readonly CheckIn[] {
    return this.#rows().map((visit) => visit.checkIn);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#fresh.clear();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('limit')) {
      if (!(Number.isInteger(this.limit) && this.limit > 0)) {
        this.reportError(new RangeError(`limit must be a whole number ≥ 1, not ${String(this.limit)}`), 'config');
        this.limit = DEFAULT_LIMIT;
      }
      // A paused feed shows no new rows, but fewer when asked.
      this.#stale = true;
      if (this.paused) this.#entries = this.#entries.slice(0, this.limit);
    }
    if (changed.has('paused') && !this.paused) this.#showHeld();
    if (changed.has('names') && !NAMES_MODES.includes(this.names)) {
      this.reportError(new RangeError(`names must be one of ${NAMES_MODES.join(', ')}, not ${String(this.names)}`), 'config');
      this.names = 'full';
    }
  }

  protected override updated(): void {
    const locale = this.locale;
    const now = Date.now();
    // The words a row shows (strings can be replaced at any time): part of every row's stamp.
    const words = [locale, this.actions, this.names, ...(['checkedIn', 'checkedOut', 'iconIn', 'iconOut', 'checkOut'] as const).map((key) => this.t(key))].join('|');
    const rows = this.#rows();
    this.#keyedRows.sync(
      this.renderRoot.querySelector('[part=list]'),
      rows.map((visit) => {
        const ago = formatAgo(locale, visit.at, now, this.t('justNow'));
        const key = rowKey(visit);
        return {
          key,
          part: `entry ${visit.out ? 'checked-out' : 'checked-in'}`,
          fresh: this.#fresh.has(key),
          stamp: `${words}|${ago}|${this.#busy.has(visit.checkIn.id)}`,
          content: () => this.#renderEntry(visit, locale, ago),
        };
      }),
      this,
    );
    if (rows.length) mark('entry');
    // A row flashes once, when it first appears, not again each time it moves down.
    this.#fresh.clear();
    this.setCustomState(['empty', 'loading', 'filled'], rows.length ? 'filled' : this.#loading ? 'loading' : 'empty');
    this.setCustomState(['paused'], this.paused ? 'paused' : '');
  }

  protected override render() {
    const history = this.#history.status;
    const loading = this.#loading;
    const shown = this.#rows().length > 0;
    const empty = !this.#realtime.client ? 'notConnected' : loading ? 'loading' : 'empty';
    // Nothing to pause on an empty feed or while the link is down; its room is kept (a paused feed keeps "Resume").
    const pausable = this.paused || (shown && this.#realtime.state === 'open');
    return html`<div part="base">
      <div part="header">
        ${this.#toast ? html`<div part="toast" aria-hidden="true">${this.#toast}</div>` : nothing}
        <button part="pause" type="button" class=${pausable ? '' : 'reserve'} aria-pressed=${this.paused ? 'true' : 'false'} @click=${() => (this.paused = !this.paused)}>
          ${this.t(this.paused ? 'resume' : 'pause')}
        </button>
      </div>
      ${this.#held.count ? html`<button part="held" type="button" @click=${() => this.#showHeld()}>${this.t('held', { count: this.#held.count })}</button>` : nothing}
      ${shown || loading
        ? html`<ol part="list" aria-label=${this.t('label')} aria-busy=${loading}>${loading ? Array.from({ length: this.limit }, () => SKELETON) : nothing}</ol>`
        : nothing}
      ${shown
        ? nothing
        : html`<p part="empty" class=${loading ? 'visually-hidden' : ''}><span class="bone name"></span><span class="bone detail"></span><span class="message">${this.t(empty)}</span></p>`}
      ${history === 'failed' ? html`<p part="notice">${this.t('historyFailed')}</p>` : nothing}
      ${this.notice ? html`<p part="notice" role="alert">${this.notice}</p>` : nothing}
      <div class="visually-hidden" aria-live="polite">${this.#announcer.text}</div>
    </div>`;
  }

  /**
   * The first history is on its way and nothing is shown yet: skeleton rows.
   * Only the first: a reload after a reconnect must not turn an empty feed
   * into a skeleton and back.
   */
  get #loading(): boolean {
    if (this.#rows().length || this.#history.settled) return false;
    const state = this.#realtime.state;
    const url = this.historyUrl ?? this.#realtime.source?.historyUrl;
    return this.#history.status === 'loading' || Boolean(url && state && EXPECTING.has(state));
  }

  /** A row's content; `KeyedRows` keeps the row itself (see keyed-rows.ts). */
  #renderEntry({ checkIn, out, at }: Visit, locale: string, ago: string) {
    return html`<svg part="icon" viewBox="0 0 16 16" role="img" aria-label=${this.t(out ? 'iconOut' : 'iconIn')}>${out ? ARROW_OUT : ARROW_IN}</svg>
      <span part="name" title=${this.#name(checkIn)}><bdi>${this.#name(checkIn)}</bdi></span>
      <span part="detail">${this.t(out ? 'checkedOut' : 'checkedIn')}${checkIn.location?.trim() ? html` · <bdi>${checkIn.location}</bdi>` : nothing}</span>
      <time part="time" datetime=${new Date(at).toISOString()} title=${formatTime(locale, at)}>${ago}</time>
      ${this.actions && !out
        ? html`<button part="check-out" type="button" ?disabled=${this.#busy.has(checkIn.id)} @click=${() => this.#checkOut(checkIn)}>${this.t('checkOut')}</button>`
        : nothing}`;
  }

  /** What the log says is news: shown (or held back), and, when live, announced. */
  #hear({ visits, live }: VisitChange): void {
    if (!visits.length) return;
    this.#stale = true;
    for (const visit of visits) {
      if (this.paused) this.#held.add({ ...visit, fresh: live }, this.limit);
      else if (live) {
        this.#fresh.add(rowKey(visit));
        // In a hidden tab no frame comes to clear it: the last `limit` are kept, the ones likeliest to show.
        if (this.#fresh.size > this.limit) this.#fresh.delete(this.#fresh.values().next().value!);
      }
      if (live) this.#announcer.add(visit);
    }
    if (live && this.notify) this.#showToast(visits.at(-1)!);
  }

  /** The rows to show (see `#entries`). */
  #rows(): readonly Visit[] {
    const log = this.#realtime.visits;
    if (this.#stale && !this.paused && log) {
      this.#entries = log.newest(this.limit);
      this.#stale = false;
    }
    return this.#entries;
  }

  /** Resumes: the log's newest rows, the ones that arrived live meanwhile highlighted. */
  #showHeld(): void {
    for (const visit of this.#held.take()) if (visit.fresh) this.#fresh.add(rowKey(visit));
    this.#stale = true;
    this.paused = false;
    this.requestUpdate();
  }

  #name(checkIn: CheckIn): string {
    return shownName(checkIn.member.full_name, this.names);
  }

  #showToast(visit: Visit): void {
    this.#toast = this.t(visit.out ? 'toastOut' : 'toastIn', { name: this.#name(visit.checkIn) });
    this.#timers.set(
      'toast',
      TOAST_MS,
      this.guard(() => {
        this.#toast = '';
        this.#realtime.requestRender();
      }),
    );
  }

  #loadHistory(): void {
    const url = this.historyUrl ?? this.#realtime.source?.historyUrl;
    const client = this.#realtime.client;
    if (url && client) void this.#history.load(url, (refused) => client.token(refused));
  }

  async #checkOut(checkIn: CheckIn): Promise<void> {
    const client = this.#realtime.client;
    if (!client) return;
    this.#busy.add(checkIn.id);
    this.notice = '';
    this.requestUpdate();
    try {
      const result = await client.request('check_out', { checkInId: checkIn.id });
      this.emit('gym-checkin-result', { action: 'check_out', status: 'success', checkIn: result });
    } catch (error) {
      const message = messageOf(error);
      this.notice = this.t('checkOutFailed', { message });
      this.emit('gym-checkin-result', { action: 'check_out', status: isClientError(error) && error.code === 'rejected' ? 'rejected' : 'failed', message });
    } finally {
      this.#busy.delete(checkIn.id);
      this.requestUpdate();
    }
  }
}
