import { NAMES_MODES, shownName, type NamesMode } from '../../src/protocol/names.js';
import type { CheckIn, GymStats } from '../../src/protocol/types.js';

/** How a member's name reaches the public (see `NamesMode`); the gateway's default is `first`. */
export { NAMES_MODES, type NamesMode };

/**
 * Optional fields that pass only when listed (`--fields`). Everything else is always removed or
 * replaced: `member.id` becomes "" unless `member_id` is listed, and `email`, `notes`, `location`,
 * `membership_type` become null (the protocol's "absent") unless listed. The visit id and the
 * check-in and check-out times always pass: the feed needs them.
 */
export type Field = 'location' | 'notes' | 'email' | 'membership_type' | 'member_id';
export const FIELDS: readonly Field[] = ['location', 'notes', 'email', 'membership_type', 'member_id'];

export interface RedactionPolicy {
  names: NamesMode;
  fields: ReadonlySet<Field>;
  anonymousName: string;
}

/** A visit as the gateway keeps and sends it: a valid AV-Gym check-in object with the redaction applied. */
export interface PublicVisit {
  id: string;
  member: { id: string; full_name: string; email: string | null; membership_type: string | null };
  location: string | null;
  check_in_time: string;
  check_out_time: string | null;
  notes: string | null;
}

/** The name as `mode` shows it: the same rule as the feed's `names` attribute. */
export const redactName = (fullName: string, mode: NamesMode, anonymousName = 'Member'): string => shownName(fullName, mode, anonymousName);

/**
 * Builds the public copy of a decoded visit field by field (nothing is copied wholesale, so a
 * field AV-Gym adds later never leaks through).
 */
export function redactVisit(visit: CheckIn, policy: RedactionPolicy): PublicVisit {
  const { fields } = policy;
  const { member } = visit;
  return {
    id: visit.id,
    member: {
      id: fields.has('member_id') ? member.id : '',
      full_name: redactName(member.full_name, policy.names, policy.anonymousName),
      email: fields.has('email') ? (member.email ?? null) : null,
      membership_type: fields.has('membership_type') ? (member.membership_type ?? null) : null,
    },
    location: fields.has('location') ? visit.location : null,
    check_in_time: visit.check_in_time,
    check_out_time: visit.check_out_time ?? null,
    notes: fields.has('notes') ? visit.notes : null,
  };
}

/** The socket shape (`member_checked_in` / `member_checked_out`): `check_out_time` only once set, as AV-Gym sends it. */
export function socketShape(visit: PublicVisit): Record<string, unknown> {
  const { id, full_name, email, membership_type } = visit.member;
  return {
    id: visit.id,
    member: membership_type === null ? { id, full_name, email } : { id, full_name, email, membership_type },
    location: visit.location,
    check_in_time: visit.check_in_time,
    ...(visit.check_out_time === null ? {} : { check_out_time: visit.check_out_time }),
    notes: visit.notes,
  };
}

/** UTC times as the REST API writes them (`Z`, where the socket writes `+00:00`). */
const restTime = (time: string) => time.replace(/\+00:00$/, 'Z');

/** The REST shape (`GET /api/checkins/recent/`): the member carries `membership_type`, never `email`. */
export function restShape(visit: PublicVisit): Record<string, unknown> {
  const { id, full_name, membership_type } = visit.member;
  return {
    id: visit.id,
    member: { id, full_name, membership_type },
    check_in_time: restTime(visit.check_in_time),
    check_out_time: visit.check_out_time === null ? null : restTime(visit.check_out_time),
    location: visit.location,
    notes: visit.notes,
  };
}

/** What the public sees of a figures failure: AV-Gym's own `error` text can hold a traceback with names. */
export const STATS_FAILED = 'Stats calculation failed';

/**
 * The public copy of the figures, field by field: the three numbers and the time, and a fixed
 * word in place of whatever `error` AV-Gym wrote.
 */
export function publicStats(stats: GymStats): GymStats {
  const { currentlyIn, todayTotal, averageStayMinutes, timestamp } = stats;
  return { currentlyIn, todayTotal, averageStayMinutes, ...(timestamp === undefined ? {} : { timestamp }), ...(stats.error === undefined ? {} : { error: STATS_FAILED }) };
}
