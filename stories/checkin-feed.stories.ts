import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { provided, shownFor, whileShown } from './support/story-helpers.js';
import { storyNames, storyVisit } from './support/story-client.js';

const meta: Meta = {
  title: 'Elements/Check-in feed',
  component: 'gym-checkin-feed',
  args: { limit: 5, notify: false, actions: false },
};
export default meta;

const arrived = (name?: string, minutesAgo = 0, location?: string) => ({ type: 'member_checked_in', payload: storyVisit(name, minutesAgo, false, location) });
const left = (name?: string, minutesAgo = 0) => ({ type: 'member_checked_out', payload: storyVisit(name, minutesAgo, true) });
const some = () => [left('Priya Raghunathan', 34), arrived('Mateo García', 21), arrived('Zoë Ångström', 8), arrived('Alice Example', 0)];

type Args = { limit: number; notify: boolean; actions: boolean };
const feed = (args: Partial<Args> = {}) => html`<gym-checkin-feed limit=${args.limit ?? 5} ?notify=${args.notify} ?actions=${args.actions}></gym-checkin-feed>`;

/** Nothing yet: a row-sized placeholder, so the first check-in moves nothing; no "Pause". */
export const Empty: StoryObj<Args> = { render: (args) => provided(() => feed(args)) };
/** The first history on its way: `limit` skeleton rows, the list `aria-busy`. */
export const Loading: StoryObj<Args> = { render: (args) => provided(() => feed(args), { historyUrl: '/story-history/hang' }) };
export const FromHistory: StoryObj<Args> = { render: (args) => provided(() => feed(args), { historyUrl: '/story-history/recent' }) };
export const HistoryFailed: StoryObj<Args> = { render: (args) => provided(() => feed(args), { historyUrl: '/story-history/fail' }) };
export const AFewEntries: StoryObj<Args> = { render: (args) => provided(() => feed(args), { frames: some() }) };
export const Full: StoryObj<Args> = {
  args: { limit: 8 },
  render: (args) => provided(() => feed(args), { frames: storyNames.map((name, i) => (i % 3 ? arrived(name, 60 - i * 7) : left(name, 60 - i * 7))) }),
};
/** A member arrives or leaves every 1.5 s; new entries flash (unless reduced motion). */
export const LiveStream: StoryObj<Args> = {
  args: { notify: true },
  render: (args) =>
    provided(
      (story) => {
        let n = 0;
        return html`<div ${whileShown(1500, () => story.push(++n % 3 ? arrived() : left()))}>${feed(args)}</div>`;
      },
      { frames: some() },
    ),
};
/** As narrow as a phone: the `notify` pop-up sits in the header, beside "Pause", over no entry. */
export const NotifyOnAPhone: StoryObj<Args> = {
  args: { notify: true },
  render: (args) =>
    provided(
      (story) => html`<div style="max-inline-size: 22rem" ${whileShown(1500, () => story.push(arrived()))}>${feed(args)}</div>`,
      { frames: some() },
    ),
};
/** Hundreds of events at once: one render per frame, one announcement. */
export const Flood: StoryObj<Args> = {
  args: { limit: 10 },
  render: (args) => provided(() => feed(args), { frames: Array.from({ length: 500 }, (_, i) => arrived(storyNames[i % storyNames.length], 0, `Door ${i % 4}`)) }),
};
/** Paused (WCAG 2.2.2): new entries wait behind "4 new — show". */
export const PausedWithNewEntries: StoryObj<Args> = {
  render: (args) =>
    provided(
      (story) =>
        html`<div
          ${shownFor(200, (element) => {
            element.querySelector('gym-checkin-feed')!.paused = true;
            [arrived('Chen Wei'), arrived('Léa Dubois'), left('Kwame Mensah'), arrived('Aoife Ní Bhriain')].forEach((frame) => story.push(frame));
          })}
        >
          ${feed(args)}
        </div>`,
      { frames: some() },
    ),
};
export const LongAndNonLatinNames: StoryObj<Args> = {
  render: (args) =>
    provided(() => feed(args), {
      frames: [
        arrived('Maximilian Alexander von Hohenzollern-Sigmaringen und Habsburg-Lothringen', 3, 'The very long corridor next to the swimming pool entrance'),
        arrived('山田 花子', 2),
        arrived('محمد العلي', 1),
        arrived('Яна Кузнецова', 0),
      ],
    }),
};
/** An HTML-looking name is shown as text, never run. */
export const HostileName: StoryObj<Args> = {
  render: (args) => provided(() => feed(args), { frames: [arrived('<img src=x onerror=alert(1)>'), arrived('<script>alert("hi")</script>'), arrived('‮evil‬ override')] }),
};
export const RightToLeft: StoryObj<Args> = {
  render: (args) => html`<div dir="rtl" lang="ar">${provided(() => feed(args), { frames: [arrived('محمد العلي', 5), left('ليلى حسن', 2), arrived('Alice Example', 0)] })}</div>`,
};
export const WithCheckOutActions: StoryObj<Args> = { args: { actions: true }, render: (args) => provided(() => feed(args), { frames: some() }) };
export const NoProvider: StoryObj<Args> = { render: (args) => feed(args) };
