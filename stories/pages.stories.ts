import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { provided, whileShown } from './support/story-helpers.js';
import { storyStats, storyVisit } from './support/story-client.js';

const meta: Meta = { title: 'Pages' };
export default meta;

const morning = () => [
  { type: 'initial_stats', payload: storyStats(23, 148, 52) },
  { type: 'member_checked_out', payload: storyVisit('Priya Raghunathan', 18, true) },
  { type: 'member_checked_in', payload: storyVisit('Mateo García', 11) },
  { type: 'member_checked_in', payload: storyVisit('Zoë Ångström', 4) },
  { type: 'member_checked_in', payload: storyVisit('Alice Example', 1) },
];

/** A gym's website: live status and figures, the feed with pop-ups. */
export const GymWebsite: StoryObj = {
  render: () =>
    provided(
      (story) => html`<div class="story-stack" ${whileShown(4000, () => story.push({ type: 'member_checked_in', payload: storyVisit() }))}>
        <h2>Live at the gym</h2>
        <gym-connection-status></gym-connection-status>
        <gym-checkin-stats></gym-checkin-stats>
        <h2>Who just came and went</h2>
        <gym-error-boundary><gym-checkin-feed limit="6" notify></gym-checkin-feed></gym-error-boundary>
      </div>`,
      { frames: morning() },
    ),
};

/** The front desk: the form, the figures, the feed with check-out buttons. */
export const FrontDesk: StoryObj = {
  render: () =>
    provided(
      () => html`<div class="story-stack">
        <h2>Check members in and out</h2>
        <gym-connection-status></gym-connection-status>
        <gym-checkin-form></gym-checkin-form>
        <gym-checkin-stats></gym-checkin-stats>
        <gym-checkin-feed limit="10" actions></gym-checkin-feed>
      </div>`,
      { frames: morning() },
    ),
};
