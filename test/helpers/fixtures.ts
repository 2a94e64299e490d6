import type { CheckIn, GymStats } from '../../src/protocol/types.js';

/**
 * Builders for what the gym sends and is sent, shared by every browser test.
 * The numbering matches the local gym server's seeded members: `member(1)` is
 * Alice Example's id there; on the mock server, `visit(n)` names "Member n".
 */

/** The id of the n-th seeded member (a UUID, as the real server uses). */
export const member = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The n-th visit (id `visit-n`, member "Member n"), checked in a second ago unless `extra` says otherwise. */
export const visit = (n: number, extra: Partial<CheckIn> = {}): CheckIn => ({
  id: `visit-${n}`,
  member: { id: member(n), full_name: `Member ${n}`, email: null },
  location: 'Front desk',
  check_in_time: new Date(Date.now() - 1000).toISOString(),
  notes: '',
  ...extra,
});

/** Stats figures, computed now. */
export const stats = (currentlyIn: number, todayTotal: number, averageStayMinutes = 45): GymStats => ({
  currentlyIn,
  todayTotal,
  averageStayMinutes,
  timestamp: new Date().toISOString(),
});
