import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { VisitLog, visitLogFor, type VisitChange, type VisitSource } from '../../src/core/visit-log.js';
import type { CheckIn } from '../../src/protocol/types.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { visit } from '../helpers/fixtures.js';

const BASE = Date.parse('2026-11-27T08:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(BASE + minutes * MINUTE).toISOString();

/** Visit `id` of member `member`, checked in at minute `inAt` (and out at minute `outAt`). */
function checkIn(id: string, member: string, inAt: number, outAt?: number): CheckIn {
  return { id, member: { id: member, full_name: `Member ${member}`, email: null }, location: 'Front desk', check_in_time: at(inAt), check_out_time: outAt === undefined ? null : at(outAt), notes: '' };
}

/** A log on a fixed clock (two hours after BASE), and what its listeners heard. */
function logWith(capacity?: number) {
  const log = new VisitLog({ now: () => BASE + 120 * MINUTE, ...(capacity ? { capacity } : {}) });
  const heard: VisitChange[] = [];
  log.subscribe((change) => heard.push(change));
  const ids = () => heard.map(({ visits, live }) => `${live ? 'live' : 'history'}:${visits.map((v) => `${v.checkIn.id}${v.out ? '-out' : ''}`).join(',')}`);
  return { log, heard, ids };
}

describe('VisitLog: the merge', () => {
  it('a check-out beats its check-in, in either order and whatever the clocks say', () => {
    const { log } = logWith();
    expect(log.checkedIn(checkIn('a', 'm1', 10))).to.equal(true);
    expect(log.checkedOut(checkIn('a', 'm1', 10, 50))).to.equal(true);
    expect(log.get('a')).to.deep.include({ out: true, at: BASE + 50 * MINUTE });
    // The late check-in changes nothing.
    expect(log.checkedIn(checkIn('a', 'm1', 10))).to.equal(false);
    expect(log.get('a')!.out).to.equal(true);
    // A check-out stamped before its check-in (a wrong clock) is still the later news.
    log.checkedIn(checkIn('b', 'm2', 30));
    expect(log.checkedOut(checkIn('b', 'm2', 30, 5))).to.equal(true);
    expect(log.get('b')!.out).to.equal(true);
  });

  it('an older state never overwrites a newer one; a later time of the same state is news', () => {
    const { log } = logWith();
    log.checkedIn(checkIn('a', 'm1', 20));
    expect(log.checkedIn(checkIn('a', 'm1', 15)), 'an older check-in').to.equal(false);
    expect(log.get('a')!.at).to.equal(BASE + 20 * MINUTE);
    expect(log.checkedIn(checkIn('a', 'm1', 25)), 'a corrected, later check-in').to.equal(true);
    expect(log.get('a')!.at).to.equal(BASE + 25 * MINUTE);
    log.checkedOut(checkIn('a', 'm1', 25, 60));
    expect(log.checkedOut(checkIn('a', 'm1', 25, 55)), 'an older check-out').to.equal(false);
    expect(log.get('a')!.at).to.equal(BASE + 60 * MINUTE);
  });

  it('a repeat is no news: listeners hear of each state once, even with a time that does not parse', () => {
    // A clock that moves: an unreadable time is not "now" again at each repeat.
    let now = BASE + 120 * MINUTE;
    const log = new VisitLog({ now: () => (now += 1000) });
    const ids: string[] = [];
    log.subscribe(({ visits }) => ids.push(...visits.map((v) => `live:${v.checkIn.id}`)));
    log.checkedIn(checkIn('a', 'm1', 10));
    expect(log.checkedIn(checkIn('a', 'm1', 10))).to.equal(false);
    expect(log.backfill([checkIn('a', 'm1', 10)])).to.equal(0);
    const garbled = { ...checkIn('b', 'm2', 0), check_in_time: 'yesterday' };
    expect(log.checkedIn(garbled)).to.equal(true);
    expect(log.checkedIn(garbled), 'its time is when it was first heard').to.equal(false);
    expect(ids).to.deep.equal(['live:a', 'live:b']);
  });

  it('lists the visits newest first, and times from a wrong clock below every real one', () => {
    const { log } = logWith();
    log.checkedIn(checkIn('early', 'm1', 10));
    log.checkedIn({ ...checkIn('future', 'm2', 0), check_in_time: '9999-12-31T23:59:00Z' });
    log.checkedIn({ ...checkIn('past', 'm3', 0), check_in_time: '1970-01-01T00:00:00Z' });
    log.checkedIn(checkIn('late', 'm4', 90));
    log.checkedOut(checkIn('early', 'm1', 10, 100));
    expect(log.newest().map((v) => v.checkIn.id)).to.deep.equal(['early', 'late', 'future', 'past']);
    expect(log.newest(2).map((v) => v.checkIn.id)).to.deep.equal(['early', 'late']);
  });

  it('property: in whatever order the events arrive, repeated or not, each visit ends in its newest state', () => {
    const event = fc.record({ id: fc.constantFrom('a', 'b', 'c'), out: fc.boolean(), minute: fc.integer({ min: 0, max: 59 }) });
    const orders = fc.array(event, { maxLength: 25 }).chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length })));
    fc.assert(
      fc.property(orders, ([events, shuffled]) => {
        const final = (list: typeof events) => {
          const log = new VisitLog({ now: () => BASE + 120 * MINUTE });
          for (const { id, out, minute } of [...list, ...list.slice(0, 3)]) {
            if (out) log.checkedOut(checkIn(id, `m-${id}`, 0, minute));
            else log.checkedIn(checkIn(id, `m-${id}`, minute));
          }
          return log.newest().map(({ checkIn: { id }, out, at }) => ({ id, out, at }));
        };
        // The newest state of each visit: any check-out beats every check-in, then the latest time.
        const expected = new Map<string, { id: string; out: boolean; at: number }>();
        for (const { id, out, minute } of events) {
          const state = { id, out, at: BASE + minute * MINUTE };
          const current = expected.get(id);
          if (!current || (out && !current.out) || (out === current.out && state.at > current.at)) expected.set(id, state);
        }
        const sorted = [...expected.values()].sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));
        const bySameOrder = (list: { id: string; at: number }[]) => [...list].sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : 1));
        expect(bySameOrder(final(events))).to.deep.equal(sorted);
        expect(bySameOrder(final(shuffled))).to.deep.equal(sorted);
      }),
      { numRuns: 300 },
    );
  });
});

describe('VisitLog: presence', () => {
  it('a member is in after a check-in (their visit), out after its check-out, unknown before either', () => {
    const { log } = logWith();
    expect(log.presence('m1')).to.equal(undefined);
    log.checkedIn(checkIn('a', 'm1', 10));
    expect(log.presence('m1')).to.equal('a');
    log.checkedOut(checkIn('a', 'm1', 10, 20));
    expect(log.presence('m1')).to.equal(null);
    expect(log.presence('m2')).to.equal(undefined);
  });

  it('a check-out sends the member out even when it states their check-in time differently', () => {
    const { log } = logWith();
    log.checkedIn(checkIn('a', 'm1', 10));
    // The same visit, its check-in time cut to the minute before (another serializer, say).
    log.checkedOut({ ...checkIn('a', 'm1', 9, 30) });
    expect(log.presence('m1')).to.equal(null);
  });

  it('follows the newest visit: a late check-out of an earlier visit does not send out a member who came back', () => {
    const { log } = logWith();
    log.checkedIn(checkIn('morning', 'm1', 10));
    log.checkedIn(checkIn('noon', 'm1', 60));
    log.checkedOut(checkIn('morning', 'm1', 10, 40));
    expect(log.presence('m1')).to.equal('noon');
    // History of an earlier visit, arriving after, changes nothing either.
    log.backfill([checkIn('dawn', 'm1', 0, 5)]);
    expect(log.presence('m1')).to.equal('noon');
    log.checkedOut(checkIn('noon', 'm1', 60, 90));
    expect(log.presence('m1')).to.equal(null);
  });

  it('takes what the server lists of a member (their open visit, else out) without adding those visits', () => {
    const { log, ids } = logWith();
    expect(log.memberVisits('m1', [checkIn('old', 'm1', 0, 5), checkIn('open', 'm1', 30)])).to.equal('open');
    expect(log.presence('m1')).to.equal('open');
    expect(log.memberVisits('m2', [checkIn('old2', 'm2', 0, 5)])).to.equal(null);
    expect(log.presence('m2')).to.equal(null);
    expect(log.memberVisits('m3', [])).to.equal(null);
    expect(log.presence('m3')).to.equal(null);
    expect(log.size, 'a member`s past is not shown').to.equal(0);
    expect(ids(), 'each change of presence told, with no visits').to.deep.equal(['history:', 'history:', 'history:']);
    // The same answer again is no news.
    log.memberVisits('m1', [checkIn('open', 'm1', 30)]);
    expect(ids()).to.have.length(3);
    // Later news about the member wins over the server's earlier word.
    log.checkedOut(checkIn('open', 'm1', 30, 50));
    expect(log.presence('m1')).to.equal(null);
  });

  it('learns from the open visit the server named, even when a later visit is on the list', () => {
    const { log } = logWith();
    // Left open yesterday (a forgotten check-out), and a visit today, closed.
    expect(log.memberVisits('m1', [checkIn('today', 'm1', 60, 70), checkIn('yesterday', 'm1', -1440)])).to.equal('yesterday');
    expect(log.presence('m1')).to.equal('yesterday');
    // Staff check the open visit out: the member is out.
    log.checkedOut(checkIn('yesterday', 'm1', -1440, 80));
    expect(log.presence('m1')).to.equal(null);
  });

  it('an answer about an older visit does not undo newer news', () => {
    const { log } = logWith();
    log.checkedIn(checkIn('noon', 'm1', 60));
    expect(log.memberVisits('m1', [checkIn('morning', 'm1', 10, 40)]), 'the server`s answer, returned as it is').to.equal(null);
    expect(log.presence('m1')).to.equal('noon');
    expect(log.memberVisits('m1', [checkIn('noon', 'm1', 60, 70)]), 'the same visit, now closed').to.equal(null);
    expect(log.presence('m1')).to.equal(null);
    log.checkedIn(checkIn('evening', 'm1', 100));
    log.memberVisits('m1', []);
    expect(log.presence('m1'), 'no visit at all says less than any visit').to.equal('evening');
  });
});

describe('VisitLog: backfill from history', () => {
  it('takes each visit in the state it says, tells what was news once, as history', () => {
    const { log, ids } = logWith();
    expect(log.backfill([checkIn('a', 'm1', 10), checkIn('b', 'm2', 20, 30)])).to.equal(2);
    expect(log.get('a')!.out).to.equal(false);
    expect(log.get('b')!.out).to.equal(true);
    expect([log.presence('m1'), log.presence('m2')]).to.deep.equal(['a', null]);
    expect(log.backfill([checkIn('a', 'm1', 10), checkIn('b', 'm2', 20, 30)]), 'the same history again').to.equal(0);
    expect(log.checkedIn(checkIn('a', 'm1', 10)), 'the live event of a visit the history had').to.equal(false);
    expect(ids()).to.deep.equal(['history:a,b-out']);
  });

  it('fills what the live events missed, and never undoes them', () => {
    const { log, ids } = logWith();
    log.checkedIn(checkIn('a', 'm1', 10));
    log.checkedOut(checkIn('b', 'm2', 20, 40));
    // The history still has b open (it was taken before the check-out) and a checked out since.
    expect(log.backfill([checkIn('a', 'm1', 10, 50), checkIn('b', 'm2', 20), checkIn('c', 'm3', 30)])).to.equal(2);
    expect(log.get('a')!.out).to.equal(true);
    expect(log.get('b')!.out).to.equal(true);
    expect(ids()).to.deep.equal(['live:a', 'live:b-out', 'history:a-out,c']);
  });

  it('a list naming one visit twice (its check-in and its check-out) tells it once, checked out', () => {
    const { log, heard } = logWith();
    expect(log.backfill([checkIn('a', 'm1', 10), checkIn('a', 'm1', 10, 20)])).to.equal(1);
    expect(heard.map(({ visits }) => visits.map((v) => [v.checkIn.id, v.out]))).to.deep.equal([[['a', true]]]);
  });
});

describe('VisitLog: bounded for a page open for weeks', () => {
  it('holds at most its capacity and a quarter (1,250) however many visits pass, keeping the newest', () => {
    const { log, heard } = logWith();
    let most = 0;
    for (let n = 1; n <= 100_000; n++) {
      log.checkedIn({ ...visit(n), check_in_time: new Date(BASE - 100_000 * 1000 + n * 1000).toISOString() });
      most = Math.max(most, log.size);
    }
    expect(most).to.be.within(1000, 1250);
    expect(log.newest(3).map((v) => v.checkIn.id)).to.deep.equal(['visit-100000', 'visit-99999', 'visit-99998']);
    expect(log.get('visit-1')).to.equal(undefined);
    expect(heard).to.have.length(100_000);
  });

  it('lets go of the visits that would show last: wrong clocks, then the oldest; a news item let go is not told', () => {
    const { log, ids } = logWith(4);
    log.checkedIn({ ...checkIn('future', 'm0', 0), check_in_time: '9999-12-31T23:59:00Z' });
    for (let n = 1; n <= 3; n++) log.checkedIn(checkIn(`v${n}`, `m${n}`, n * 10));
    // The fifth visit makes it trim back to four: the year 9999 goes.
    log.checkedIn(checkIn('v4', 'm4', 40));
    expect(log.newest().map((v) => v.checkIn.id)).to.deep.equal(['v4', 'v3', 'v2', 'v1']);
    // One older than all it keeps is let go at once, and not told.
    log.checkedIn(checkIn('ancient', 'm5', 1));
    expect(log.get('ancient')).to.equal(undefined);
    expect(ids().at(-1)).to.equal('live:v4');
  });

  it('keeps the presence of the members whose presence changed last', () => {
    const { log } = logWith(3);
    for (const member of ['m1', 'm2', 'm3']) log.memberVisits(member, [checkIn(`open-${member}`, member, 10)]);
    // m1 changes again: now m2 is the one longest unchanged.
    log.checkedOut(checkIn('open-m1', 'm1', 10, 20));
    log.checkedIn(checkIn('v4', 'm4', 30));
    expect(['m1', 'm2', 'm3', 'm4'].map((member) => log.presence(member))).to.deep.equal([null, undefined, 'open-m3', 'v4']);
  });
});

describe('VisitLog: listeners', () => {
  it('hear every change until they stop, each on its own', () => {
    const log = new VisitLog();
    const heard: string[] = [];
    const listener = (change: VisitChange) => heard.push(change.visits[0]!.checkIn.id);
    const stopFirst = log.subscribe(listener);
    const stopSecond = log.subscribe(listener);
    log.checkedIn(checkIn('a', 'm1', 10));
    stopFirst();
    stopFirst();
    log.checkedIn(checkIn('b', 'm2', 10));
    stopSecond();
    log.checkedIn(checkIn('c', 'm3', 10));
    expect(heard).to.deep.equal(['a', 'a', 'b']);
  });

  it('a listener that throws does not keep the change from the others; its error is thrown after them', () => {
    const log = new VisitLog();
    const heard: string[] = [];
    log.subscribe(() => {
      throw new Error('first');
    });
    log.subscribe(() => {
      throw new Error('second');
    });
    log.subscribe((change) => heard.push(change.visits[0]!.checkIn.id));
    expect(() => log.checkedIn(checkIn('a', 'm1', 10))).to.throw('first');
    expect(heard).to.deep.equal(['a']);
    expect(log.get('a'), 'the change is made').to.not.equal(undefined);
  });

  it('is fed by its source only while someone listens', () => {
    let started = 0;
    let stopped = 0;
    const log = new VisitLog({
      source: () => {
        started++;
        return () => stopped++;
      },
    });
    expect(started, 'nobody listens yet').to.equal(0);
    const stopFirst = log.subscribe(() => {});
    const stopSecond = log.subscribe(() => {});
    expect([started, stopped]).to.deep.equal([1, 0]);
    stopFirst();
    stopFirst();
    expect(stopped, 'one listener is left').to.equal(0);
    stopSecond();
    stopSecond();
    expect([started, stopped], 'stopped once').to.deep.equal([1, 1]);
    log.subscribe(() => {})();
    expect([started, stopped]).to.deep.equal([2, 2]);
  });
});

describe('visitLogFor', () => {
  let h: Harness | undefined;
  afterEach(() => {
    h?.restore();
    h = undefined;
  });

  it('gives one log per client, made on first use', () => {
    const fake = (): VisitSource => ({ subscribe: () => () => {} }) as unknown as VisitSource;
    const [one, other] = [fake(), fake()];
    expect(visitLogFor(one)).to.equal(visitLogFor(one));
    expect(visitLogFor(one)).to.not.equal(visitLogFor(other));
  });

  it('feeds the log from the client`s check-ins and check-outs while it has listeners, and holds no subscription after', async () => {
    h = createHarness();
    await h.open();
    const log = visitLogFor(h.client);
    const heard: string[] = [];
    const stop = log.subscribe(({ visits, live }) => heard.push(...visits.map((v) => `${live ? 'live' : 'history'}:${v.checkIn.id}:${v.out ? 'out' : 'in'}`)));
    const one = visit(1);
    // The sender's reply and the broadcast are one check-in (the client says so once); a check-out follows.
    h.gym.send({ type: 'check_in_success', payload: one });
    h.gym.send({ type: 'member_checked_in', payload: one });
    h.gym.send({ type: 'member_checked_out', payload: { ...one, check_out_time: new Date().toISOString() } });
    await h.tick(4);
    expect(heard).to.deep.equal(['live:visit-1:in', 'live:visit-1:out']);
    expect(log.presence(one.member.id)).to.equal(null);
    stop();
    h.gym.send({ type: 'member_checked_in', payload: visit(2) });
    await h.tick(4);
    expect(log.get('visit-2'), 'not fed while nobody listens').to.equal(undefined);
    log.subscribe(() => {});
    h.gym.send({ type: 'member_checked_in', payload: visit(3) });
    await h.tick(4);
    expect(log.presence(visit(3).member.id)).to.equal('visit-3');
  });

  it('a listener that throws is reported by the client as a subscriber`s error, and the others still hear', async () => {
    h = createHarness();
    await h.open();
    const errors: unknown[] = [];
    h.client.on('error', (event) => errors.push(event));
    const log = visitLogFor(h.client);
    const heard: string[] = [];
    log.subscribe(() => {
      throw new Error('broken listener');
    });
    log.subscribe(({ visits }) => heard.push(visits[0]!.checkIn.id));
    h.gym.send({ type: 'member_checked_in', payload: visit(1) });
    await h.tick(4);
    expect(heard).to.deep.equal(['visit-1']);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.deep.include({ source: 'subscriber', type: 'member_checked_in' });
  });
});
