import type { GatewayStatusMessage, GymStats } from '../../src/protocol/types.js';
import { socketShape, type PublicVisit } from './redaction.js';

/** Django's isoformat() of an aware UTC time, as AV-Gym writes it: microseconds and `+00:00`. */
export const isoTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '000+00:00');

export const statsFrame = (type: 'initial_stats' | 'check_in_stats', stats: GymStats): string => JSON.stringify({ type, payload: stats });

/** `member_checked_out` once the visit has a check-out time, else `member_checked_in`. */
export const visitFrame = (visit: PublicVisit): string =>
  JSON.stringify({ type: visit.check_out_time === null ? 'member_checked_in' : 'member_checked_out', payload: socketShape(visit) });

export const statusFrame = (upstream: 'up' | 'down', since: number): string =>
  JSON.stringify({ type: 'gateway_status', payload: { upstream, since: isoTime(since) } } satisfies GatewayStatusMessage);

export const heartbeatAck = (now: number): string => JSON.stringify({ type: 'heartbeat_ack', timestamp: isoTime(now) });

/** The protocol's error frame: `message` on top, no payload. */
export const errorFrame = (message: string): string => JSON.stringify({ type: 'error', message });

export const READ_ONLY = 'This live feed is read-only: check-ins and check-outs go through the front desk';

/** The reply AV-Gym gives a failed request, so a `request()` on a public page settles at once instead of timing out. */
export const requestRefused = (type: 'check_in' | 'check_out'): string => JSON.stringify({ type: `${type}_error`, payload: { error: READ_ONLY } });
