import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { GymElement } from '../src/index.js';
import { provided, shownFor } from './support/story-helpers.js';
import { storyStats } from './support/story-client.js';

/** A widget that fails to render, to trip the boundary. */
class BrokenWidget extends GymElement {
  protected override render(): never {
    throw new Error('This widget failed to render');
  }
}
BrokenWidget.define('story-broken-widget');

const meta: Meta = {
  title: 'Elements/Error boundary',
  component: 'gym-error-boundary',
};
export default meta;

const stats = { type: 'initial_stats', payload: storyStats() };

export const Healthy: StoryObj = {
  render: () => provided(() => html`<gym-error-boundary><gym-checkin-stats></gym-checkin-stats></gym-error-boundary>`, { frames: [stats] }),
};
export const TrippedDefaultFallback: StoryObj = {
  render: () => html`<gym-error-boundary><story-broken-widget></story-broken-widget></gym-error-boundary>`,
};
export const TrippedCustomFallback: StoryObj = {
  render: () =>
    html`<gym-error-boundary>
      <p slot="fallback">Live figures are taking a break. They will be back shortly.</p>
      <story-broken-widget></story-broken-widget>
    </gym-error-boundary>`,
};
/** A widget reported a connection error; "Try again" was pressed and the widgets came back. */
export const Recovered: StoryObj = {
  render: () =>
    provided(
      () =>
        html`<gym-error-boundary
          ${shownFor(150, (boundary) => {
            const stats = boundary.querySelector('gym-checkin-stats')!;
            stats.reportError(new Error('The connection failed'), 'connection');
            setTimeout(() => boundary.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry]')!.click(), 100);
          })}
          ><gym-checkin-stats></gym-checkin-stats
        ></gym-error-boundary>`,
      { frames: [stats] },
    ),
};
