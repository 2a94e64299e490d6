import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { provided } from './support/story-helpers.js';
import { storyStats, storyVisit } from './support/story-client.js';
import { DEFAULT_GYM_SERVER, gymEndpoints } from './support/gym-server.js';

type PlaygroundArgs = {
  server: string;
  url: string;
  token: string;
  'token-url': string;
  'history-url': string;
  'heartbeat-interval': number;
  'heartbeat-timeout': number;
  'initial-retry-delay': number;
  'max-retry-delay': number;
  'connect-timeout': number;
  'request-timeout': number;
  'batch-window': number;
  persist: boolean;
  action: 'check_in' | 'check_out';
  limit: number;
  notify: boolean;
  actions: boolean;
  paused: boolean;
  compact: boolean;
  location: string;
  theme: 'light' | 'dark' | 'auto' | '';
};

const meta: Meta<PlaygroundArgs> = {
  title: 'Elements/Realtime provider',
  component: 'gym-realtime-provider',
};
export default meta;

/**
 * Every attribute of every element, as controls, against the local gym server
 * (`npm start`): set `server` to the address it printed (or start Storybook
 * with `STORYBOOK_GYM_URL`); `url`, `token-url` and `history-url` follow it
 * unless set. Without a server, the widgets show how they wait and retry.
 */
export const Playground: StoryObj<PlaygroundArgs> = {
  // Talks to a real server: without one, the browser logs the refused connections.
  tags: ['network'],
  args: {
    server: DEFAULT_GYM_SERVER,
    url: '',
    token: '',
    'token-url': '',
    'history-url': '',
    'heartbeat-interval': 15000,
    'heartbeat-timeout': 10000,
    'initial-retry-delay': 1000,
    'max-retry-delay': 30000,
    'connect-timeout': 10000,
    'request-timeout': 15000,
    'batch-window': 50,
    persist: false,
    action: 'check_in',
    limit: 5,
    notify: false,
    actions: false,
    paused: false,
    compact: false,
    location: 'Front desk',
    theme: '',
  },
  argTypes: {
    server: {
      control: { type: 'text' },
      description: 'The local gym server, as `npm start` printed it (default: `STORYBOOK_GYM_URL`, else http://localhost:8080). `url`, `token-url` and `history-url` follow it unless set.',
      table: { category: 'playground' },
    },
    theme: { control: 'select', options: ['', 'light', 'dark', 'auto'] },
    action: { control: 'select', options: ['check_in', 'check_out'] },
  },
  render: (args) => {
    const server = gymEndpoints(args.server);
    return html`<gym-realtime-provider
      url=${args.url || server?.url || args.server}
      token=${args.token || nothing}
      token-url=${args['token-url'] || server?.tokenUrl || nothing}
      history-url=${args['history-url'] || server?.historyUrl || nothing}
      heartbeat-interval=${args['heartbeat-interval']}
      heartbeat-timeout=${args['heartbeat-timeout']}
      initial-retry-delay=${args['initial-retry-delay']}
      max-retry-delay=${args['max-retry-delay']}
      connect-timeout=${args['connect-timeout']}
      request-timeout=${args['request-timeout']}
      batch-window=${args['batch-window']}
      ?persist=${args.persist}
      theme=${args.theme || nothing}
    >
      <div class="story-stack">
        <gym-connection-status ?compact=${args.compact}></gym-connection-status>
        <gym-checkin-stats></gym-checkin-stats>
        <gym-checkin-feed limit=${args.limit} ?notify=${args.notify} ?actions=${args.actions} ?paused=${args.paused}></gym-checkin-feed>
        <gym-checkin-form location=${args.location} action=${args.action}></gym-checkin-form>
      </div>
    </gym-realtime-provider>`;
  },
};

/** An invalid attribute: a clear message, a `gym-error` event, nothing thrown. */
export const InvalidConfiguration: StoryObj = {
  render: () => html`<gym-realtime-provider url="ftp://gym.example/"><gym-connection-status></gym-connection-status></gym-realtime-provider>`,
};

export const InvalidTiming: StoryObj = {
  render: () =>
    html`<gym-realtime-provider url="wss://gym.example/ws/checkins/" heartbeat-interval="-5"><gym-connection-status></gym-connection-status></gym-realtime-provider>`,
};

/** One provider, every element, one shared connection. */
export const AllElementsLive: StoryObj = {
  render: () =>
    provided(
      () => html`<div class="story-stack">
        <gym-connection-status></gym-connection-status>
        <gym-checkin-stats></gym-checkin-stats>
        <gym-checkin-feed></gym-checkin-feed>
        <gym-checkin-form></gym-checkin-form>
      </div>`,
      {
        frames: [
          { type: 'initial_stats', payload: storyStats() },
          { type: 'member_checked_in', payload: storyVisit('Alice Example', 2) },
          { type: 'member_checked_out', payload: storyVisit('Mateo García', 1, true) },
        ],
      },
    ),
};

/** `token-url` points at a page that does not exist: the provider says so, and the status keeps a slow countdown. */
export const TokenUrlMisconfigured: StoryObj = {
  render: () => provided(() => html`<gym-connection-status></gym-connection-status>`, { state: 'misconfigured' }),
};
