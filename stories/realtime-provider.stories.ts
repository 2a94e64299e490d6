import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import { provided } from './support/story-helpers.js';
import { storyStats, storyVisit } from './support/story-client.js';

type PlaygroundArgs = {
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
  theme: 'light' | 'dark' | '';
};

const meta: Meta<PlaygroundArgs> = {
  title: 'Elements/Realtime provider',
  component: 'gym-realtime-provider',
};
export default meta;

/**
 * Every attribute of every element, as controls. The provider points at
 * `url`: with the local gym server running (`npm start`), use
 * `ws://localhost:8080/ws/checkins/` and `http://localhost:8080/demo/token`.
 * Without one, the widgets show how they wait and retry.
 */
export const Playground: StoryObj<PlaygroundArgs> = {
  // Talks to a real server: without one, the browser logs the refused connections.
  tags: ['network'],
  args: {
    url: 'ws://localhost:8080/ws/checkins/',
    token: '',
    'token-url': 'http://localhost:8080/demo/token',
    'history-url': 'http://localhost:8080/api/checkins/recent/',
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
    theme: { control: 'select', options: ['', 'light', 'dark'] },
    action: { control: 'select', options: ['check_in', 'check_out'] },
  },
  render: (args) => html`<gym-realtime-provider
    url=${args.url}
    token=${args.token || nothing}
    token-url=${args['token-url'] || nothing}
    history-url=${args['history-url'] || nothing}
    heartbeat-interval=${args['heartbeat-interval']}
    heartbeat-timeout=${args['heartbeat-timeout']}
    initial-retry-delay=${args['initial-retry-delay']}
    max-retry-delay=${args['max-retry-delay']}
    connect-timeout=${args['connect-timeout']}
    request-timeout=${args['request-timeout']}
    batch-window=${args['batch-window']}
    ?persist=${args.persist}
  >
    <div class="story-stack">
      <gym-connection-status ?compact=${args.compact} theme=${args.theme || nothing}></gym-connection-status>
      <gym-checkin-stats theme=${args.theme || nothing}></gym-checkin-stats>
      <gym-checkin-feed limit=${args.limit} ?notify=${args.notify} ?actions=${args.actions} ?paused=${args.paused} theme=${args.theme || nothing}></gym-checkin-feed>
      <gym-checkin-form location=${args.location} action=${args.action} theme=${args.theme || nothing}></gym-checkin-form>
    </div>
  </gym-realtime-provider>`,
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
