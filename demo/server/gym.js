import { randomUUID } from 'node:crypto';

/**
 * @typedef {{ id: string, full_name: string, email: string | null, membership_type: string, phone?: string, address?: string, status?: string, image?: string | null, notes?: string, created_at?: string }} Member
 *   `image`: the photo's path under the media root (`member_images/….svg`), or null
 * @typedef {{ id: string, memberId: string, location: string | null, check_in_time: string, check_out_time: string | null, notes: string | null }} Visit
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Django's isoformat() of an aware UTC datetime: microseconds and `+00:00`. */
export const isoTime = (/** @type {Date} */ date) => date.toISOString().replace('Z', '000+00:00');

/**
 * The gym's time zone, which says when "today" begins: an IANA name (`Europe/Berlin`), checked and
 * canonicalised; without one, the machine's. `setting` names where it came from in the error.
 * @param {string | undefined} name
 */
export function gymTimeZone(name, setting = 'timeZone') {
  if (!name) return new Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new RangeError(`${setting} must be an IANA time zone name such as Europe/Berlin or America/New_York, not ${JSON.stringify(name)}`);
  }
}

/** Members of the seeded roster: varied on purpose (scripts, lengths, diacritics). */
const NAMES = [
  'Alice Example', 'Bob Example', 'Carol Example', 'Dave Example',
  'Zoë Ångström', 'Яна Кузнецова', '山田 花子', 'محمد العلي', 'Maximilian Alexander von Hohenzollern-Sigmaringen',
  'Priya Raghunathan', 'Mateo García', 'Aoife Ní Bhriain', 'Kwame Mensah', 'Léa Dubois', 'Oğuz Yılmaz',
  'Nguyễn Thị Mai', 'Søren Kierkegaard-Holm', 'Fatima Zahra Benali', 'Chen Wei', 'Isabella Rossi',
  'Dmitri Ivanovich Petrov', 'אורי כהן', 'Siobhan O’Connell', 'Lars Eriksson', 'Amara Okafor',
  'Rafael Souza', 'Hana Novák', 'Kenji Watanabe', 'Ana-Maria Popescu', 'Tomás Ó Súilleabháin',
  'Ελένη Παπαδοπούλου', 'Joaquín de la Cruz y Mendoza', 'Ingrid Bjørnstad', 'Ravi Shankar Iyer', 'Emma Schmidt',
  '김민준', 'Olusegun Adeyemi', 'Camille Laurent', 'Wiremu Tāne', 'Grace Hopper-Lovelace',
];

/** Members whose membership has lapsed (`status: 'inactive'`): the front desk flags them before a check-in. */
const INACTIVE = new Set(['Lars Eriksson', 'Grace Hopper-Lovelace']);

/**
 * Seeded roster; ids follow the recorded transcripts (`…-000000000001` is Alice Example). Phones are
 * from the range kept for drama (+44 7700 900xxx); every other member has a photo (Alice does, Bob not).
 */
export const DEFAULT_MEMBERS = NAMES.map((full_name, index) => {
  const id = `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;
  return {
    id,
    full_name,
    email: null,
    membership_type: index % 3 === 0 ? 'premium' : 'standard',
    phone: `+447700900${String(index + 1).padStart(3, '0')}`,
    address: `${index + 1} Harbour Street`,
    status: INACTIVE.has(full_name) ? 'inactive' : 'active',
    image: index % 2 === 0 ? `member_images/${id}.svg` : null,
    notes: '',
    created_at: new Date(Date.UTC(2025, 0, 6 + index, 9)).toISOString().replace('.000Z', 'Z'),
  };
});

/** Django's `icontains` on SQLite (the AV-Gym settings): `LIKE`, which folds case for A–Z only. */
const fold = (/** @type {string} */ text) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** The state of one gym and its rules, answering with the real server's error texts. */
export class Gym {
  /** @type {Map<string, Member>} */ members = new Map();
  /** @type {Map<string, Visit>} */ visits = new Map();

  /** @type {{ date: string, start: string } | undefined} the start of the last day asked about */
  #today;

  /** @param {{ members?: Member[], now?: () => Date, timeZone?: string }} [options] */
  constructor({ members = DEFAULT_MEMBERS, now = () => new Date(), timeZone = undefined } = {}) {
    for (const member of members) this.members.set(member.id, { ...member });
    this.now = now;
    this.timeZone = gymTimeZone(timeZone);
    this.dates = new Intl.DateTimeFormat('en', { timeZone: this.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  /** The gym's calendar date at `time`, as `YYYY-MM-DD` (so that dates sort as strings). */
  localDate(/** @type {number} */ time) {
    const parts = Object.fromEntries(this.dates.formatToParts(time).map(({ type, value }) => [type, value]));
    return `${parts.year}-${parts.month}-${parts.day}`;
  }

  /**
   * When the gym's day that contains `now` began, as an `isoTime`. Found by bisection rather than
   * from an offset, because the offset at `now` is not the offset at midnight on the days clocks change.
   */
  startOfDay(/** @type {Date} */ now) {
    const date = this.localDate(now.getTime());
    if (this.#today?.date !== date) {
      // No calendar day is 48 h long: it began after `before` and no later than `now`.
      let before = now.getTime() - 48 * 3600_000;
      let start = now.getTime();
      while (start - before > 1) {
        const middle = Math.floor((before + start) / 2);
        if (this.localDate(middle) < date) before = middle;
        else start = middle;
      }
      this.#today = { date, start: isoTime(new Date(start)) };
    }
    return this.#today.start;
  }

  /**
   * @param {unknown} payload what the client sent as `payload`
   * @returns {{ ok: true, visit: Visit } | { ok: false, error: string }}
   */
  checkIn(payload) {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return { ok: false, error: 'Internal server error during check-in' };
    }
    const { memberId, location, notes } = /** @type {Record<string, unknown>} */ (payload);
    if (typeof memberId === 'string' && !UUID.test(memberId)) return { ok: false, error: 'Member not found' };
    const member = typeof memberId === 'string' ? this.members.get(memberId) : undefined;
    if (!member) return { ok: false, error: 'Member matching query does not exist.' };
    for (const visit of this.visits.values()) {
      if (visit.memberId === member.id && visit.check_out_time === null) {
        return { ok: false, error: `${member.full_name} is already checked in` };
      }
    }
    /** @type {Visit} */
    const visit = {
      id: randomUUID(),
      memberId: member.id,
      // Nullable columns, as on the real server: a `null` sent is stored, broadcast and listed as null.
      location: location === null ? null : typeof location === 'string' && location ? location.slice(0, 100) : 'Unknown',
      check_in_time: isoTime(this.now()),
      check_out_time: null,
      notes: notes === null ? null : typeof notes === 'string' ? notes.slice(0, 500) : '',
    };
    this.visits.set(visit.id, visit);
    return { ok: true, visit };
  }

  /**
   * @param {unknown} payload
   * @returns {{ ok: true, visit: Visit } | { ok: false, error: string }}
   */
  checkOut(payload) {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return { ok: false, error: 'Internal server error' };
    }
    const { checkInId, notes } = /** @type {Record<string, unknown>} */ (payload);
    if (typeof checkInId === 'string' && !UUID.test(checkInId)) return { ok: false, error: 'Internal server error' };
    const visit = typeof checkInId === 'string' ? this.visits.get(checkInId) : undefined;
    if (!visit || visit.check_out_time !== null) return { ok: false, error: 'Check-in not found or already checked out' };
    visit.check_out_time = isoTime(this.now());
    if (typeof notes === 'string' && notes) visit.notes = `Check-out: ${notes.slice(0, 500)}`;
    return { ok: true, visit };
  }

  /** Members not in the gym right now. */
  absentMembers() {
    const present = new Set(this.openVisits().map((visit) => visit.memberId));
    return [...this.members.values()].filter((member) => !present.has(member.id));
  }

  /** Visits still in progress. */
  openVisits() {
    return [...this.visits.values()].filter((visit) => visit.check_out_time === null);
  }

  /**
   * Adds a finished or ongoing visit in the past (to seed the demo with a believable morning).
   * @param {string} memberId @param {Date} checkIn @param {Date | null} checkOut
   * @param {string | null} [location] @param {string | null} [notes]
   */
  addPastVisit(memberId, checkIn, checkOut, location = 'Front desk', notes = '') {
    /** @type {Visit} */
    const visit = {
      id: randomUUID(),
      memberId,
      location,
      check_in_time: isoTime(checkIn),
      check_out_time: checkOut ? isoTime(checkOut) : null,
      notes,
    };
    this.visits.set(visit.id, visit);
    return visit;
  }

  /** The socket shape of a visit (`check_out_time` only once set). */
  toSocket(/** @type {Visit} */ visit) {
    const member = /** @type {Member} */ (this.members.get(visit.memberId));
    const { id, location, check_in_time, check_out_time, notes } = visit;
    return {
      id,
      member: { id: member.id, full_name: member.full_name, email: member.email },
      location,
      check_in_time,
      ...(check_out_time === null ? {} : { check_out_time }),
      notes,
    };
  }

  /** `GET /api/checkins/recent/`: at most 20 visits of the last 24 h, newest first, in the REST shape. */
  recent() {
    const since = this.now().getTime() - 24 * 3600_000;
    return [...this.visits.values()]
      .filter((visit) => Date.parse(visit.check_in_time) >= since)
      .sort((a, b) => Date.parse(b.check_in_time) - Date.parse(a.check_in_time))
      .slice(0, 20)
      .map((visit) => this.toRest(visit));
  }

  /** A visit as AV-Gym's `CheckInSerializer` writes it (REST times end in `Z`). */
  toRest(/** @type {Visit} */ visit) {
    const member = /** @type {Member} */ (this.members.get(visit.memberId));
    return {
      id: visit.id,
      member: { id: member.id, full_name: member.full_name, membership_type: member.membership_type },
      check_in_time: visit.check_in_time.replace('+00:00', 'Z'),
      check_out_time: visit.check_out_time?.replace('+00:00', 'Z') ?? null,
      location: visit.location,
      notes: visit.notes,
    };
  }

  /**
   * `GET /api/members/search/?q=`: as `MemberViewSet.search` answers — `[]` for an empty `q`, else the
   * first 10 members (in roster order: the model has no ordering) whose name, phone or id contains
   * `q`. As on the real server's SQLite: case folds for A–Z only, and hyphens in `q` are ignored
   * against the id (Django strips them for a UUID stored as 32 hex digits).
   * @param {string} q @param {string} origin where photos are served, for absolute URLs as DRF builds them
   */
  searchMembers(q, origin) {
    if (!q) return [];
    const text = fold(q);
    const hex = text.replaceAll('-', '');
    return [...this.members.values()]
      .filter((m) => fold(m.full_name).includes(text) || fold(m.phone ?? '').includes(text) || m.id.replaceAll('-', '').includes(hex))
      .slice(0, 10)
      .map((m) => this.toRestMember(m, origin));
  }

  /** A member as AV-Gym's `MemberSerializer` writes it; `image` and `image_url` are absolute URLs or null. */
  toRestMember(/** @type {Member} */ member, /** @type {string} */ origin) {
    const photo = member.image ? `${origin}/media/${member.image}` : null;
    const created = member.created_at ?? '2025-01-06T09:00:00Z';
    return {
      id: member.id,
      full_name: member.full_name,
      phone: member.phone ?? '',
      address: member.address ?? '',
      status: member.status ?? 'active',
      image: photo,
      image_url: photo,
      notes: member.notes ?? '',
      created_at: created,
      updated_at: created,
    };
  }

  /**
   * `GET /api/checkins/checkins/?member=&date=`: the visits of one member (all visits without
   * `member`), on one UTC day with `date`, in the order they were made (no ordering on the model,
   * no pagination on that list). Undefined where the real server fails with a 500: a `member` that
   * is no UUID, a `date` that is no date (Django's ValidationError, which DRF does not catch).
   * @param {string | null} memberId @param {string | null} date
   */
  visitsOf(memberId, date) {
    if ((memberId && !UUID.test(memberId)) || (date && !/^\d{4}-\d{2}-\d{2}$/.test(date))) return undefined;
    return [...this.visits.values()]
      .filter((visit) => (!memberId || visit.memberId === memberId.toLowerCase()) && (!date || visit.check_in_time.startsWith(date)))
      .map((visit) => this.toRest(visit));
  }

  /** The seeded photo at `path` under the media root: initials on a colour of the member's, as SVG. */
  photo(/** @type {string} */ path) {
    const member = [...this.members.values()].find((m) => m.image === path);
    if (!member) return undefined;
    const initials = member.full_name.split(/\s+/).map((word) => [...word][0]).slice(0, 2).join('');
    const hue = (Number.parseInt(member.id.slice(-4), 16) * 47) % 360;
    const escaped = initials.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="hsl(${hue} 45% 42%)"/><text x="32" y="41" font-family="sans-serif" font-size="24" fill="#fff" text-anchor="middle">${escaped}</text></svg>`;
  }

  /**
   * Currently in, today's total and the average stay of today's finished visits, "today" being the
   * gym's day in its time zone. (The AV-Gym server counts from midnight UTC, which after midnight UTC
   * shows more members in than came in "today"; a gym counts by its own clock.)
   */
  stats() {
    const now = this.now();
    // isoTime strings are all UTC and of one width: they sort as the times they stand for.
    const today = this.startOfDay(now);
    let currentlyIn = 0;
    let todayTotal = 0;
    let stayed = 0;
    let finished = 0;
    for (const visit of this.visits.values()) {
      if (visit.check_out_time === null) currentlyIn++;
      if (visit.check_in_time >= today) {
        todayTotal++;
        if (visit.check_out_time !== null) {
          stayed += Date.parse(visit.check_out_time) - Date.parse(visit.check_in_time);
          finished++;
        }
      }
    }
    const averageStayMinutes = finished ? Math.round(stayed / finished / 60_000) : 0;
    return { currentlyIn, todayTotal, averageStayMinutes, timestamp: isoTime(now) };
  }
}
