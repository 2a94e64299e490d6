import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { diagnosedClient, type Diagnosed } from './support/diagnostics-client.js';
import { gatewayDown, provided, shownFor } from './support/story-helpers.js';
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
/** Through the read-only gateway, whose own link to the gym server is down: the page's link is fine, its data stale. */
export const LiveDelayed: StoryObj = { render: () => provided(() => html`<gym-connection-status></gym-connection-status>`, { frames: [gatewayDown()] }) };
/** The browser said it went offline while live: a quick heartbeat decides. */
export const CheckingConnection = inState('checking');
/** The countdown runs; "Retry now" connects at once. */
export const Reconnecting = inState('reconnecting');
/** The server keeps refusing the handshake (most likely the token): slow retries. */
export const CantSignIn = inState('refused');
export const Offline = inState('offline');
export const SignInRequired = inState('unauthorized');
/** Refused on a public page that uses no token: nothing to sign in to. */
export const Unavailable = inState('unavailable');
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

/** With `details`: the panel support asks for, its last hour played back in a few seconds. */
const withDetails = (kind: Diagnosed): StoryObj => ({
  render: () =>
    html`<gym-realtime-provider .client=${diagnosedClient(kind)}>
      <gym-connection-status details ${shownFor(100, (element) => element.shadowRoot?.querySelector<HTMLElement>('[part=details-toggle]')?.click())}></gym-connection-status>
    </gym-realtime-provider>`,
});
export const DetailsHealthy = withDetails('healthy');
export const DetailsFlapping = withDetails('flapping');
/** Down for the last 45 minutes: "Down since", failed attempts, a red last hour. */
export const DetailsLongOutage = withDetails('outage');
