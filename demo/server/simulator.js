/**
 * Members arriving and leaving on their own, so the demo is alive without
 * anyone at the desk. Each event is a real check-in or check-out of the gym,
 * broadcast as the server would broadcast a desk's.
 */

/**
 * Where check-ins come from. The kiosk sends no location and no notes: the real
 * server keeps those nullable columns NULL and sends `null` in its broadcasts
 * and REST history, so the demo does too.
 * @type {{ location: string | null, notes?: null }[]}
 */
const DESKS = [{ location: 'Front desk' }, { location: 'Side door' }, { location: 'Pool entrance' }, { location: null, notes: null }];

/**
 * @param {import('./gym.js').Gym} gym
 * @param {(type: 'check_in' | 'check_out', payload: object) => void} act performs one check-in or check-out as a client would
 * @param {{ eventsPerMinute?: number, random?: () => number }} [options]
 * @returns {() => void} stops the simulation
 */
export function startSimulation(gym, act, { eventsPerMinute = 12, random = Math.random } = {}) {
  if (!(eventsPerMinute > 0)) return () => {};
  const pick = (/** @type {any[]} */ list) => list[Math.floor(random() * list.length)];
  const timer = setInterval(() => {
    const absent = gym.absentMembers();
    const open = gym.openVisits();
    // Keep the gym between a quarter and three quarters full.
    const arrive = absent.length > 0 && (open.length < gym.members.size / 4 || (open.length < (gym.members.size * 3) / 4 && random() < 0.55));
    if (arrive) act('check_in', { memberId: pick(absent).id, ...pick(DESKS) });
    else if (open.length > 0) act('check_out', { checkInId: pick(open).id });
  }, 60_000 / eventsPerMinute);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A believable morning: visits over the last hours, most of them finished,
 * so the feed, the stats and the history have something to show at once.
 * @param {import('./gym.js').Gym} gym
 * @param {{ visits?: number, random?: () => number }} [options]
 */
export function seedMorning(gym, { visits = 14, random = Math.random } = {}) {
  const members = [...gym.members.values()].slice(4);
  const now = gym.now().getTime();
  for (let i = 0; i < visits && i < members.length; i++) {
    const member = /** @type {{ id: string }} */ (members[i]);
    const start = now - (visits - i) * 9 * 60_000 - Math.floor(random() * 5 * 60_000);
    const stay = (35 + Math.floor(random() * 50)) * 60_000;
    const end = start + stay < now - 60_000 ? new Date(start + stay) : null;
    const { location, notes } = /** @type {typeof DESKS[number]} */ (DESKS[i % DESKS.length]);
    gym.addPastVisit(member.id, new Date(start), end, location, notes);
  }
}
