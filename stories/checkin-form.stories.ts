import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import type { GymCheckinForm } from '../src/index.js';
import { provided, shownFor } from './support/story-helpers.js';
import { storyMembers, type Replies, type StoryState } from './support/story-client.js';

const meta: Meta = {
  title: 'Elements/Check-in form',
  component: 'gym-checkin-form',
};
export default meta;

/** What staff do at the desk, step by step, on the story's form. */
type Step = (form: GymCheckinForm) => void;
const field = (form: GymCheckinForm) => form.shadowRoot!.querySelector('input')!;
/** Types (or a scanner types) `text` into the field. */
const type =
  (text: string): Step =>
  (form) => {
    field(form).focus();
    field(form).value = text;
    field(form).dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  };
const enter: Step = (form) => form.shadowRoot!.querySelector('form')!.requestSubmit();
const key =
  (name: string): Step =>
  (form) =>
    field(form).dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, composed: true }));

const [alice, bob, priya, , lars] = storyMembers.map((member) => member.id) as [string, string, string, string, string];

interface FormStory {
  state?: StoryState;
  replies?: Replies;
  outboxLimit?: number;
  /** Steps taken once shown, and those taken 300 ms later (after a search answered). */
  steps?: Step[];
  later?: Step[];
  /** Where the form searches: the story's members, or an address that fails. */
  search?: 'members' | 'down' | 'none';
}

const form = ({ state = 'live', replies = 'success', outboxLimit, steps = [], later = [], search = 'members' }: FormStory): StoryObj => ({
  render: () =>
    provided(
      () =>
        html`<div
          ${shownFor(150, (element) => steps.forEach((step) => step(element.querySelector('gym-checkin-form')!)))}
          ${shownFor(450, (element) => later.forEach((step) => step(element.querySelector('gym-checkin-form')!)))}
        >
          ${search === 'none'
            ? html`<gym-checkin-form></gym-checkin-form>`
            : html`<gym-checkin-form search-url="/story-members/${search === 'down' ? 'down/' : ''}search/" visits-url="/story-members/visits/"></gym-checkin-form>`}
        </div>`,
      { state, replies, ...(outboxLimit ? { outboxLimit } : {}) },
    ),
});

export const Idle = form({});
/** Staff typed "a": the members found, with photo, phone, whether each is in, and a flag on an inactive membership; the first is active. */
export const SearchResults = form({ steps: [type('a'), enter], later: [key('ArrowDown')] });
export const NoResults = form({ steps: [type('zzz'), enter] });
export const SearchUnavailable = form({ steps: [type('ali'), enter], search: 'down' });
/** A card scanned: the member id and Enter, acted on at once; the server has not answered yet. */
export const Scanning = form({ replies: 'never', steps: [type(alice), enter] });
export const CheckedInWithUndo = form({ steps: [type(alice), enter] });
/** Priya was in: Enter checked her out of her open visit. */
export const CheckedOutWithUndo = form({ steps: [type(priya), enter] });
export const InactiveMembership = form({ steps: [type(lars), enter] });
export const ErrorAlreadyIn = form({ replies: { error: 'Bob Example is already checked in' }, steps: [type(bob), enter] });
export const ErrorNotIn = form({ replies: { error: 'Check-in not found or already checked out' }, steps: [type(priya), enter] });
export const ErrorUnknownMember = form({ replies: { error: 'Member matching query does not exist.' }, steps: [type(bob), enter] });
export const ErrorServer = form({ replies: { error: 'Internal server error during check-in' }, steps: [type(bob), enter] });
export const ErrorUnknownText = form({ replies: { error: 'Member is suspended until the invoice is paid' }, steps: [type(bob), enter] });
export const ErrorNotAMemberId = form({ steps: [type('00000000-0000-4000-8000-00000000001'), enter] });
export const ErrorEmptyField = form({ steps: [enter] });
/** Offline: two members queued, listed as waiting to send. */
export const OfflineQueue = form({ state: 'offline', steps: [type(alice), enter, type(bob), enter] });
export const OutboxFull = form({ state: 'offline', outboxLimit: 1, steps: [type(alice), enter, type(bob), enter] });
/** No search address: scanning still works, with the name from the server's answer. */
export const WithoutSearch = form({ search: 'none', steps: [type(bob), enter] });
export const NoProvider: StoryObj = { render: () => html`<gym-checkin-form></gym-checkin-form>` };
