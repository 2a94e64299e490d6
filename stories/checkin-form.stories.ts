import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { provided, shownFor } from './support/story-helpers.js';
import type { Replies, StoryState } from './support/story-client.js';

const meta: Meta = {
  title: 'Elements/Check-in form',
  component: 'gym-checkin-form',
};
export default meta;

/** Types an id and sends it, as the front desk would. */
const submit = (...ids: string[]) =>
  shownFor(150, (element) => {
    const form = element.querySelector('gym-checkin-form')!;
    for (const id of ids) {
      form.shadowRoot!.querySelector('input')!.value = id;
      form.shadowRoot!.querySelector<HTMLButtonElement>('[part=submit]')!.click();
    }
  });

const form = (state: StoryState, replies: Replies, ids: string[] = [], outboxLimit?: number): StoryObj => ({
  render: () =>
    provided(() => html`<div ${ids.length ? submit(...ids) : ''}><gym-checkin-form></gym-checkin-form></div>`, { state, replies, ...(outboxLimit ? { outboxLimit } : {}) }),
});

const alice = '00000000-0000-4000-8000-000000000001';

export const Idle = form('live', 'success');
export const Pending = form('live', 'never', [alice]);
export const Success = form('live', 'success', [alice]);
export const ServerError = form('live', 'error', [alice]);
export const MissingId = form('live', 'success', ['']);
export const QueuedOffline = form('offline', 'success', [alice]);
export const OutboxFull = form('offline', 'success', [alice, '00000000-0000-4000-8000-000000000002'], 1);
export const NoProvider: StoryObj = { render: () => html`<gym-checkin-form></gym-checkin-form>` };
