import sinon from 'sinon';
import { RealtimeClient } from '../../src/core/client.js';
import type { StateChange } from '../../src/core/client.js';
import type { RealtimeClientOptions } from '../../src/core/options.js';
import { FakeNetwork, GYM_URL, MockGym } from './mock-gym.js';

export interface Harness {
  clock: sinon.SinonFakeTimers;
  gym: MockGym;
  network: FakeNetwork;
  client: RealtimeClient;
  /** Every state change the client emitted, in order. */
  changes: StateChange[];
  states(): string[];
  /** Advances the fake clock, letting promises settle in between. */
  tick(ms: number): Promise<void>;
  /** Connects and runs the clock until the socket is open. */
  open(): Promise<void>;
  restore(): void;
}

/**
 * A client wired to a mock-socket server, a fake network and sinon's fake
 * clock (jitter fixed at 0.5 unless `random` is given).
 */
export function createHarness(options: Partial<RealtimeClientOptions> = {}): Harness {
  const clock = sinon.useFakeTimers({ now: Date.parse('2026-11-27T08:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  const gym = new MockGym();
  const network = new FakeNetwork();
  const client = new RealtimeClient({
    url: GYM_URL,
    token: 'fixed-token',
    WebSocket: gym.WebSocket,
    environment: network,
    random: () => 0.5,
    // The single-tab engine; sharing between tabs has its own tests with fake locks and channels.
    share: 'none',
    ...options,
  });
  const changes: StateChange[] = [];
  client.on('state', (change) => changes.push(change));
  const harness: Harness = {
    clock,
    gym,
    network,
    client,
    changes,
    states: () => changes.map((change) => change.state),
    tick: async (ms) => {
      await clock.tickAsync(ms);
    },
    open: async () => {
      client.connect();
      // mock-socket opens 4 ms after the socket is created: the clock then stands at the moment of opening.
      await clock.tickAsync(4);
      if (client.state !== 'open') throw new Error(`expected open, got ${client.state}`);
    },
    restore: () => {
      client.dispose();
      gym.stop();
      clock.restore();
    },
  };
  return harness;
}
