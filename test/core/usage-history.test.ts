import { expect } from '@open-wc/testing';
import { UsageHistory } from '../../src/core/diagnostics.js';
import type { ConnectionState, StateChange, StateReason } from '../../src/core/events.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';

const MINUTE = 60_000;
const START = Date.parse('2026-11-27T08:00:00Z');

/** A history on a clock the test moves. */
function at(start = START) {
  let now = start;
  const history = new UsageHistory(() => now);
  const change = (previous: ConnectionState, state: ConnectionState, reason: StateReason = 'open'): void => history.state({ previous, state, reason } as StateChange);
  return { history, change, advance: (ms: number) => (now += ms), now: () => now };
}

describe('UsageHistory (client.history())', () => {
  it('counts the share of each minute the link was open, across minute boundaries', () => {
    const h = at();
    h.change('idle', 'connecting', 'connect');
    h.change('connecting', 'open');
    h.advance(90_000); // open 08:00:00 – 08:01:30
    h.change('open', 'reconnecting', 'connection-lost');
    h.advance(30_000); // down until 08:02:00
    h.change('reconnecting', 'connecting', 'retry');
    h.change('connecting', 'open');
    h.advance(MINUTE / 2);
    const { minutes, totals, connectedSince } = h.history.read();
    expect(minutes.up.slice(-3)).to.deep.equal([1, 0.5, 1]);
    expect(minutes.reconnects.slice(-3)).to.deep.equal([0, 0, 1]);
    expect(totals).to.deep.equal({ reconnects: 1, failures: 0 });
    expect(connectedSince).to.equal(START + 2 * MINUTE);
  });

  it('counts failed attempts per minute and since load, and knows since when the link is down', () => {
    const h = at();
    h.change('idle', 'connecting', 'connect');
    for (let i = 0; i < 3; i++) {
      h.change('connecting', 'reconnecting', 'handshake-failed');
      h.advance(20_000);
      h.change('reconnecting', 'connecting', 'retry');
    }
    h.change('connecting', 'refused', 'refused');
    const history = h.history.read();
    expect(history.minutes.failures.slice(-2)).to.deep.equal([3, 1]);
    expect(history.totals.failures).to.equal(4);
    expect(history.downSince).to.equal(START);
    expect(history.connectedSince).to.equal(undefined);
  });

  it('keeps the last 50 changes, the last 20 round trips and 60 minutes, however long it runs', () => {
    const h = at();
    for (let i = 0; i < 100_000; i++) {
      h.change('connecting', 'open');
      h.history.roundTrip(i % 97);
      h.advance(1000);
      h.change('open', 'connecting', 'connection-lost');
    }
    const history = h.history.read();
    expect(history.changes).to.have.length(50);
    expect(history.changes.at(-1)).to.deep.include({ state: 'connecting', at: h.now() });
    expect(history.roundTrips).to.have.length(20);
    expect(Object.values(history.minutes).filter(Array.isArray).map((list) => list.length)).to.deep.equal([60, 60, 60, 60]);
    expect(history.totals.reconnects).to.equal(99_999);
  });

  it('forgets minutes older than an hour', () => {
    const h = at();
    h.change('idle', 'connecting', 'connect');
    h.change('connecting', 'reconnecting', 'handshake-failed');
    h.advance(61 * MINUTE);
    const { minutes, totals } = h.history.read();
    expect(minutes.failures.every((count) => count === 0)).to.equal(true);
    expect(totals.failures).to.equal(1);
    expect(minutes.start).to.equal(Math.floor(h.now() / MINUTE) * MINUTE - 59 * MINUTE);
  });

  describe('on a live client', () => {
    let h: Harness;
    afterEach(() => h.restore());

    it('records state changes and heartbeat round trips', async () => {
      h = createHarness({ heartbeatInterval: 1000 });
      await h.open();
      await h.tick(1010);
      const history = h.client.history();
      expect(history.changes.map(({ state }) => state)).to.deep.equal(['connecting', 'open']);
      expect(history.roundTrips).to.have.length(1);
      expect(history.connectedSince).to.equal(Date.now() - 1010);
    });
  });
});
