import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { gatewayDown, provided } from './support/story-helpers.js';
import { storyStats } from './support/story-client.js';

const meta: Meta = {
  title: 'Elements/Check-in stats',
  component: 'gym-checkin-stats',
};
export default meta;

const stats = (currentlyIn?: number, todayTotal?: number, averageStayMinutes?: number) => ({ type: 'initial_stats', payload: storyStats(currentlyIn, todayTotal, averageStayMinutes) });

export const Live: StoryObj = { render: () => provided(() => html`<gym-checkin-stats></gym-checkin-stats>`, { frames: [stats()] }) };
/** Connected, no figures yet: shimmering placeholders the size of the figures (still under reduced motion), `aria-busy`. */
export const Waiting: StoryObj = { render: () => provided(() => html`<gym-checkin-stats></gym-checkin-stats>`) };
/** The link dropped: the last figures stay, with their age. */
export const Stale: StoryObj = {
  render: () => provided(() => html`<gym-checkin-stats></gym-checkin-stats>`, { state: 'reconnecting', frames: [stats(17, 96, 48)] }),
};
/** Through the read-only gateway while its own link to the gym server is down: the figures say how old they are. */
export const Delayed: StoryObj = {
  render: () => provided(() => html`<gym-checkin-stats></gym-checkin-stats>`, { frames: [stats(17, 96, 48), gatewayDown()] }),
};
export const LargeNumbers: StoryObj = { render: () => provided(() => html`<gym-checkin-stats></gym-checkin-stats>`, { frames: [stats(1234, 56789, 75)] }) };
/** The server sent its zeros with `"error": "Stats calculation failed"`: "Figures unavailable", no zeros. */
export const FiguresUnavailable: StoryObj = {
  render: () =>
    provided(() => html`<gym-checkin-stats></gym-checkin-stats>`, {
      frames: [{ type: 'initial_stats', payload: { currentlyIn: 0, todayTotal: 0, averageStayMinutes: 0, error: 'Stats calculation failed' } }],
    }),
};
export const NoProvider: StoryObj = { render: () => html`<gym-checkin-stats></gym-checkin-stats>` };
