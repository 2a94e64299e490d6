/**
 * Shapes of the AV-Gym check-in wire protocol, as observed on the real server
 * (see `shared/protocol/av-gym-wire.md`). Inbound shapes are what the decoder
 * guarantees after validation, not what the server might send.
 */

/** Figures sent in `initial_stats` and `check_in_stats` (camelCase on the wire). */
export interface GymStats {
  currentlyIn: number;
  todayTotal: number;
  averageStayMinutes: number;
  /** ISO 8601 time the server computed the figures, when it says. */
  timestamp?: string;
  /** Present (with zeroed figures) when the server failed to compute them. */
  error?: string;
}

export interface GymMember {
  id: string;
  full_name: string;
  email?: string | null;
  membership_type?: string;
}

/**
 * One visit (snake_case on the wire). `check_out_time` is set once the member left. `location` and
 * `notes` are null when the server sent none (null or no key): absent, never a word put in its place.
 */
export interface CheckIn {
  id: string;
  member: GymMember;
  location: string | null;
  check_in_time: string;
  check_out_time?: string | null;
  notes: string | null;
}

export interface StatsMessage {
  type: 'initial_stats' | 'check_in_stats';
  payload: GymStats;
}

export interface CheckInMessage {
  type: 'member_checked_in' | 'member_checked_out' | 'check_in_success' | 'check_out_success';
  payload: CheckIn;
}

export interface ReplyErrorMessage {
  type: 'check_in_error' | 'check_out_error';
  payload: { error: string };
}

export interface HeartbeatAckMessage {
  type: 'heartbeat_ack';
  timestamp?: string;
}

export interface ServerErrorMessage {
  type: 'error';
  message: string;
  retry?: boolean;
}

/**
 * Sent only by the read-only gateway (`gym-realtime-gateway`), never by AV-Gym: whether the
 * gateway's own link to AV-Gym is up. `down`: the figures and feed are stale since `since` (the
 * browser's link to the gateway is fine); `up`: live again, after the missed visits were pushed.
 * A visitor that connects while the link is down gets `down` right after `initial_stats`. The
 * decoder passes it through as an unknown type (payload untouched): older clients ignore it.
 */
export interface GatewayStatusMessage {
  type: 'gateway_status';
  payload: { upstream: 'up' | 'down'; since: string };
}

/** Every message type the decoder validates. */
export type KnownMessage =
  | StatsMessage
  | CheckInMessage
  | ReplyErrorMessage
  | HeartbeatAckMessage
  | ServerErrorMessage;

export type KnownMessageType = KnownMessage['type'];

/** A well-formed frame of a type this version does not know; passed through untouched. */
export interface UnknownMessage {
  type: string;
  payload: unknown;
}

export type ServerMessage = KnownMessage | UnknownMessage;

type Narrow<M, T> = M extends { type: infer U } ? (T extends U ? Omit<M, 'type'> & { type: T } : never) : never;

/** The message of a given known type. */
export type MessageOf<T extends KnownMessageType> = Narrow<KnownMessage, T>;

/** Client → server: what `check_in` carries. */
export interface CheckInRequest {
  memberId: string;
  location?: string;
  notes?: string;
}

/** Client → server: what `check_out` carries. */
export interface CheckOutRequest {
  checkInId: string;
  notes?: string;
}

/** Outbound types the server accepts inside a `batch` frame, with their payloads. */
export interface BatchableRequests {
  check_in: CheckInRequest;
  check_out: CheckOutRequest;
}

export type BatchableType = keyof BatchableRequests;

export interface OutboundMessage {
  type: string;
  payload?: unknown;
}
