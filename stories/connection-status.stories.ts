import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { provided } from './support/story-helpers.js';
import type { StoryState } from './support/story-client.js';

const meta: Meta = {
  title: 'Elements/Connection status',
  component: 'gym-connection-status',
};
export default meta;

const inState = (state: StoryState, compact = false): StoryObj => ({
  render: () => provided(() => html`<gym-connection-status ?compact=${compact}></gym-connection-status>`, { state }),
});

export const Live = inState('live');
export const Connecting = inState('connecting');
/** The countdown runs; "Retry now" connects at once. */
export const Reconnecting = inState('reconnecting');
export const Offline = inState('offline');
export const SignInRequired = inState('unauthorized');
export const Disconnected = inState('disconnected');
export const NoProvider: StoryObj = { render: () => html`<gym-connection-status></gym-connection-status>` };
export const CompactLive = inState('live', true);
export const CompactReconnecting = inState('reconnecting', true);
export const Translated: StoryObj = {
  render: () =>
    provided(
      () => html`<gym-connection-status
        text-live="En direct"
        text-reconnecting="Reconnexion"
        text-reconnecting-in="dans {seconds} s"
        text-retry="Réessayer"
      ></gym-connection-status>`,
      { state: 'reconnecting' },
    ),
};
