import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { GymCheckinFeed } from '../../src/index.js';
import { cleanupConnected, connected, shadowText, type Connected } from '../helpers/element-harness.js';
import { visit } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';

interface HistoryRequest {
  signal: AbortSignal | undefined;
  answer(response: Response): void;
}

describe('<gym-checkin-feed> history requests', () => {
  let c: Connected;
  let feed: GymCheckinFeed;
  let requests: HistoryRequest[];
  beforeEach(() => {
    requests = [];
    // Answers when the test says so; rejects once its signal aborts, as fetch does.
    sinon.stub(window, 'fetch').callsFake(
      (_input, init) =>
        new Promise<Response>((resolve, reject) => {
          const signal = init?.signal ?? undefined;
          signal?.addEventListener('abort', () => reject(signal.reason));
          requests.push({ signal, answer: resolve });
        }),
    );
  });
  afterEach(() => {
    sinon.restore();
    cleanupConnected();
  });

  async function mount() {
    c = await connected('<gym-checkin-feed history-url="/history"></gym-checkin-feed>');
    feed = c.provider.querySelector('gym-checkin-feed')!;
    await until(() => requests.length === 1, 'the history request');
  }

  it('aborts the request in flight when the feed is removed; nothing renders or fails after', async () => {
    await mount();
    expect(feed.matches(':state(loading)')).to.equal(true);
    const errors: unknown[] = [];
    feed.addEventListener('gym-error', (event) => errors.push(event.detail));
    feed.remove();
    expect(requests[0]!.signal?.aborted).to.equal(true);
    await feed.updateComplete;
    const render = sinon.spy(feed as unknown as { render(): unknown }, 'render');

    requests[0]!.answer(Response.json([visit(1)]));
    await c.settle();
    expect(render.callCount).to.equal(0);
    expect(feed.entries).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    expect(feed.matches(':state(loading)'), 'a removed feed is not loading').to.equal(false);
    expect(shadowText(feed)).to.not.include('Could not load earlier check-ins');
  });

  it('a newer load (after a reconnect) aborts the one in flight; the newer one fills the feed', async () => {
    await mount();
    c.gym.drop();
    await until(() => c.client.state === 'reconnecting', 'the link to drop');
    c.client.reconnectNow();
    await until(() => requests.length === 2, 'the second history request');
    expect(requests[0]!.signal?.aborted).to.equal(true);
    expect(requests[1]!.signal?.aborted).to.equal(false);

    requests[1]!.answer(Response.json([visit(2)]));
    await until(() => feed.entries.length > 0, 'the history to show');
    expect(feed.entries.map((checkIn) => checkIn.id)).to.deep.equal(['visit-2']);
    await feed.updateComplete;
    expect(shadowText(feed)).to.not.include('Could not load earlier check-ins');
  });
});
