import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { RealtimeClient } from '../../src/core/client.js';
import { GymCheckinStats, GymErrorBoundary, GymRealtimeProvider } from '../../src/elements.js';
import { FakeNetwork, MockGym } from '../helpers/mock-gym.js';

// This page loads only the class-only entry: no gym-* tag exists here, the app picks its own.
GymRealtimeProvider.define('acme-live');
GymErrorBoundary.define('acme-guard');
GymCheckinStats.define('acme-figures');

describe('custom tag names (the class-only entry)', () => {
  const url = 'ws://custom-tags.test/ws/checkins/';
  let gym: MockGym;
  let client: RealtimeClient;
  beforeEach(() => {
    gym = new MockGym(url);
    client = new RealtimeClient({ url, WebSocket: gym.WebSocket, environment: new FakeNetwork(), initialRetryDelay: 60_000 });
  });
  afterEach(() => {
    sinon.restore();
    document.body.replaceChildren();
    client.dispose();
    gym.stop();
  });

  it('after a connection error, "Try again" has the provider around the boundary reconnect', async () => {
    expect(customElements.get('gym-realtime-provider')).to.equal(undefined);
    const provider = document.createElement('acme-live') as GymRealtimeProvider;
    provider.client = client;
    provider.setHTMLUnsafe('<acme-guard><acme-figures></acme-figures></acme-guard>');
    document.body.append(provider);
    const boundary = provider.querySelector('acme-guard') as GymErrorBoundary;
    const figures = provider.querySelector('acme-figures') as GymCheckinStats;
    await figures.updateComplete;
    const reconnect = sinon.spy(client, 'reconnectNow');

    figures.reportError(new Error('link failed'), 'connection');
    await boundary.updateComplete;
    expect(boundary.error?.source).to.equal('connection');
    boundary.shadowRoot!.querySelector<HTMLButtonElement>('[part=retry]')!.click();

    expect(reconnect.callCount).to.equal(1);
    expect(boundary.error).to.equal(undefined);
  });
});
