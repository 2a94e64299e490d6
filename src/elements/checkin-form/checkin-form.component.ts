import { html, type PropertyDeclarations } from 'lit';
import type { GymErrorCode } from '../../core/errors.js';
import { isClientError, messageOf } from '../shared/errors.js';
import { GymElement } from '../shared/gym-element.js';
import { RealtimeController } from '../shared/realtime-controller.js';
import { blockSpacing } from '../shared/layout-styles.js';
import { baseStyles } from '../shared/styles.js';
import { checkinFormStyles } from './checkin-form.styles.js';

type Action = 'check_in' | 'check_out';
type Status = 'idle' | 'pending' | 'queued' | 'success' | 'error';

/** Client failures with a sentence of our own; a server rejection shows the server's text. */
const FAILURE_TEXTS: Partial<Record<GymErrorCode, string>> = {
  'outbox-full': 'outboxFull',
  'connection-lost': 'connectionLost',
  timeout: 'timeout',
};

/**
 * A front-desk form: check a member in by member id, or a visit out by its
 * check-in id. Shows the request as it goes — pending, queued while offline,
 * then the server's answer (the member's name, or the server's error text).
 * Results are announced; focus returns to the id field, ready for the next.
 *
 * @tagname gym-checkin-form
 * @summary Front-desk form to check members in and out.
 * @fires {GymCheckinResultEvent} gym-checkin-result - A request was queued, succeeded, was rejected by the server, or failed.
 * @csspart fields - The row of fields and the button.
 * @csspart action - The check-in / check-out select.
 * @csspart input - The id field.
 * @csspart submit - The submit button.
 * @csspart message - The status or error line. It holds two live regions that never change role: news in a `status`, failures in an `alert`.
 * @cssproperty --gym-block-spacing - Space below the element when something follows it (default 1em, as a paragraph); `0` turns it off.
 * @cssstate idle - Nothing sent yet.
 * @cssstate pending - Waiting for the server.
 * @cssstate queued - Offline: the request waits to be sent.
 * @cssstate success - The server accepted the last request.
 * @cssstate error - The last request failed, or the input is invalid.
 */
export class GymCheckinForm extends GymElement {
  static override styles = [baseStyles, blockSpacing, checkinFormStyles];
  static override defaultStrings = {
    action: 'Action',
    checkIn: 'Check in',
    checkOut: 'Check out',
    memberId: 'Member ID',
    checkInId: 'Check-in ID',
    submit: 'Send',
    required: 'Enter an ID first',
    pending: 'Sending…',
    queued: 'Queued — will be sent when back online',
    checkedIn: '{name} checked in',
    checkedOut: '{name} checked out',
    outboxFull: 'Too many requests are waiting; try again when the connection is back',
    connectionLost: 'The connection dropped before the answer came: check the feed before trying again',
    timeout: 'No answer from the server: check the feed before trying again',
    notConnected: 'Not connected',
  };
  static override properties: PropertyDeclarations = {
    location: {},
    action: {},
    status: { state: true },
    message: { state: true },
  };

  /** Where the check-ins happen, sent with each check-in (default "Front desk"). */
  location = 'Front desk';
  /** The action selected at first: `check_in` (default) or `check_out`. */
  action: Action = 'check_in';

  private status: Status = 'idle';
  private message = '';
  private get input(): HTMLInputElement {
    return this.renderRoot.querySelector('input')!;
  }

  readonly #realtime = new RealtimeController(this);

  protected override updated(): void {
    this.setCustomState(['idle', 'pending', 'queued', 'success', 'error'], this.status);
  }

  protected override render() {
    const connected = Boolean(this.#realtime.client);
    return html`<form @submit=${this.#submit} novalidate>
      <div part="fields">
        <label
          >${this.t('action')}
          <select part="action" .value=${this.action} @change=${(event: Event) => (this.action = (event.target as HTMLSelectElement).value as Action)}>
            <option value="check_in" ?selected=${this.action === 'check_in'}>${this.t('checkIn')}</option>
            <option value="check_out" ?selected=${this.action === 'check_out'}>${this.t('checkOut')}</option>
          </select>
        </label>
        <label
          >${this.t(this.action === 'check_in' ? 'memberId' : 'checkInId')}
          <input part="input" name="id" autocomplete="off" spellcheck="false" aria-describedby="message" aria-invalid=${this.status === 'error' ? 'true' : 'false'} />
        </label>
        <button part="submit" type="submit" ?disabled=${!connected || this.status === 'pending'}>${this.t('submit')}</button>
      </div>
      <p part="message" id="message"><span role="status">${this.#news(connected)}</span><span role="alert">${connected && this.status === 'error' ? this.message : ''}</span></p>
    </form>`;
  }

  async #submit(event: Event): Promise<void> {
    event.preventDefault();
    const client = this.#realtime.client;
    const id = this.input.value.trim();
    if (!client) return;
    if (!id) {
      this.#show('error', this.t('required'));
      this.input.focus();
      return;
    }
    const action = this.action;
    const queued = client.state !== 'open';
    const request = action === 'check_in' ? client.request('check_in', { memberId: id, location: this.location }) : client.request('check_out', { checkInId: id });
    if (queued) {
      this.#show('queued', this.t('queued'));
      this.emit('gym-checkin-result', { action, status: 'queued' });
    } else {
      this.#show('pending', this.t('pending'));
    }
    try {
      const checkIn = await request;
      this.#show('success', this.t(action === 'check_in' ? 'checkedIn' : 'checkedOut', { name: checkIn.member.full_name }));
      this.input.value = '';
      this.emit('gym-checkin-result', { action, status: 'success', checkIn });
    } catch (error) {
      const code = isClientError(error) ? error.code : undefined;
      const known = code && FAILURE_TEXTS[code];
      const text = known ? this.t(known) : messageOf(error);
      this.#show('error', text);
      this.emit('gym-checkin-result', { action, status: code === 'rejected' ? 'rejected' : 'failed', message: text });
    }
    this.input.focus();
  }

  /** What the status region says: everything but a failure (which the alert region says). */
  #news(connected: boolean): string {
    if (!connected) return this.t('notConnected');
    return this.status === 'error' ? '' : this.message;
  }

  #show(status: Status, message: string): void {
    this.status = status;
    this.message = message;
  }
}
