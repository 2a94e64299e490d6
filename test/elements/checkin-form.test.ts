import { expect, fixture } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import sinon from 'sinon';
import type { GymCheckinFeed, GymCheckinForm } from '../../src/index.js';
import type { GymCheckinResultDetail } from '../../src/events/gym-checkin-result.js';
import type { Member } from '../../src/elements/checkin-form/members.js';
import { explain } from '../../src/elements/checkin-form/staff-messages.js';
import { GymClientError } from '../../src/core/errors.js';
import { reconcile } from '../../src/core/pending-replies.js';
import { cleanupConnected, connected, shadowText, type Connected } from '../helpers/element-harness.js';
import { member, visit } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';

const SEARCH = 'https://gym.test/api/members/search/';
const VISITS = 'https://gym.test/api/checkins/checkins/';
const PHOTO = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';

const ALICE: Member = { id: member(1), full_name: 'Alice Example', phone: '+447700900001', status: 'active', image_url: PHOTO };
const BOB: Member = { id: member(2), full_name: 'Bob Example', phone: '+447700900002', status: 'active', image_url: null };
const FATIMA: Member = { id: member(18), full_name: 'Fatima Zahra Benali', phone: '+447700900018', status: 'active', image_url: null };
const LARS: Member = { id: member(24), full_name: 'Lars Eriksson', phone: '+447700900024', status: 'inactive', image_url: null };

/**
 * The gym's REST API behind a fetch stub: the member search and a member's
 * visits, as AV-Gym answers them. Records every request; `status` makes it fail.
 */
class FakeRest {
  members = [ALICE, BOB, FATIMA, LARS];
  /** The gym's recent visits (`GET /api/checkins/recent/`), for a feed's history. */
  recent: object[] = [];
  /** Members in the gym: member id → their open visit's id. */
  readonly inside = new Map<string, string>();
  readonly requests: { url: URL; authorization: string | null }[] = [];
  status = 200;
  /** Set to leave every request unanswered (a server that hangs). */
  hang = false;
  /** Set to hold every answer back until `release()`. */
  hold = false;
  readonly #held: (() => void)[] = [];

  constructor() {
    sinon.stub(window, 'fetch').callsFake((input, init) => {
      const answer = this.#answer(new URL(String(input)), new Headers(init?.headers).get('Authorization'));
      if (this.hold) return new Promise((resolve) => this.#held.push(() => resolve(answer)));
      return this.hang ? new Promise(() => {}) : Promise.resolve(answer);
    });
  }

  /** Sends the answers held back so far. */
  release() {
    for (const answer of this.#held.splice(0)) answer();
  }

  /** The `q` of every search, in order. */
  get searches() {
    return this.requests.filter(({ url }) => url.pathname.endsWith('/search/')).map(({ url }) => url.searchParams.get('q'));
  }

  /** The `member` of every visits request, in order. */
  get visitLookups() {
    return this.requests.filter(({ url }) => url.pathname.endsWith('/checkins/')).map(({ url }) => url.searchParams.get('member'));
  }

  #answer(url: URL, authorization: string | null): Response {
    this.requests.push({ url, authorization });
    if (this.status !== 200) return new Response('{"detail":"nope"}', { status: this.status });
    if (url.pathname.endsWith('/recent/')) return Response.json(this.recent);
    if (url.pathname.endsWith('/search/')) {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      return Response.json(q ? this.members.filter((m) => [m.full_name, m.phone, m.id].some((field) => field?.toLowerCase().includes(q))).slice(0, 10) : []);
    }
    const id = url.searchParams.get('member')!;
    const old = { id: `old-${id}`, member: { id, full_name: '', membership_type: 'standard' }, check_in_time: '2026-01-01T08:00:00Z', check_out_time: '2026-01-01T09:00:00Z', location: null, notes: null };
    const open = this.inside.get(id);
    return Response.json(open ? [old, { ...old, id: open, check_out_time: null }] : [old]);
  }
}

describe('<gym-checkin-form>', () => {
  let c: Connected;
  let form: GymCheckinForm;
  let results: GymCheckinResultDetail[];
  let rest: FakeRest;
  afterEach(() => {
    sinon.restore();
    cleanupConnected();
  });

  async function mount({ attributes = `search-url="${SEARCH}" visits-url="${VISITS}"`, before = '', options = {} } = {}) {
    rest = new FakeRest();
    c = await connected(`${before}<gym-checkin-form location="Side door" ${attributes}></gym-checkin-form>`, options);
    form = c.provider.querySelector('gym-checkin-form')!;
    results = [];
    form.addEventListener('gym-checkin-result', (e) => results.push(e.detail));
  }
  const $ = <T extends Element = HTMLElement>(selector: string) => form.shadowRoot!.querySelector<T>(selector)!;
  const input = () => $<HTMLInputElement>('input');
  const message = () => $('[part=message]');
  const region = (role: 'status' | 'alert') => message().querySelector(`[role=${role}]`)!;
  const options = () => [...form.shadowRoot!.querySelectorAll<HTMLElement>('[part=option]')];
  const names = () => options().map((option) => option.querySelector('[part=name]')!.textContent);
  const announced = () => $('.visually-hidden[role=status]').textContent;
  const expanded = () => input().getAttribute('aria-expanded');
  const button = (part: string) => form.shadowRoot!.querySelector<HTMLButtonElement>(`[part=${part}]`);
  /** What the server received of one type, alone or in batches. */
  const sent = (type: 'check_in' | 'check_out') => c.gym.received().flatMap((frame) => (frame.type === type ? [frame.payload] : (frame.batches?.[type] ?? [])));

  /** Types `text` into the field as one change (a person's keystroke, or a paste). */
  async function type(text: string) {
    input().focus();
    input().value = text;
    input().dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText' }));
    await form.updateComplete;
  }
  async function press(key: string) {
    input().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));
    await form.updateComplete;
  }
  /** Enter in the field: the form's implicit submission. */
  async function enter() {
    $<HTMLFormElement>('form').requestSubmit();
    await form.updateComplete;
  }
  /** Waits for the form to report its `count`-th result, then for it to render. */
  async function reported(count: number) {
    await until(() => results.length >= count, `gym-checkin-result #${count}`);
    await form.updateComplete;
  }
  /** Searches `text` and waits for the list (real time: the typing pause is 250 ms). */
  async function search(text: string, count: number) {
    await type(text);
    await until(() => options().length === count && expanded() === (count ? 'true' : 'false') && form.matches(':state(open)'), `${count} options for "${text}"`);
  }
  async function frame(type: 'check_in' | 'check_out', count = 1) {
    await until(() => sent(type).length >= count, `${type} #${count}`);
  }
  const reply = (type: string, payload: object) => c.gym.send({ type, payload });

  describe('at rest', () => {
    it('is a labelled combobox, closed, and accessible', async () => {
      await mount();
      expect(form.matches(':state(idle)')).to.equal(true);
      const field = input();
      expect(field.getAttribute('role')).to.equal('combobox');
      expect(field.labels?.[0]?.textContent).to.equal('Find a member');
      expect(field.getAttribute('aria-controls')).to.equal('listbox');
      expect(field.getAttribute('aria-autocomplete')).to.equal('list');
      expect(expanded()).to.equal('false');
      expect(field.hasAttribute('aria-activedescendant')).to.equal(false);
      expect(shadowText(form)).to.include('Name or phone number, or scan the card');
      await expect(form).to.be.accessible();
    });

    it('without a provider says it is not connected and cannot send', async () => {
      const el = await fixture<GymCheckinForm>('<gym-checkin-form></gym-checkin-form>');
      expect(shadowText(el)).to.include('Not connected');
      expect(el.shadowRoot!.querySelector<HTMLButtonElement>('[part=submit]')!.disabled).to.equal(true);
      await expect(el).to.be.accessible();
    });
  });

  describe('finding a member', () => {
    it('searches once typing pauses, and lists name, photo, phone and whether each is in; the count is announced', async () => {
      await mount();
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      rest.inside.set(ALICE.id, 'visit-a');
      await type('a');
      await type('al');
      await type('ali');
      await clock.tickAsync(249);
      expect(rest.searches, 'nothing before the pause').to.deep.equal([]);
      await clock.tickAsync(1);
      await until(() => options().length === 2, 'two options');
      expect(rest.searches, 'one search, for the whole text').to.deep.equal(['ali']);
      expect(names()).to.deep.equal(['Alice Example', 'Fatima Zahra Benali']);
      expect(expanded()).to.equal('true');
      expect(form.matches(':state(open)')).to.equal(true);
      expect(announced()).to.equal('Members found: 2');
      const [alice, fatima] = options();
      expect(alice!.querySelector('img[part=photo]')!.getAttribute('src')).to.equal(PHOTO);
      expect(alice!.querySelector('img')!.alt, 'the photo is decorative beside the name').to.equal('');
      expect(Boolean(fatima!.querySelector('svg[part=photo]')), 'a placeholder without a photo').to.equal(true);
      expect(alice!.querySelector('[part=phone]')!.textContent).to.equal('+447700900001');
      expect(alice!.querySelector('[part=phone]')!.getAttribute('dir'), 'a phone number reads left to right in any language').to.equal('ltr');
      // Whether each is in comes from their visits.
      await until(() => options().every((option) => option.querySelector('[part~=presence]')), 'presence of both');
      expect(options().map((option) => option.querySelector('[part~=presence]')!.textContent)).to.deep.equal(['In', 'Out']);
      expect(alice!.querySelector('[part~=presence]')!.part.contains('in')).to.equal(true);
      expect(rest.visitLookups.sort()).to.deep.equal([ALICE.id, FATIMA.id]);
      expect(options().every((option) => option.getAttribute('role') === 'option' && option.getAttribute('aria-selected') === 'false')).to.equal(true);
      clock.restore();
      await expect(form).to.be.accessible();
    });

    it('removed during the typing pause: no timer is left, and nothing is searched', async () => {
      await mount();
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      await type('ali');
      expect(clock.countTimers(), 'the typing pause').to.equal(1);
      form.remove();
      expect(clock.countTimers(), 'the pause ends with the form').to.equal(0);
      await clock.tickAsync(1000);
      clock.restore();
      expect(rest.requests).to.deep.equal([]);
    });

    it('asks with the provider`s token, by default beside its history-url', async () => {
      rest = new FakeRest();
      c = await connected('<gym-checkin-form></gym-checkin-form>');
      c.provider.setAttribute('history-url', 'https://gym.test/api/checkins/recent/');
      await c.provider.updateComplete;
      form = c.provider.querySelector('gym-checkin-form')!;
      await search('bob', 1);
      const [searched] = rest.requests;
      expect(searched!.url.href).to.equal(`${SEARCH}?q=bob`);
      expect(searched!.authorization).to.equal('Bearer t');
      await until(() => rest.visitLookups.length === 1, 'the visits of Bob');
      expect(rest.requests[1]!.url.href).to.equal(`${VISITS}?member=${encodeURIComponent(BOB.id)}`);
    });

    it('a history-url that is no URL means no search (and no error): scanning still works', async () => {
      rest = new FakeRest();
      c = await connected('<gym-checkin-form></gym-checkin-form>');
      c.provider.setAttribute('history-url', 'http://[not a host');
      await c.provider.updateComplete;
      form = c.provider.querySelector('gym-checkin-form')!;
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      await type('bob');
      await clock.tickAsync(300);
      await enter();
      expect(rest.requests).to.deep.equal([]);
      await type(BOB.id);
      await enter();
      await clock.tickAsync(60);
      clock.restore();
      await frame('check_in');
    });

    it('moves through the options with the arrow keys, round the ends; Escape closes, then clears', async () => {
      await mount();
      await search('ali', 2);
      await press('ArrowDown');
      expect(input().getAttribute('aria-activedescendant')).to.equal('option-0');
      expect(options()[0]!.getAttribute('aria-selected')).to.equal('true');
      await press('ArrowDown');
      expect(input().getAttribute('aria-activedescendant')).to.equal('option-1');
      expect(options().map((o) => o.getAttribute('aria-selected'))).to.deep.equal(['false', 'true']);
      await press('ArrowDown');
      expect(input().getAttribute('aria-activedescendant'), 'past the end: the first').to.equal('option-0');
      await press('ArrowUp');
      expect(input().getAttribute('aria-activedescendant'), 'before the first: the last').to.equal('option-1');
      await expect(form).to.be.accessible();
      await press('Escape');
      expect(expanded()).to.equal('false');
      expect(input().hasAttribute('aria-activedescendant')).to.equal(false);
      expect(input().value, 'the first Escape keeps the text').to.equal('ali');
      await press('ArrowDown');
      expect(expanded(), 'Down opens it again').to.equal('true');
      expect(input().getAttribute('aria-activedescendant')).to.equal('option-0');
      await press('Escape');
      await press('Escape');
      expect(input().value).to.equal('');
    });

    it('Enter on the active option acts on that member; the field clears and keeps focus', async () => {
      await mount();
      await search('ali', 2);
      await press('ArrowDown');
      await press('ArrowDown');
      await enter();
      expect(input().value).to.equal('');
      expect(expanded()).to.equal('false');
      await frame('check_in');
      expect(sent('check_in')).to.deep.equal([{ memberId: FATIMA.id, location: 'Side door' }]);
      reply('check_in_success', visit(18, { member: { id: FATIMA.id, full_name: FATIMA.full_name, email: null } }));
      await reported(1);
      expect(message().textContent).to.equal('Fatima Zahra Benali checked in');
      expect(form.shadowRoot!.activeElement === input(), 'focus in the field').to.equal(true);
    });

    it('a click on an option acts on it, and focus stays in the field', async () => {
      await mount();
      await search('ali', 2);
      const fatima = options()[1]!;
      const down = new MouseEvent('mousedown', { bubbles: true, composed: true, cancelable: true });
      fatima.dispatchEvent(down);
      expect(down.defaultPrevented, 'pressing an option does not take focus from the field').to.equal(true);
      fatima.click();
      await frame('check_in');
      expect(sent('check_in')[0]).to.deep.include({ memberId: FATIMA.id });
    });

    it('says when nothing matches, and when search is not available', async () => {
      await mount();
      await search('zzz', 0);
      expect($('[part=no-match]').textContent).to.equal('No member matches “zzz”');
      expect(announced()).to.equal('No member matches “zzz”');
      expect(expanded(), 'no listbox to expand').to.equal('false');
      await expect(form).to.be.accessible();
      rest.status = 500;
      await type('bob');
      await until(() => announced() === 'Search is unavailable; scanning still works', 'the failure said');
      expect($('[part=no-match]').textContent).to.equal('Search is unavailable; scanning still works');
    });

    it('Enter on a name searches at once; Enter on the only member found acts on them', async () => {
      await mount();
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      await type('bob');
      await enter();
      expect(rest.searches, 'no wait for the typing pause').to.deep.equal(['bob']);
      await until(() => options().length === 1, 'Bob listed');
      await enter();
      await clock.tickAsync(60);
      await frame('check_in');
      expect(sent('check_in')[0]).to.deep.include({ memberId: BOB.id });
      clock.restore();
    });

    it('keyboard only: type, arrow down, Enter', async () => {
      await mount();
      input().focus();
      await sendKeys({ type: 'fat' });
      await until(() => options().length === 1, 'Fatima listed');
      await sendKeys({ press: 'ArrowDown' });
      expect(input().getAttribute('aria-activedescendant')).to.equal('option-0');
      await sendKeys({ press: 'Enter' });
      await frame('check_in');
      expect(sent('check_in')[0]).to.deep.include({ memberId: FATIMA.id });
    });

    it('at 200 % zoom (a 640 px window at half the width) the list stays usable and nothing is cut off', async () => {
      await setViewport({ width: 320, height: 480 });
      try {
        await mount();
        await search('ali', 2);
        const field = input().getBoundingClientRect();
        const list = $('[part=listbox]').getBoundingClientRect();
        expect(list.top, 'under the field').to.be.at.least(field.bottom);
        expect(list.right).to.be.at.most(320);
        for (const name of form.shadowRoot!.querySelectorAll('[part=name]')) expect(name.scrollWidth).to.be.at.most(name.clientWidth + 1);
        await expect(form).to.be.accessible();
      } finally {
        await setViewport({ width: 800, height: 600 });
      }
    });
  });

  describe('scanning a card', () => {
    it('a burst of keys and Enter acts at once: no search for the partial text, no list, no wait', async () => {
      await mount();
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      input().focus();
      for (const char of BOB.id) {
        input().value += char;
        input().dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: char }));
        await clock.tickAsync(4);
      }
      await enter();
      expect(input().value, 'cleared for the next card').to.equal('');
      expect(expanded()).to.equal('false');
      // Who it is and whether they are in: a search for the whole id and their visits, then the request.
      await until(() => rest.visitLookups.length === 1, 'the lookups');
      expect(rest.searches).to.deep.equal([BOB.id]);
      await clock.tickAsync(60);
      await frame('check_in');
      expect(sent('check_in')).to.deep.equal([{ memberId: BOB.id, location: 'Side door' }]);
      clock.restore();
      reply('check_in_success', visit(2, { member: { id: BOB.id, full_name: 'Bob Example', email: null } }));
      await reported(1);
      expect(message().textContent).to.equal('Bob Example checked in');
      expect(rest.searches, 'still no search for part of the id').to.deep.equal([BOB.id]);
    });

    it('a scan over an open list closes it at once, and the card wins over the active option', async () => {
      await mount();
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      await type('ali');
      await clock.tickAsync(300);
      await until(() => options().length === 2, 'the list');
      await press('ArrowDown');
      await clock.tickAsync(1000);
      const scan = async (text: string) => {
        input().value += text;
        input().dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: text }));
        await form.updateComplete;
        await clock.tickAsync(5);
      };
      await scan('0');
      expect(expanded(), 'one key may be a person typing').to.equal('true');
      await scan('0');
      expect(expanded(), 'the second key 5 ms later is a scanner: the list goes').to.equal('false');
      for (const char of BOB.id.slice(2)) await scan(char);
      await enter();
      await clock.tickAsync(60);
      await frame('check_in');
      expect(sent('check_in')[0]).to.deep.include({ memberId: BOB.id });
      clock.restore();
    });

    it('waits at most 3 s for a slow server`s lookups, then sends with what the page knows', async () => {
      await mount();
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      rest.hang = true;
      await type(BOB.id);
      await enter();
      expect(message().textContent).to.equal('One moment…');
      await clock.tickAsync(2999);
      expect(sent('check_in'), 'still waiting at 2.999 s').to.deep.equal([]);
      await clock.tickAsync(61);
      await frame('check_in');
      expect(sent('check_in')).to.deep.equal([{ memberId: BOB.id, location: 'Side door' }]);
      expect(message().textContent).to.equal('Checking the member in…');
      clock.restore();
    });

    it('removed while a scan looks the member up: no timer is left, and nothing is sent when the lookups answer', async () => {
      await mount();
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      rest.hold = true;
      await type(BOB.id);
      await enter();
      expect(message().textContent).to.equal('One moment…');
      await until(() => rest.searches.length === 1 && rest.visitLookups.length === 1, 'the lookups');
      expect(clock.countTimers(), 'the 3 s wait for the lookups').to.equal(1);
      form.remove();
      expect(clock.countTimers(), 'the wait ends with the form').to.equal(0);
      rest.release();
      await clock.tickAsync(5000);
      clock.restore();
      await c.settle();
      expect(sent('check_in')).to.deep.equal([]);
      expect(results).to.deep.equal([]);
      expect(rest.requests.length, 'no request after the removal: the search and the visits asked before it').to.equal(2);
    });

    it('without search or visits URLs, a scan still checks in at once', async () => {
      await mount({ attributes: '' });
      await type(BOB.id);
      await enter();
      await frame('check_in');
      expect(rest.requests).to.deep.equal([]);
      expect(message().textContent).to.equal('Checking the member in…');
      expect(form.matches(':state(pending)')).to.equal(true);
      reply('check_in_success', visit(2));
      await reported(1);
      expect(message().textContent).to.equal('Member 2 checked in');
    });

    it('a card the search does not know is refused before anything is sent', async () => {
      await mount();
      await type(member(99));
      await enter();
      await until(() => form.matches(':state(error)'), 'the error');
      expect(region('alert').textContent).to.equal('No member has this ID: check the card, or search by name');
      expect(sent('check_in')).to.deep.equal([]);
      expect(results).to.deep.equal([]);
    });

    it('checks the id`s format before sending: a broken card is said, and neither searched nor sent', async () => {
      await mount();
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      await type('00000000-0000-4000-8000-00000000000');
      await enter();
      expect(region('alert').textContent).to.equal('Not a member ID: check the card, or search by name');
      expect(input().getAttribute('aria-invalid')).to.equal('true');
      expect(input().value, 'kept, to be fixed').to.equal('00000000-0000-4000-8000-00000000000');
      // Not searched when the typing pause would have ended either.
      await clock.tickAsync(1000);
      clock.restore();
      expect(rest.requests).to.deep.equal([]);
      expect(expanded()).to.equal('false');
      expect(sent('check_in')).to.deep.equal([]);
      await expect(form).to.be.accessible();
    });

    it('asks for a name or a card when Enter finds the field empty', async () => {
      await mount();
      await enter();
      expect(region('alert').textContent).to.equal('Name or phone number, or scan the card');
      expect(c.gym.received()).to.satisfy((frames: { type: string }[]) => frames.every((f) => f.type === 'heartbeat'));
    });
  });

  describe('in or out', () => {
    it('checks a member who is in out of their open visit, found with the server', async () => {
      await mount();
      rest.inside.set(ALICE.id, 'visit-a');
      await search('alice', 1);
      await until(() => options()[0]!.querySelector('[part~=presence]')?.textContent === 'In', 'Alice shown in');
      await enter();
      await frame('check_out');
      expect(sent('check_out')).to.deep.equal([{ checkInId: 'visit-a' }]);
      expect(sent('check_in')).to.deep.equal([]);
      expect(message().textContent).to.equal('Checking Alice Example out…');
      reply('check_out_success', visit(1, { id: 'visit-a', member: { id: ALICE.id, full_name: 'Alice Example', email: null }, check_out_time: new Date().toISOString() }));
      await reported(1);
      expect(message().textContent).to.equal('Alice Example checked out');
      expect(results[0]).to.deep.include({ action: 'check_out', status: 'success' });
    });

    it('knows from the socket who came in, and checks them out without asking the server', async () => {
      await mount({ attributes: '' });
      c.gym.send({ type: 'member_checked_in', payload: visit(3) });
      await c.settle();
      await type(member(3));
      await enter();
      await frame('check_out');
      expect(sent('check_out')).to.deep.equal([{ checkInId: 'visit-3' }]);
    });

    it('knows from a feed beside it who is in, from before the form came', async () => {
      await mount({ attributes: `visits-url="${VISITS}"`, before: '<gym-checkin-feed></gym-checkin-feed>' });
      form.remove();
      c.gym.send({ type: 'member_checked_in', payload: visit(4) });
      await c.settle();
      expect((c.provider.querySelector('gym-checkin-feed') as GymCheckinFeed).entries.map((entry) => entry.id)).to.deep.equal(['visit-4']);
      c.provider.append(form);
      await form.updateComplete;
      await type(member(4));
      await enter();
      await frame('check_out');
      expect(sent('check_out')).to.deep.equal([{ checkInId: 'visit-4' }]);
      expect(rest.visitLookups, 'the feed said it: no need to ask').to.deep.equal([]);
    });

    it('knows who is in from the history a feed beside it loaded, beyond the rows the feed shows', async () => {
      rest = new FakeRest();
      const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
      rest.recent = [visit(1, { check_in_time: ago(1) }), visit(4, { check_in_time: ago(10) }), visit(2, { check_in_time: ago(20) })];
      c = await connected(`<gym-checkin-feed limit="1" history-url="https://gym.test/api/checkins/recent/"></gym-checkin-feed><gym-checkin-form visits-url="${VISITS}"></gym-checkin-form>`);
      const feed = c.provider.querySelector('gym-checkin-feed') as GymCheckinFeed;
      form = c.provider.querySelector('gym-checkin-form')!;
      await until(() => feed.entries.length === 1, 'the feed`s history');
      expect(feed.entries.map((entry) => entry.id), 'the feed shows one row').to.deep.equal(['visit-1']);
      await type(member(4));
      await enter();
      await frame('check_out');
      expect(sent('check_out')).to.deep.equal([{ checkInId: 'visit-4' }]);
      expect(rest.visitLookups, 'the shared visit log said it: no need to ask').to.deep.equal([]);
    });

    it('staff can force the other action: the select, for one member, then back to as needed', async () => {
      await mount();
      rest.inside.set(ALICE.id, 'visit-a');
      const select = $<HTMLSelectElement>('select');
      expect(select.value).to.equal('');
      expect(button('submit')!.textContent).to.equal('Check in / out');
      select.value = 'check_in';
      select.dispatchEvent(new Event('change'));
      await form.updateComplete;
      expect(button('submit')!.textContent).to.equal('Check in');
      await type(ALICE.id);
      await enter();
      await frame('check_in');
      expect(sent('check_in'), 'checked in although in').to.deep.equal([{ memberId: ALICE.id, location: 'Side door' }]);
      expect(rest.visitLookups, 'a forced check-in needs no visit').to.deep.equal([]);
      expect(select.value, 'back to as needed').to.equal('');
      reply('check_in_error', { error: 'Alice Example is already checked in' });
      await reported(1);
      expect(region('alert').textContent).to.equal('Alice Example is already in — check out instead?');
      // The offered check-out asks the server for the visit, whatever the page believed.
      button('switch')!.click();
      await frame('check_out');
      expect(sent('check_out')).to.deep.equal([{ checkInId: 'visit-a' }]);
      expect(rest.visitLookups).to.deep.equal([ALICE.id]);
    });

    it('a forced check-out asks the server for the visit, even when the page believes the member is out', async () => {
      await mount();
      c.gym.send({ type: 'member_checked_out', payload: visit(1, { id: 'old', check_out_time: new Date().toISOString() }) });
      await c.settle();
      rest.inside.set(ALICE.id, 'visit-a');
      const select = $<HTMLSelectElement>('select');
      select.value = 'check_out';
      select.dispatchEvent(new Event('change'));
      await type(ALICE.id);
      await enter();
      await frame('check_out');
      expect(sent('check_out')).to.deep.equal([{ checkInId: 'visit-a' }]);
    });

    it('a forced check-out of a member who is not in says so, and offers the check-in', async () => {
      await mount();
      await search('bob', 1);
      const select = $<HTMLSelectElement>('select');
      select.value = 'check_out';
      select.dispatchEvent(new Event('change'));
      await press('ArrowDown');
      await enter();
      await until(() => form.matches(':state(error)'), 'the error');
      expect(region('alert').textContent).to.equal('Bob Example is not checked in — check in instead?');
      expect(sent('check_out')).to.deep.equal([]);
      button('switch')!.click();
      await frame('check_in');
      expect(sent('check_in')[0]).to.deep.include({ memberId: BOB.id });
    });

    it('action="check_out": an exit door checks everyone out', async () => {
      await mount({ attributes: `search-url="${SEARCH}" visits-url="${VISITS}" action="check_out"` });
      rest.inside.set(BOB.id, 'visit-b');
      expect($<HTMLSelectElement>('select').value).to.equal('check_out');
      await type(BOB.id);
      await enter();
      await frame('check_out');
      expect(sent('check_out')).to.deep.equal([{ checkInId: 'visit-b' }]);
      expect($<HTMLSelectElement>('select').value, 'still the door`s action').to.equal('check_out');
    });

    it('an `action` that is neither action (a typo) is as needed', async () => {
      await mount({ attributes: `search-url="${SEARCH}" visits-url="${VISITS}" action="checkout"` });
      rest.inside.set(BOB.id, 'visit-b');
      expect($<HTMLSelectElement>('select').value).to.equal('');
      await type(ALICE.id);
      await enter();
      await frame('check_in');
      expect(sent('check_in')[0]).to.deep.include({ memberId: ALICE.id });
    });

    it('flags a member whose membership is not active before checking them in; staff may go ahead', async () => {
      await mount();
      await search('lars', 1);
      const request = sinon.spy(c.client, 'request');
      expect(options()[0]!.querySelector('[part=flag]')!.textContent).to.equal('Membership inactive');
      await press('ArrowDown');
      await enter();
      await until(() => form.matches(':state(confirm)'), 'the question');
      expect(region('alert').textContent).to.equal('Lars Eriksson: membership inactive. Check in anyway?');
      expect(button('confirm')!.textContent).to.equal('Check in anyway');
      expect(Boolean($('[part=result] [part=photo]')), 'the face to check').to.equal(true);
      await expect(form).to.be.accessible();
      expect(request.callCount, 'nothing sent yet').to.equal(0);
      // Enter again (the field is empty) goes ahead.
      await enter();
      await frame('check_in');
      expect(sent('check_in')[0]).to.deep.include({ memberId: LARS.id });
    });

    it('Escape drops the question about an inactive membership', async () => {
      await mount();
      await type(LARS.id);
      await enter();
      await until(() => form.matches(':state(confirm)'), 'the question');
      await press('Escape');
      expect(form.matches(':state(idle)')).to.equal(true);
      expect(Boolean(button('confirm'))).to.equal(false);
    });
  });

  describe('confirmation and undo', () => {
    async function checkInBob() {
      await type(BOB.id);
      await enter();
      await frame('check_in');
      reply('check_in_success', visit(2, { id: 'visit-b', member: { id: BOB.id, full_name: 'Bob Example', email: null }, check_in_time: '2026-11-27T09:41:00Z' }));
      await reported(1);
    }

    it('a success says who and when, with the photo; the field is empty and focused', async () => {
      await mount();
      rest.members = rest.members.map((m) => (m === BOB ? { ...BOB, image_url: PHOTO } : m));
      await checkInBob();
      expect(form.matches(':state(success)')).to.equal(true);
      expect(region('status').textContent).to.equal('Bob Example checked in');
      expect($('[part=result] img[part=photo]').getAttribute('src')).to.equal(PHOTO);
      const time = $('[part=time]');
      expect(time.getAttribute('datetime')).to.equal('2026-11-27T09:41:00Z');
      expect(time.textContent).to.equal(new Intl.DateTimeFormat(form.locale, { timeStyle: 'short' }).format(Date.parse('2026-11-27T09:41:00Z')));
      expect(input().value).to.equal('');
      expect(form.shadowRoot!.activeElement === input(), 'focus in the field').to.equal(true);
      await expect(form).to.be.accessible();
    });

    it('Undo of a check-in checks the member out with a note, and says so', async () => {
      await mount();
      await checkInBob();
      const undo = button('undo')!;
      expect(undo.textContent).to.equal('Undo (checks out again, with a note)');
      undo.click();
      await frame('check_out');
      expect(sent('check_out')).to.deep.equal([{ checkInId: 'visit-b', notes: 'Undone at the front desk' }]);
      reply('check_out_success', visit(2, { id: 'visit-b', member: { id: BOB.id, full_name: 'Bob Example', email: null }, check_out_time: new Date().toISOString() }));
      await reported(2);
      expect(message().textContent, 'an undone check-in is a check-out').to.equal('Bob Example checked out');
      expect(Boolean(button('undo')), 'an undo is not undone').to.equal(false);
      expect(form.shadowRoot!.activeElement === input(), 'back in the field').to.equal(true);
    });

    it('Undo of a check-out checks the member in again', async () => {
      await mount();
      rest.inside.set(BOB.id, 'visit-b');
      await type(BOB.id);
      await enter();
      await frame('check_out');
      reply('check_out_success', visit(2, { id: 'visit-b', check_out_time: new Date().toISOString() }));
      await reported(1);
      expect(button('undo')!.textContent).to.equal('Undo (checks in again)');
      button('undo')!.click();
      await frame('check_in');
      expect(sent('check_in')).to.deep.equal([{ memberId: BOB.id, location: 'Side door', notes: 'Undone at the front desk' }]);
      reply('check_in_success', visit(2));
      await reported(2);
      expect(message().textContent).to.equal('Member 2 checked in');
    });

    it('a check-in another tab had already made (`reconciled`) is a success with nothing to undo', async () => {
      await mount();
      // What the client settles a request with when its copy is refused as already done (pending-replies.ts).
      const done = reconcile({ type: 'check_in', payload: { memberId: BOB.id, location: 'Side door' }, resolve: () => {}, reject: () => {}, maybeWritten: true }, 'Bob Example is already checked in');
      expect(done, 'a reconciled result').to.not.equal(undefined);
      const request = sinon.stub(c.client, 'request').resolves(done);
      await type(BOB.id);
      await enter();
      await reported(1);
      expect(request.callCount).to.equal(1);
      expect(results[0]).to.deep.include({ action: 'check_in', status: 'success' });
      expect(region('status').textContent).to.equal('Bob Example checked in');
      expect(form.matches(':state(success)')).to.equal(true);
      expect(Boolean(button('undo')), 'nothing this tab did to undo').to.equal(false);
      await expect(form).to.be.accessible();
    });

    it('Undo is there for 10 s; if it had the focus, the field takes it back', async () => {
      await mount();
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      await type(BOB.id);
      await enter();
      await until(() => rest.visitLookups.length === 1, 'the lookups');
      await clock.tickAsync(60);
      await frame('check_in');
      reply('check_in_success', visit(2));
      await reported(1);
      button('undo')!.focus();
      await clock.tickAsync(9_999);
      await form.updateComplete;
      expect(Boolean(button('undo')), 'still there at 9.999 s').to.equal(true);
      await clock.tickAsync(1);
      await form.updateComplete;
      expect(Boolean(button('undo')), 'gone at 10 s').to.equal(false);
      expect(form.shadowRoot!.activeElement === input(), 'focus in the field').to.equal(true);
      expect(message().textContent, 'the line stays').to.equal('Member 2 checked in');
      clock.restore();
    });

    it('plays a short tone with `sound`: high when done, low on a problem; silent without it', async () => {
      const tones: number[] = [];
      class FakeAudio {
        currentTime = 0;
        destination = {};
        createGain = () => ({ gain: { value: 0 }, connect: (next: unknown) => next });
        createOscillator = () => {
          const tone = { frequency: { value: 0 }, connect: (next: unknown) => next, start: () => tones.push(tone.frequency.value), stop: () => {} };
          return tone;
        };
      }
      sinon.stub(window, 'AudioContext').value(FakeAudio);
      await mount();
      await checkInBob();
      expect(tones, 'off by default').to.deep.equal([]);
      form.sound = true;
      await type(ALICE.id);
      await enter();
      await frame('check_in', 2);
      reply('check_in_success', visit(1));
      await reported(2);
      await type(FATIMA.id);
      await enter();
      await frame('check_in', 3);
      reply('check_in_error', { error: 'Internal server error during check-in' });
      await reported(3);
      expect(tones).to.deep.equal([880, 220]);
    });
  });

  describe('errors in staff language', () => {
    const CASES: { server: string; action: 'check_in' | 'check_out'; says: string; offers?: string }[] = [
      { server: 'Bob Example is already checked in', action: 'check_in', says: 'Bob Example is already in — check out instead?', offers: 'Check out' },
      { server: 'Check-in not found or already checked out', action: 'check_out', says: 'Bob Example is not checked in — check in instead?', offers: 'Check in' },
      { server: 'Member matching query does not exist.', action: 'check_in', says: 'No member has this ID: check the card, or search by name' },
      { server: 'Member not found', action: 'check_in', says: 'No member has this ID: check the card, or search by name' },
      { server: 'Internal server error during check-in', action: 'check_in', says: 'The gym server could not do that; try again' },
      { server: 'Internal server error', action: 'check_out', says: 'The gym server could not do that; try again' },
    ];
    for (const { server, action, says, offers } of CASES) {
      it(`"${server}" → "${says}", with the server's text as the detail`, async () => {
        await mount();
        if (action === 'check_out') rest.inside.set(BOB.id, 'visit-b');
        await type(BOB.id);
        await enter();
        await frame(action);
        reply(`${action}_error`, { error: server });
        await reported(1);
        expect(region('alert').textContent).to.equal(says);
        expect(region('status').textContent).to.equal('');
        expect($('[part=detail]').textContent).to.equal(`Server: ${server}`);
        expect(button('switch')?.textContent).to.equal(offers);
        expect(form.matches(':state(error)')).to.equal(true);
        expect(input().getAttribute('aria-invalid'), 'the field is fine').to.equal('false');
        expect(results).to.deep.equal([{ action, status: 'rejected', message: says }]);
        await expect(form).to.be.accessible();
      });
    }

    it('a server text it does not know is shown as it is, without a detail', async () => {
      await mount();
      await type(BOB.id);
      await enter();
      await frame('check_in');
      reply('check_in_error', { error: 'Member is suspended' });
      await reported(1);
      expect(message().textContent).to.equal('Member is suspended');
      expect(Boolean(button('detail'))).to.equal(false);
      expect(Boolean(form.shadowRoot!.querySelector('[part=detail]'))).to.equal(false);
    });

    it('maps the client`s failures too (pure)', () => {
      expect(explain(new GymClientError('No reply to check_in within 10000 ms', 'timeout'))).to.deep.equal({ key: 'timeout', raw: 'No reply to check_in within 10000 ms', status: 'failed' });
      expect(explain(new GymClientError('x', 'connection-lost')).key).to.equal('connectionLost');
      expect(explain(new GymClientError('x', 'outbox-full')).key).to.equal('outboxFull');
      expect(explain('a thrown text')).to.deep.equal({ key: undefined, raw: 'a thrown text', status: 'failed' });
      expect(explain(new GymClientError('Alice Example is already checked in', 'rejected'))).to.deep.include({ key: 'alreadyIn', name: 'Alice Example', other: 'check_out' });
    });

    it('keeps two live regions that never change role: news in the status, failures in the alert', async () => {
      await mount({ attributes: '' });
      const [status, alert] = [region('status'), region('alert')];
      const text = () => [status.textContent, alert.textContent];
      await type(member(1));
      await enter();
      expect(text()).to.deep.equal(['Checking the member in…', '']);
      await frame('check_in');
      reply('check_in_error', { error: 'Member 1 is already checked in' });
      await reported(1);
      expect(text()).to.deep.equal(['', 'Member 1 is already in — check out instead?']);
      await type(member(2));
      await enter();
      await frame('check_in', 2);
      reply('check_in_success', visit(2));
      await reported(2);
      expect(text()).to.deep.equal(['Member 2 checked in', '']);
      expect(region('status') === status && region('alert') === alert, 'the same two regions').to.equal(true);
      expect(message().hasAttribute('role')).to.equal(false);
    });
  });

  describe('offline', () => {
    it('queues, and lists what waits to be sent with its count; the list empties as answers come', async () => {
      await mount({ options: { initialRetryDelay: 60_000 } });
      c.gym.drop();
      await until(() => c.client.state === 'reconnecting', 'the link to go down');
      await search('bob', 1);
      await press('ArrowDown');
      await enter();
      await type(member(3));
      await enter();
      expect(message().textContent).to.equal('Queued — will be sent when back online');
      expect(form.matches(':state(queued)')).to.equal(true);
      const queue = $('[part=queue]');
      expect(queue.querySelector('p')!.textContent).to.equal('Waiting to send: 2');
      expect([...queue.querySelectorAll('[part=queue-item]')].map((item) => item.textContent)).to.deep.equal(['Bob Example · Check in', `${member(3)} · Check in`]);
      // The search still answers (REST is not the socket), but nothing is looked up before queuing: only the list asked.
      expect(rest.searches).to.deep.equal(['bob']);
      expect(rest.visitLookups).to.deep.equal([BOB.id]);
      await expect(form).to.be.accessible();
      c.client.reconnectNow();
      await frame('check_in', 2);
      reply('check_in_success', visit(2));
      await until(() => results.length === 3, 'the first answer');
      await form.updateComplete;
      expect($('[part=queue] p').textContent).to.equal('Waiting to send: 1');
      reply('check_in_success', visit(3));
      await reported(4);
      expect(Boolean(form.shadowRoot!.querySelector('[part=queue]'))).to.equal(false);
      expect(results.map((r) => r.status)).to.deep.equal(['queued', 'queued', 'success', 'success']);
    });

    it('a card scanned offline is named in the list when the member was found before', async () => {
      await mount({ options: { initialRetryDelay: 60_000 } });
      await search('fat', 1);
      c.gym.drop();
      await until(() => c.client.state === 'reconnecting', 'the link to go down');
      await type(FATIMA.id);
      await enter();
      expect([...form.shadowRoot!.querySelectorAll('[part=queue-item]')].map((item) => item.textContent)).to.deep.equal(['Fatima Zahra Benali · Check in']);
    });

    it('reports a full outbox', async () => {
      await mount({ options: { outboxLimit: 1, initialRetryDelay: 60_000 } });
      c.gym.drop();
      await until(() => c.client.state === 'reconnecting', 'the link to go down');
      await type(member(1));
      await enter();
      await type(member(2));
      await enter();
      await reported(2);
      expect(message().textContent).to.equal('Too many requests are waiting; try again when the connection is back');
      expect(results.at(-1)).to.deep.include({ status: 'failed' });
      expect($('[part=queue] p').textContent).to.equal('Waiting to send: 1');
    });
  });
});
