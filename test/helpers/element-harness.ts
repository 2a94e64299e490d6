import { fixtureCleanup, nextFrame } from '@open-wc/testing';
import { RealtimeClient } from '../../src/core/client.js';
import type { RealtimeClientOptions } from '../../src/core/options.js';
import type { GymRealtimeProvider } from '../../src/index.js';
import '../../src/index.js';
import { FakeNetwork, MockGym } from './mock-gym.js';
import { until } from './wait.js';

let servers = 0;

export interface Connected {
  gym: MockGym;
  network: FakeNetwork;
  client: RealtimeClient;
  provider: GymRealtimeProvider;
  /** Waits for the next animation frame and the elements' updates. */
  settle(): Promise<void>;
}

/**
 * Puts `markup` (gym elements as HTML) inside a provider whose client talks to
 * a fresh mock-socket server, and waits until the link is open.
 */
export async function connected(markup: string, options: Partial<RealtimeClientOptions> = {}): Promise<Connected> {
  const url = `ws://gym-${++servers}.test/ws/checkins/`;
  const gym = new MockGym(url);
  const network = new FakeNetwork();
  const client = new RealtimeClient({ url, token: 't', WebSocket: gym.WebSocket, environment: network, random: () => 0.5, initialRetryDelay: 100, share: 'none', ...options });
  const provider = document.createElement('gym-realtime-provider');
  provider.client = client;
  const parser = document.createElement('template');
  parser.setHTMLUnsafe(markup);
  provider.append(parser.content);
  document.body.append(provider);
  cleanups.push(() => {
    provider.remove();
    client.dispose();
    gym.stop();
  });
  const settle = async () => {
    await nextFrame();
    await nextFrame();
  };
  await until(() => client.state === 'open', 'the link to the mock gym to open');
  await settle();
  return { gym, network, client, provider, settle };
}

const cleanups: (() => void)[] = [];

/** Removes what `connected()` made; call in afterEach. */
export function cleanupConnected(): void {
  for (const cleanup of cleanups.splice(0)) cleanup();
  fixtureCleanup();
}

/** Text of an element's shadow root, one space between text nodes. */
export function shadowText(element: Element): string {
  const root = element.shadowRoot;
  if (!root) return '';
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const parts: string[] = [];
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent!.replace(/\s+/g, ' ').trim();
    if (text) parts.push(text);
  }
  return parts.join(' ');
}
