import { html, type TemplateResult } from 'lit';
import { ref } from 'lit/directives/ref.js';
import { storyClient, type Replies, type StoryClient, type StoryState } from './story-client.js';

/** Pushes `frames` as soon as the story's client is open. */
export function afterOpen(story: StoryClient, frames: object[]): void {
  const push = () => frames.forEach((frame) => story.push(frame));
  if (story.client.state === 'open') push();
  else {
    const off = story.client.on('state', ({ state }) => {
      if (state !== 'open') return;
      off();
      push();
    });
  }
}

/**
 * Calls `tick` every `ms` while the story's provider is on the page (a live
 * stream); the interval ends by itself when the story is left.
 */
export function whileShown(ms: number, tick: () => void) {
  let interval: ReturnType<typeof setInterval> | undefined;
  return ref((element) => {
    clearInterval(interval);
    if (!element) return;
    interval = setInterval(() => (element.isConnected ? tick() : clearInterval(interval)), ms);
  });
}

/** Calls `then(element)` once, `ms` after the story is shown (to reach a state that needs a step). */
export function shownFor(ms: number, then: (element: Element) => void) {
  return ref((element) => {
    if (element) setTimeout(() => element.isConnected && then(element), ms);
  });
}

export interface ProvidedOptions {
  state?: StoryState;
  replies?: Replies;
  outboxLimit?: number;
  frames?: object[];
  historyUrl?: string;
}

/** `content` inside a provider whose story client is in `state`, fed `frames` once open. */
/** What the read-only gateway sends while its own link to the gym server has been down for 3 minutes. */
export const gatewayDown = () => ({ type: 'gateway_status', payload: { upstream: 'down', since: new Date(Date.now() - 180_000).toISOString() } });

export function provided(content: (story: StoryClient) => TemplateResult, { state = 'live', replies, outboxLimit, frames = [], historyUrl }: ProvidedOptions = {}) {
  const story = storyClient(state, { replies: replies ?? 'success', outboxLimit: outboxLimit ?? 500 });
  afterOpen(story, frames);
  return html`<gym-realtime-provider .client=${story.client} history-url=${historyUrl ?? ''}>${content(story)}</gym-realtime-provider>`;
}
