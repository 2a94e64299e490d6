import type {
  BatchableRequests,
  BatchableType,
  CheckIn,
  GymMember,
  GymStats,
  OutboundMessage,
  ServerMessage,
} from './types.js';

/** What one inbound frame decoded to: the messages it carried and what was wrong with it. */
export interface DecodedFrame {
  messages: ServerMessage[];
  /** One line per malformed frame or batch item; empty when the frame was fine. */
  errors: string[];
  /** One line per field cut at `FIELD_CAP` (its message is still in `messages`, cut). */
  truncated: string[];
}

/**
 * The longest member name, location or notes the decoder keeps, in UTF-16 units
 * (characters, for most scripts). A longer one is cut on a grapheme boundary and
 * ends in "…": a megabyte-long name would otherwise block the page for seconds
 * in every element that shows it.
 */
export const FIELD_CAP = 200;

let graphemes: Intl.Segmenter | undefined;

/** Thrown by the field readers below; never leaves this module. */
class Malformed extends Error {}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function record(value: unknown, what: string): Json {
  if (!isRecord(value)) throw new Malformed(`${what} is not an object`);
  return value;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Malformed(`${what} is not a string`);
  return value;
}

function count(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Malformed(`${what} is not a number`);
  return value;
}

/** `null` means absent: the real server sends its nullable columns (location, notes, email…) as `null`. */
function optionalText(value: unknown, what: string): string | undefined {
  return value == null ? undefined : text(value, what);
}

/** Says which field was cut at `FIELD_CAP`. */
type OnCut = (line: string) => void;

/** A text field the elements show, cut to `FIELD_CAP` units plus "…" (never inside a grapheme: a flag, an accented letter), and `cut` told so. */
function shownText(value: string, what: string, cut: OnCut | undefined): string {
  if (value.length <= FIELD_CAP) return value;
  cut?.(`${what} longer than ${FIELD_CAP} characters: cut`);
  // Stryker disable next-line AssignmentOperator,ObjectLiteral,StringLiteral: made once per process, before the mutant is switched on in the mutation run's one mocha process (`npm run test:unit`, a fresh process, fails at once); {} is the default granularity
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let end = 0;
  // A little past the cap, so the segmenter sees whether the grapheme at the cap ends there; never the whole value.
  // Stryker disable next-line MethodExpression: the whole value gives the same cut: the slice bounds only the work
  for (const { index, segment } of graphemes.segment(value.slice(0, FIELD_CAP + 32))) {
    if (index + segment.length > FIELD_CAP) break;
    end = index + segment.length;
  }
  return `${value.slice(0, end)}…`;
}

function readStats(value: unknown): GymStats {
  const p = record(value, 'stats payload');
  const stats: GymStats = {
    currentlyIn: count(p.currentlyIn, 'currentlyIn'),
    todayTotal: count(p.todayTotal, 'todayTotal'),
    averageStayMinutes: count(p.averageStayMinutes, 'averageStayMinutes'),
  };
  const timestamp = optionalText(p.timestamp, 'timestamp');
  const error = optionalText(p.error, 'error');
  if (timestamp !== undefined) stats.timestamp = timestamp;
  if (error !== undefined) stats.error = error;
  return stats;
}

function readMember(value: unknown, cut: OnCut | undefined): GymMember {
  const m = record(value, 'member');
  const member: GymMember = { id: text(m.id, 'member.id'), full_name: shownText(text(m.full_name, 'member.full_name'), 'member.full_name', cut) };
  const email = optionalText(m.email, 'member.email');
  if (email !== undefined) member.email = email;
  const membershipType = optionalText(m.membership_type, 'member.membership_type');
  if (membershipType !== undefined) member.membership_type = membershipType;
  return member;
}

/**
 * Reads a check-in in the socket shape or the REST shape (`GET /api/checkins/recent/`). The
 * member's name, the location and the notes are cut at `FIELD_CAP`; `cut` hears of each.
 */
export function readCheckIn(value: unknown, cut?: OnCut): CheckIn {
  const p = record(value, 'check-in payload');
  // Absent (null or no key) stays null: no word is put in its place, so there is none to translate or hide.
  const checkIn: CheckIn = {
    id: text(p.id, 'id'),
    member: readMember(p.member, cut),
    location: optionalText(p.location, 'location') ?? null,
    check_in_time: text(p.check_in_time, 'check_in_time'),
    check_out_time: optionalText(p.check_out_time, 'check_out_time') ?? null,
    notes: optionalText(p.notes, 'notes') ?? null,
  };
  if (checkIn.location !== null) checkIn.location = shownText(checkIn.location, 'location', cut);
  if (checkIn.notes !== null) checkIn.notes = shownText(checkIn.notes, 'notes', cut);
  return checkIn;
}

function readReplyError(value: unknown): { error: string } {
  return { error: text(record(value, 'error payload').error, 'error') };
}

/** A check-in whose cut fields are said only once it is whole: a malformed one is dropped, and said as malformed. */
function checkInOf(payload: unknown, out: DecodedFrame): CheckIn {
  const cut: string[] = [];
  const checkIn = readCheckIn(payload, (line) => cut.push(line));
  out.truncated.push(...cut);
  return checkIn;
}

/** Decodes one message object; `batch` expands into its items. */
function readMessage(frame: Json, out: DecodedFrame, insideBatch: boolean): void {
  const type = text(frame.type, 'type');
  // Tolerant reader: the project's own docs use `data` where the server sends `payload`.
  const payload = frame.payload ?? frame.data;
  switch (type) {
    case 'initial_stats':
    case 'check_in_stats':
      out.messages.push({ type, payload: readStats(payload) });
      return;
    case 'member_checked_in':
    case 'member_checked_out':
    case 'check_in_success':
    case 'check_out_success':
      out.messages.push({ type, payload: checkInOf(payload, out) });
      return;
    case 'check_in_update': {
      // Documented alias of the two member_checked_* events.
      const status = record(payload, 'check_in_update payload').status;
      if (status !== 'checked_in' && status !== 'checked_out') throw new Malformed('check_in_update status is unknown');
      const alias = status === 'checked_in' ? 'member_checked_in' : 'member_checked_out';
      out.messages.push({ type: alias, payload: checkInOf(payload, out) });
      return;
    }
    case 'check_in_error':
    case 'check_out_error':
      out.messages.push({ type, payload: readReplyError(payload) });
      return;
    case 'heartbeat_ack': {
      const timestamp = optionalText(frame.timestamp, 'timestamp');
      out.messages.push(timestamp === undefined ? { type } : { type, timestamp });
      return;
    }
    case 'error': {
      const message = text(frame.message, 'message');
      out.messages.push(frame.retry === true ? { type, message, retry: true } : { type, message });
      return;
    }
    case 'batch':
      if (insideBatch) throw new Malformed('batch nested in a batch');
      readBatch(frame, payload, out);
      return;
    default:
      out.messages.push({ type, payload });
  }
}

/** `{"type":"batch","payload":{"batches":{type:[payload…]}}}`; items are judged one by one. */
function readBatch(frame: Json, payload: unknown, out: DecodedFrame): void {
  const batches = record(isRecord(payload) ? payload.batches : frame.batches, 'batches');
  for (const type of Object.keys(batches)) {
    const items = batches[type];
    if (!Array.isArray(items)) {
      out.errors.push(`batch entry "${type}" is not a list`);
      continue;
    }
    for (const item of items) decodeInto({ type, payload: item }, out, true);
  }
}

function decodeInto(value: unknown, out: DecodedFrame, insideBatch: boolean): void {
  try {
    readMessage(record(value, 'frame'), out, insideBatch);
  } catch (error) {
    if (!(error instanceof Malformed)) throw error;
    out.errors.push(error.message);
  }
}

/**
 * Decodes one inbound WebSocket frame. Never throws: whatever is wrong with
 * the frame (binary, not JSON, wrong field types) comes back in `errors`.
 */
export function decodeFrame(data: unknown): DecodedFrame {
  const out: DecodedFrame = { messages: [], errors: [], truncated: [] };
  if (typeof data !== 'string') {
    out.errors.push('binary frame');
    return out;
  }
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    out.errors.push('not JSON');
    return out;
  }
  decodeInto(value, out, false);
  return out;
}

/** Encodes one outbound message. The server reads `payload`, never `data`. */
export function encodeMessage({ type, payload }: OutboundMessage): string {
  return JSON.stringify(payload === undefined ? { type } : { type, payload });
}

export interface BatchItem<T extends BatchableType = BatchableType> {
  type: T;
  payload: BatchableRequests[T];
}

/**
 * Encodes check-ins and check-outs issued together. A lone item goes out as a
 * plain frame; several as one `batch` frame (the server answers each item in
 * order, keys in the order they first appear).
 */
export function encodeBatch(items: readonly BatchItem[]): string {
  if (items.length === 1) return encodeMessage(items[0]!);
  const batches: Partial<Record<BatchableType, unknown[]>> = {};
  for (const { type, payload } of items) (batches[type] ??= []).push(payload);
  return JSON.stringify({ type: 'batch', batches });
}
