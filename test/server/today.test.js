import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Gym, gymTimeZone } from '../../demo/server/gym.js';
import { seedMorning } from '../../demo/server/simulator.js';
import { accessToken, member, open, startServer } from './helpers.js';

/**
 * A gym in `timeZone` whose clock reads `now`; `visits` are [check-in, check-out or null]. All times ISO.
 * @param {string} timeZone @param {string} now @param {[string, string | null][]} visits
 */
function gymAt(timeZone, now, visits) {
  const gym = new Gym({ timeZone, now: () => new Date(now) });
  visits.forEach(([checkIn, checkOut], i) => gym.addPastVisit(member(i + 1), new Date(checkIn), checkOut ? new Date(checkOut) : null));
  return gym;
}

const figures = (/** @type {Gym} */ gym) => {
  const { currentlyIn, todayTotal, averageStayMinutes } = gym.stats();
  return { currentlyIn, todayTotal, averageStayMinutes };
};

describe('local gym server: "today" is the gym\'s day in its time zone, not the UTC day', () => {
  it('just after midnight UTC in New York (19:30 the day before there), the evening\'s visits still count as today', () => {
    const gym = gymAt('America/New_York', '2026-11-27T00:30:00Z', [
      ['2026-11-26T15:00:00Z', '2026-11-26T16:00:00Z'], // 10:00–11:00 in New York
      ['2026-11-26T23:00:00Z', null], // 18:00, still in
      ['2026-11-27T00:10:00Z', null], // 19:10, still in
      ['2026-11-26T04:00:00Z', '2026-11-26T05:30:00Z'], // 23:00 the evening before: yesterday there
    ]);
    assert.deepEqual(figures(gym), { currentlyIn: 2, todayTotal: 3, averageStayMinutes: 60 });
  });

  it('just after midnight in Berlin (23:30 UTC), yesterday evening no longer counts', () => {
    const gym = gymAt('Europe/Berlin', '2026-11-26T23:30:00Z', [
      ['2026-11-26T23:10:00Z', null], // 00:10 in Berlin: today
      ['2026-11-26T22:50:00Z', '2026-11-26T23:20:00Z'], // 23:50 the day before
      ['2026-11-26T10:00:00Z', '2026-11-26T11:00:00Z'],
    ]);
    assert.deepEqual(figures(gym), { currentlyIn: 1, todayTotal: 1, averageStayMinutes: 0 });
  });

  it('on the day clocks go forward, the day began at midnight before the change (UTC+1), not at an offset of UTC+2', () => {
    const gym = gymAt('Europe/Berlin', '2026-03-29T10:00:00Z', [
      ['2026-03-28T22:59:00Z', '2026-03-28T23:10:00Z'], // 23:59 on the 28th
      ['2026-03-28T23:00:00Z', '2026-03-28T23:45:00Z'], // 00:00 on the 29th
      ['2026-03-29T08:00:00Z', null],
    ]);
    assert.deepEqual(figures(gym), { currentlyIn: 1, todayTotal: 2, averageStayMinutes: 45 });
    assert.equal(gym.startOfDay(gym.now()), '2026-03-28T23:00:00.000000+00:00');
  });

  it('a new day starts the count again, with the same gym', () => {
    let now = '2026-11-26T22:00:00Z'; // 17:00 in New York
    const gym = new Gym({ timeZone: 'America/New_York', now: () => new Date(now) });
    gym.addPastVisit(member(1), new Date('2026-11-26T21:00:00Z'), null);
    assert.equal(gym.stats().todayTotal, 1);
    now = '2026-11-27T05:30:00Z'; // 00:30 the next day there
    assert.equal(gym.stats().todayTotal, 0);
    assert.equal(gym.stats().currentlyIn, 1);
  });

  it('the seeded morning is placed by the gym\'s clock, not the machine\'s', () => {
    const gym = new Gym({ timeZone: 'America/New_York', now: () => new Date('2026-11-26T17:00:00Z') });
    seedMorning(gym, { random: () => 0.5 });
    const times = [...gym.visits.values()].map((visit) => Date.parse(visit.check_in_time));
    assert.ok(times.every((time) => time < Date.parse('2026-11-26T17:00:00Z') && time > Date.parse('2026-11-26T14:00:00Z')));
    assert.equal(gym.stats().todayTotal, 14);
  });

  it('the socket\'s stats use the gym\'s time zone, and /control/reset keeps it and the clock', async () => {
    const gym = gymAt('America/New_York', '2026-11-27T00:30:00Z', [['2026-11-26T23:00:00Z', null]]);
    const server = await startServer({ gym });
    try {
      const a = await open(`${server.socketUrl}?token=${await accessToken(server)}`);
      assert.deepEqual((await a.nextMessage()).payload, { currentlyIn: 1, todayTotal: 1, averageStayMinutes: 0, timestamp: '2026-11-27T00:30:00.000000+00:00' });
      a.ws.close();
      await fetch(`${server.origin}/control/reset`, { method: 'POST' });
      assert.equal(server.gym.timeZone, 'America/New_York');
      assert.equal(server.gym.stats().timestamp, '2026-11-27T00:30:00.000000+00:00');
    } finally {
      await server.close();
    }
  });
});

describe('local gym server: choosing the time zone', () => {
  it('defaults to the machine\'s time zone', () => {
    assert.equal(new Gym().timeZone, new Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.equal(gymTimeZone(''), new Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('takes IANA names as written in any case, and canonicalises them', () => {
    assert.equal(gymTimeZone('europe/berlin'), 'Europe/Berlin');
    assert.equal(new Gym({ timeZone: 'Asia/Tokyo' }).timeZone, 'Asia/Tokyo');
  });

  it('rejects what is not a time zone with a message naming the setting and the value', () => {
    assert.throws(() => new Gym({ timeZone: 'Mars/Olympus_Mons' }), {
      name: 'RangeError',
      message: 'timeZone must be an IANA time zone name such as Europe/Berlin or America/New_York, not "Mars/Olympus_Mons"',
    });
  });

  it('npm start with an invalid GYM_TIME_ZONE says so in one line and exits 1 without starting', { timeout: 20_000 }, async (t) => {
    const main = fileURLToPath(new URL('../../demo/server/main.js', import.meta.url));
    const child = spawn(process.execPath, [main], { env: { ...process.env, GYM_TIME_ZONE: 'CET+1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    // Should it start after all, the test times out: stop the server it started.
    t.after(() => child.kill());
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(stderr, 'GYM_TIME_ZONE must be an IANA time zone name such as Europe/Berlin or America/New_York, not "CET+1"\n');
    assert.equal(stdout, '');
    assert.equal(code, 1);
  });

  it('npm start prints every address a snippet needs, and each answers', { timeout: 30_000 }, async (t) => {
    const main = fileURLToPath(new URL('../../demo/server/main.js', import.meta.url));
    // PORT unset: the demo takes the next free port from 8080.
    const env = { ...process.env };
    delete env.PORT;
    const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => child.kill());
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    await new Promise((resolve, reject) => {
      child.stdout.on('data', () => stdout.includes('Ctrl-C stops') && resolve(undefined));
      child.once('exit', (code) => reject(new Error(`the demo exited with ${code}: ${stdout}`)));
    });
    const address = (/** @type {string} */ name) => {
      const found = new RegExp(`^\\s+${name}\\s+(\\S+)`, 'm').exec(stdout)?.[1];
      assert.ok(found, `${name} is not printed`);
      return found;
    };
    const token = await fetch(address('token-url'));
    assert.equal(token.status, 200);
    const history = await fetch(address('history-url'), { headers: { Authorization: `Bearer ${(await token.json()).access}` } });
    assert.equal(history.status, 200);
    assert.ok(Array.isArray(await history.json()));
    assert.equal((await fetch(address('script'))).status, 200);
    assert.match(address('url'), /^ws:\/\/localhost:\d+\/ws\/checkins\/$/);
  });
});
