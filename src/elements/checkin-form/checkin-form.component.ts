import { html, nothing, svg, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { CheckIn } from '../../protocol/types.js';
import { formatTime } from '../shared/format.js';
import { isClientError } from '../shared/errors.js';
import { GymElement } from '../shared/gym-element.js';
import { RealtimeController } from '../shared/realtime-controller.js';
import { blockSpacing } from '../shared/layout-styles.js';
import { baseStyles } from '../shared/styles.js';
import { TimerController } from '../shared/timer-controller.js';
import { beep } from './beep.js';
import { checkinFormStyles } from './checkin-form.styles.js';
import { MemberSearch } from './member-search.js';
import { beside, getJson, readMembers, readVisits, type Member } from './members.js';
import { explain, type Action } from './staff-messages.js';
import { ForAWhile } from './undo.js';

/** A button beside the result line: Undo, the other action, check in anyway. */
interface Offer {
  part: 'undo' | 'switch' | 'confirm';
  label: string;
  run: () => void;
}

/** The result line: what happened last, and what it carries. */
type Outcome =
  | { status: 'idle' | 'queued'; text: string }
  | { status: 'pending'; text: string; member?: Member | undefined }
  | { status: 'success'; text: string; member: Member; time: string }
  | { status: 'confirm'; text: string; member: Member; offer: Offer }
  | { status: 'error'; text: string; member?: Member | undefined; detail?: string | undefined; offer?: Offer | undefined; invalid?: boolean };

/** A request the form made while offline, listed until it is answered. */
interface Waiting {
  label: string;
  action: Action;
}

/** A member id at the end of the field: what a card scanner types (perhaps after something already typed). */
const CARD = /[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;
/** Typed text that starts like a member id: checked as one, never searched or sent half-formed. */
const ID_LIKE = /^[\da-f]{8}-/i;
const UNDO_MS = 10_000;
/** How long a scan waits for the member's lookups before it goes out with what the page knows. */
const LOOKUP_MS = 3000;
/** A neutral head and shoulders, for members without a photo. */
const NO_PHOTO = svg`<circle cx="10" cy="7" r="4"/><path d="M2 19c0-5 4-7 8-7s8 2 8 7z"/>`;

/**
 * The front desk's door tool: one field that finds members by name or phone
 * (a combobox over the gym's member search) and takes a scanned card. Enter
 * checks the member in, or out of their open visit when they are in; staff can
 * force the other action. A success line with name, photo and time, with Undo
 * for 10 s; errors in plain words with the server's own text as the detail;
 * requests made offline wait in a visible "waiting to send" list.
 *
 * The member search (`GET /api/members/search/?q=`) and a member's visits
 * (`GET /api/checkins/checkins/?member=`) are fetched with the provider's
 * token, on the origin of its `history-url` unless `search-url` and
 * `visits-url` say otherwise (another origin must allow this page, with an
 * Authorization header, through CORS). Without either, scanning still works.
 * On an origin the page's `gym-realtime-policy` does not list, they are not
 * sent at all: a `gym-error` (`source: 'config'`) names the attribute.
 *
 * @tagname gym-checkin-form
 * @summary Front-desk door tool: find or scan a member, check them in or out.
 * @fires {GymCheckinResultEvent} gym-checkin-result - A request was queued, succeeded, was rejected by the server, or failed (undoing is a request too).
 * @csspart fields - The row of the search field, the action and the button.
 * @csspart input - The search field: a combobox (name, phone or a card scan).
 * @csspart hint - The words under the field.
 * @csspart popup - The box under the field while it lists members (or says none match).
 * @csspart listbox - The list of members found.
 * @csspart option - One member in the list; the active one has `aria-selected="true"`.
 * @csspart photo - A member's photo (`image_url`), or a neutral placeholder (an SVG) without one; in the list and the result line.
 * @csspart name - A member's name in the list.
 * @csspart phone - A member's phone number in the list.
 * @csspart presence - "In" or "Out" in the list; also `in` while the member is in.
 * @csspart in - The presence of a member who is in (with `presence`).
 * @csspart flag - "Membership inactive" in the list: any status but `active`.
 * @csspart no-match - "No member matches …" in the popup.
 * @csspart action - The action select: as needed (default), or check in / check out whoever comes.
 * @csspart submit - The button (what Enter does).
 * @csspart result - The result line: photo, message, time, a button, the detail.
 * @csspart message - The result's words. Two live regions that never change role: news in a `status`, failures and questions in an `alert`.
 * @csspart time - When the check-in or check-out happened.
 * @csspart undo - Undo, for 10 s after a success: a check-in is undone by a check-out with a note, a check-out by a new check-in.
 * @csspart switch - The other action, offered when the server says the member is already in (or not in).
 * @csspart confirm - "Check in anyway", for a member whose membership is not active.
 * @csspart detail - The server's own words behind a friendly message.
 * @csspart queue - The "waiting to send" list of requests made offline, with their count.
 * @csspart queue-item - One request waiting to be sent.
 * @cssproperty --gym-block-spacing - Space below the element when something follows it (default 1em, as a paragraph); `0` turns it off.
 * @cssstate idle - Nothing done yet.
 * @cssstate pending - Looking a member up, or waiting for the server.
 * @cssstate queued - Offline: the last request waits to be sent.
 * @cssstate success - The server accepted the last request.
 * @cssstate confirm - Waiting for staff to confirm checking in a member whose membership is not active.
 * @cssstate error - The last request failed, or the field holds no valid member id.
 * @cssstate open - The popup under the field is open.
 */
export class GymCheckinForm extends GymElement {
  static override styles = [baseStyles, blockSpacing, checkinFormStyles];
  static override defaultStrings = {
    find: 'Find a member',
    hint: 'Name or phone number, or scan the card',
    found: 'Members found: {count}',
    noMatch: 'No member matches “{query}”',
    searchFailed: 'Search is unavailable; scanning still works',
    in: 'In',
    out: 'Out',
    flag: 'Membership {status}',
    action: 'Action',
    auto: 'In or out',
    checkIn: 'Check in',
    checkOut: 'Check out',
    submit: 'Check in / out',
    invalidId: 'Not a member ID: check the card, or search by name',
    pending: 'One moment…',
    someone: 'the member',
    checkingIn: 'Checking {name} in…',
    checkingOut: 'Checking {name} out…',
    queued: 'Queued — will be sent when back online',
    waiting: 'Waiting to send: {count}',
    checkedIn: '{name} checked in',
    checkedOut: '{name} checked out',
    undoIn: 'Undo (checks out again, with a note)',
    undoOut: 'Undo (checks in again)',
    undoNote: 'Undone at the front desk',
    inactive: '{name}: membership {status}. Check in anyway?',
    checkInAnyway: 'Check in anyway',
    alreadyIn: '{name} is already in — check out instead?',
    notIn: '{name} is not checked in — check in instead?',
    unknownMember: 'No member has this ID: check the card, or search by name',
    serverFailed: 'The gym server could not do that; try again',
    detail: 'Server: {text}',
    outboxFull: 'Too many requests are waiting; try again when the connection is back',
    connectionLost: 'The connection dropped before the answer came: check the feed before trying again',
    timeout: 'No answer from the server: check the feed before trying again',
    notConnected: 'Not connected',
  };
  static override properties: PropertyDeclarations = {
    location: {},
    action: {},
    searchUrl: { attribute: 'search-url' },
    visitsUrl: { attribute: 'visits-url' },
    sound: { type: Boolean },
    outcome: { state: true },
    choice: { state: true },
    queue: { state: true },
  };

  /** Where the check-ins happen, sent with each check-in (default "Front desk"). */
  location = 'Front desk';
  /**
   * Unset (default): each member is checked in, or out when they are in. `check_in` or
   * `check_out`: everyone is (an entrance-only or exit-only door). Staff can still pick the
   * other action for one member in the form.
   */
  declare action: Action;
  /** The member search; by default `/api/members/search/` on the origin of the provider's `history-url`. */
  declare searchUrl: string | undefined;
  /** A member's visits (`?member=` is added); by default `/api/checkins/checkins/` on the origin of the provider's `history-url`. */
  declare visitsUrl: string | undefined;
  /** A short tone after each answer (Web Audio, no files): high when done, low when something needs a look. */
  sound = false;

  private outcome: Outcome = { status: 'idle', text: '' };
  /** The action picked for the next member: '' as needed. Back to `action` after each. */
  private choice: Action | '' = '';
  private queue: readonly Waiting[] = [];

  /** Members the search returned, by id: a card scanned later is known at once, even offline. */
  readonly #seen = new Map<string, Member>();
  readonly #asking = new Map<string, Promise<string | null | undefined>>();
  /** The configuration error last reported, so that each search does not say it again. */
  #misconfigured: string | undefined;
  /** Each scan's wait for its lookups (`lookup 1`, …): they end when the form leaves the page. */
  readonly #timers = new TimerController(this);
  #scans = 0;
  readonly #undo = new ForAWhile<Offer>(this, UNDO_MS, () => {
    // The button goes away under the keyboard's focus: the field takes it back.
    if (this.shadowRoot?.activeElement?.part.contains('undo')) this.#input.focus();
  });
  readonly #search = new MemberSearch(this, (q, signal) => {
    const url = this.#url('search');
    if (!url) return undefined;
    return this.#get('search', url, { q }, signal).then((answer) => {
      const members = readMembers(answer);
      for (const member of members) {
        this.#seen.set(member.id, member);
        // Whether each is in: from what the page knows, else from the server.
        if (this.#known(member.id) === undefined) void this.#visitOf(member.id);
      }
      return members;
    });
  });
  readonly #realtime = new RealtimeController(this, {
    // Who is in comes from the client's visit log, shared with the feeds: a change re-renders "In" / "Out".
    visits: () => {},
    // Another provider is another gym (or another view of it): start over (its log is its own).
    onSource: () => this.#seen.clear(),
  });

  /** The door's own action, from `action`: '' (as needed) for anything but the two (a typo). */
  get #door(): Action | '' {
    return this.action === 'check_in' || this.action === 'check_out' ? this.action : '';
  }

  get #input(): HTMLInputElement {
    return this.renderRoot.querySelector('input')!;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('action')) this.choice = this.#door;
  }

  protected override updated(): void {
    this.setCustomState(['idle', 'pending', 'queued', 'success', 'confirm', 'error'], this.outcome.status);
    this.setCustomState(['open'], this.#search.open ? 'open' : '');
    this.renderRoot.querySelector('[aria-selected=true]')?.scrollIntoView({ block: 'nearest' });
  }

  protected override render() {
    const connected = Boolean(this.#realtime.client);
    const search = this.#search;
    const { members, active } = search;
    const expanded = search.open && members.length > 0;
    const outcome = this.outcome;
    const offer = outcome.status === 'success' ? this.#undo.value : 'offer' in outcome ? outcome.offer : undefined;
    const loud = outcome.status === 'error' || outcome.status === 'confirm';
    // A press in the popup (an option, its scrollbar) leaves the focus in the field: its mousedown does nothing.
    return html`<form @submit=${this.#submit} novalidate>
        <div part="fields">
          <div class="field">
            <label for="input">${this.t('find')}</label>
            <div class="combo">
              <input id="input" part="input" role="combobox" aria-autocomplete="list" aria-controls="listbox" aria-describedby="hint message" autocomplete="off" spellcheck="false"
                aria-expanded=${expanded ? 'true' : 'false'}
                aria-activedescendant=${expanded && active >= 0 ? `option-${active}` : nothing}
                aria-invalid=${outcome.status === 'error' && outcome.invalid ? 'true' : 'false'}
                @input=${() => search.type(this.#input.value)}
                @keydown=${this.#key}
                @blur=${() => search.close()} />
              <div part="popup" ?hidden=${!search.open} @mousedown=${(event: Event) => event.preventDefault()}>
                <ul id="listbox" part="listbox" role="listbox" aria-label=${this.#found()} ?hidden=${!expanded}>
                  ${members.map(
                    (member, i) =>
                      html`<li
                        id="option-${i}"
                        part="option"
                        role="option"
                        aria-selected=${i === active ? 'true' : 'false'}
                        @click=${() => void this.#act(member.id, member)}
                      >
                        ${this.#photo(member)}
                        <span class="who"
                          ><span part="name">${member.full_name}</span> ${member.phone ? html`<span part="phone" dir="ltr">${member.phone}</span>` : nothing} ${this.#inOrOut(member.id)}
                          ${member.status && member.status !== 'active' ? html`<span part="flag">${this.t('flag', { status: member.status })}</span>` : nothing}</span
                        >
                      </li>`,
                  )}
                </ul>
                ${expanded ? nothing : html`<p part="no-match">${this.#found()}</p>`}
              </div>
            </div>
          </div>
          <label class="field"
            >${this.t('action')}
            <select part="action" .value=${this.choice} @change=${(event: Event) => (this.choice = (event.target as HTMLSelectElement).value as Action | '')}>
              <option value="">${this.t('auto')}</option>
              <option value="check_in">${this.t('checkIn')}</option>
              <option value="check_out">${this.t('checkOut')}</option>
            </select>
          </label>
          <button part="submit" type="submit" ?disabled=${!connected}>${this.t(this.choice ? (this.choice === 'check_in' ? 'checkIn' : 'checkOut') : 'submit')}</button>
        </div>
        <span id="hint" part="hint">${this.t('hint')}</span>
        <div part="result">
          ${'member' in outcome && outcome.member ? this.#photo(outcome.member) : nothing}
          <p part="message" id="message"><span role="status">${connected ? (loud ? '' : outcome.text) : this.t('notConnected')}</span><span role="alert">${connected && loud ? outcome.text : ''}</span></p>
          ${outcome.status === 'success' && outcome.time
            ? html`<time part="time" datetime=${outcome.time}>${formatTime(this.locale, Date.parse(outcome.time))}</time>`
            : nothing}
          ${offer ? html`<button part=${offer.part} type="button" @click=${offer.run}>${offer.label}</button>` : nothing}
          ${outcome.status === 'error' && outcome.detail ? html`<span part="detail">${this.t('detail', { text: outcome.detail })}</span>` : nothing}
        </div>
        ${this.queue.length
          ? html`<div part="queue">
              <p id="waiting">${this.t('waiting', { count: this.queue.length })}</p>
              <ul aria-labelledby="waiting">
                ${this.queue.map((item) => html`<li part="queue-item"><bdi>${item.label}</bdi> · ${this.t(item.action === 'check_in' ? 'checkIn' : 'checkOut')}</li>`)}
              </ul>
            </div>`
          : nothing}
      </form>
      <span class="visually-hidden" role="status">${search.open ? this.#found() : ''}</span>`;
  }

  /** How many were found, or why none: for the popup and for screen readers. */
  #found(): string {
    const search = this.#search;
    if (search.status === 'failed') return this.t('searchFailed');
    return search.members.length ? this.t('found', { count: search.members.length }) : this.t('noMatch', { query: search.query });
  }

  #photo(member: Member) {
    // Decorative for assistive technology: the name is beside it.
    return member.image_url
      ? html`<img part="photo" src=${member.image_url} alt="" />`
      : html`<svg part="photo" viewBox="0 0 20 20" aria-hidden="true">${NO_PHOTO}</svg>`;
  }

  #inOrOut(id: string) {
    const visit = this.#known(id);
    return visit === undefined ? nothing : html`<span part=${visit ? 'presence in' : 'presence'}>${this.t(visit ? 'in' : 'out')}</span>`;
  }

  #key(event: KeyboardEvent): void {
    const search = this.#search;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      search.move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Escape') {
      // Closes the list; then clears the field; then drops a question asked.
      if (search.open) search.close();
      else if (this.#input.value) {
        this.#input.value = '';
        search.clear();
      } else if (this.outcome.status === 'confirm') this.outcome = { status: 'idle', text: '' };
      else return;
    } else return;
    event.preventDefault();
  }

  /** Enter (or the button): the card scanned, else the member chosen, else a search now. */
  #submit(event: Event): void {
    event.preventDefault();
    const value = this.#input.value.trim();
    const card = CARD.exec(value)?.[0];
    const chosen = this.#search.chosen;
    if (card || chosen) void this.#act(card ?? chosen!.id, card ? undefined : chosen);
    else if (!value) {
      if (this.outcome.status === 'confirm') this.outcome.offer.run();
      else this.outcome = { status: 'error', text: this.t('hint'), invalid: true };
    } else if (ID_LIKE.test(value)) {
      // Never searched either: the search waiting for the typing pause is dropped.
      this.#search.close();
      this.outcome = { status: 'error', text: this.t('invalidId'), invalid: true };
    } else void this.#search.search();
  }

  /**
   * Checks member `id` in, or out of their open visit (or does `forced`). What the page does not
   * know yet — who the member is, whether they are in — is asked first, while the link is up.
   */
  async #act(id: string, member: Member | undefined, forced: Action | undefined = this.choice || undefined, confirmed = false): Promise<void> {
    const client = this.#realtime.client;
    if (!client) return;
    // Ready for the next member at once.
    this.#input.value = '';
    this.#search.clear();
    this.#undo.set(undefined);
    this.choice = this.#door;
    member ??= this.#seen.get(id);
    // A forced action doubts what the page knows: the server is asked.
    let visit = forced ? undefined : this.#known(id);
    const askVisit = forced !== 'check_in' && visit === undefined && this.#url('visits');
    if (client.state === 'open' && ((!member && this.#url('search')) || askVisit)) {
      this.outcome = { status: 'pending', text: this.t('pending'), member };
      const lookup = `lookup ${++this.#scans}`;
      // true: the lookups took too long; false: the form left the page (or moved) while they ran.
      const late = new Promise<boolean>((resolve) => this.#timers.set(lookup, LOOKUP_MS, () => resolve(true), () => resolve(false)));
      const answer = await Promise.race([Promise.all([member ?? this.#lookup(id), askVisit ? this.#visitOf(id) : visit]), late]);
      this.#timers.clear(lookup);
      if (answer === false) {
        // The scan is dropped: nothing is sent.
        this.outcome = { status: 'idle', text: '' };
        return;
      }
      // Too slow: the request goes out with what the page knows.
      const [found, open] = answer === true ? [undefined, undefined] : answer;
      // The search answered, without this id: nothing to send.
      if (found === null) return this.#fail(this.t('unknownMember'));
      member = found ?? member;
      visit = open;
    }
    const name = member?.full_name ?? this.t('someone');
    const action = forced ?? (visit ? 'check_out' : 'check_in');
    if (action === 'check_out' && !visit) {
      return this.#fail(this.t('notIn', { name }), member, { part: 'switch', label: this.t('checkIn'), run: () => void this.#act(id, member, 'check_in') });
    }
    if (action === 'check_in' && !confirmed && member?.status && member.status !== 'active') {
      this.outcome = {
        status: 'confirm',
        text: this.t('inactive', { name, status: member.status }),
        member,
        offer: { part: 'confirm', label: this.t('checkInAnyway'), run: () => void this.#act(id, member, 'check_in', true) },
      };
      return;
    }
    await this.#send(action, id, member, visit ?? '');
  }

  /** Sends one request, says how it goes, and offers Undo (unless `note` says it is an undo). */
  async #send(action: Action, id: string, member: Member | undefined, visit: string, note?: string): Promise<void> {
    const client = this.#realtime.client!;
    this.#undo.set(undefined);
    const name = member?.full_name ?? this.t('someone');
    const notes = note ? { notes: note } : {};
    const queued = client.state !== 'open';
    const request = action === 'check_in' ? client.request('check_in', { memberId: id, location: this.location, ...notes }) : client.request('check_out', { checkInId: visit, ...notes });
    const waiting: Waiting = { label: member?.full_name ?? id, action };
    if (queued) {
      this.queue = [...this.queue, waiting];
      this.outcome = { status: 'queued', text: this.t('queued') };
      this.emit('gym-checkin-result', { action, status: 'queued' });
    } else this.outcome = { status: 'pending', text: this.t(action === 'check_in' ? 'checkingIn' : 'checkingOut', { name }), member };
    try {
      const checkIn: CheckIn = await request;
      this.outcome = { status: 'success', text: this.t(action === 'check_in' ? 'checkedIn' : 'checkedOut', { name: checkIn.member.full_name }), member: { ...checkIn.member, ...member }, time: (action === 'check_in' ? checkIn.check_in_time : checkIn.check_out_time) ?? '' };
      // Found already done, by another tab (`reconciled`, see core/pending-replies.ts): nothing this tab did to undo.
      if (!note && !('reconciled' in checkIn)) {
        const undo: Action = action === 'check_in' ? 'check_out' : 'check_in';
        this.#undo.set({ part: 'undo', label: this.t(action === 'check_in' ? 'undoIn' : 'undoOut'), run: () => void this.#send(undo, id, member, checkIn.id, this.t('undoNote')) });
      }
      this.#beep(true);
      this.emit('gym-checkin-result', { action, status: 'success', checkIn });
    } catch (error) {
      const failure = explain(error);
      const text = failure.key ? this.t(failure.key, { name: failure.name ?? name }) : failure.raw;
      const other = failure.other;
      const offer = other && { part: 'switch' as const, label: this.t(other === 'check_in' ? 'checkIn' : 'checkOut'), run: () => void this.#act(id, member, other) };
      this.#fail(text, member, offer, failure.key && failure.status === 'rejected' ? failure.raw : undefined);
      this.emit('gym-checkin-result', { action, status: failure.status, message: text });
    } finally {
      this.queue = this.queue.filter((item) => item !== waiting);
    }
    // Back to the field for the next member, unless staff went elsewhere meanwhile.
    if (this.matches(':focus-within') || document.activeElement === document.body) this.#input.focus();
  }

  #fail(text: string, member?: Member, offer?: Offer, detail?: string): void {
    this.outcome = { status: 'error', text, member, offer, detail };
    this.#beep(false);
  }

  #beep(ok: boolean): void {
    if (this.sound) beep(ok);
  }

  /** Whether member `id` is in (their open visit's id), out (null), or not known here (undefined): the visit log says. */
  #known(id: string): string | null | undefined {
    return this.#realtime.visits?.presence(id);
  }

  /** The member's open visit, asked of the server (once at a time) and told to the visit log; undefined when it cannot say. */
  #visitOf(id: string): Promise<string | null | undefined> {
    const url = this.#url('visits');
    const log = this.#realtime.visits;
    if (!url || !log) return Promise.resolve(undefined);
    let asking = this.#asking.get(id);
    if (!asking) {
      asking = this.#get('visits', url, { member: id })
        .then((answer) => log.memberVisits(id, readVisits(answer)))
        .catch(() => undefined)
        .finally(() => this.#asking.delete(id));
      this.#asking.set(id, asking);
    }
    return asking;
  }

  /** Who has card `id`: the member, null when the search knows no such member, undefined when it cannot say. */
  async #lookup(id: string): Promise<Member | null | undefined> {
    const url = this.#url('search');
    if (!url) return undefined;
    try {
      return readMembers(await this.#get('search', url, { q: id })).find((member) => member.id.toLowerCase() === id.toLowerCase()) ?? null;
    } catch {
      return undefined;
    }
  }

  #url(kind: 'search' | 'visits'): string | undefined {
    const history = this.#realtime.source?.historyUrl;
    return kind === 'search' ? (this.searchUrl ?? beside(history, '/api/members/search/')) : (this.visitsUrl ?? beside(history, '/api/checkins/checkins/'));
  }

  #get(kind: 'search' | 'visits', url: string, params: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
    const client = this.#realtime.client;
    if (!client) return Promise.reject(new Error('no provider'));
    // Named as the page wrote it: its own attribute, or the provider's history-url it defaults to.
    const own = kind === 'search' ? this.searchUrl : this.visitsUrl;
    const setting = own === undefined ? 'history-url' : `${kind}-url`;
    return getJson(url, setting, params, (refused) => client.token(refused), signal).catch((error: unknown) => {
      // An address the page must fix (its policy refused it): said once, in words, where the page hears it.
      if (isClientError(error) && error.code === 'misconfigured' && error.message !== this.#misconfigured) {
        this.#misconfigured = error.message;
        this.reportError(error, 'config');
      }
      throw error;
    });
  }
}
