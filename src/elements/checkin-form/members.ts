import { refusedReceiver } from '../../core/page-policy.js';
import type { VisitTimes } from '../../core/visit-log.js';

/** A member as AV-Gym's member search answers (`GET /api/members/search/?q=`); the fields the door needs. */
export interface Member {
  id: string;
  full_name: string;
  phone?: string;
  /** `active`, or e.g. `inactive`: anything but `active` is flagged before a check-in. */
  status?: string;
  /** The photo's address, or null for none. */
  image_url?: string | null;
}

/** What a card carries: a member id, a UUID. Checked before anything is sent. */
export const MEMBER_ID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;

/** `path` on the origin of `base` (the provider's `history-url`, perhaps relative); none without a usable base. */
export const beside = (base: string | undefined, path: string): string | undefined =>
  base && URL.canParse(base, document.baseURI) ? new URL(path, new URL(base, document.baseURI)).href : undefined;

/**
 * GETs `url` (the page's `setting`) with `params` and the client's bearer token; the JSON answer, or a
 * throw for anything else: `misconfigured`, before any request, for an origin the page's policy does not allow the token.
 */
export async function getJson(url: string, setting: string, params: Record<string, string>, token: (refused?: string) => Promise<string | undefined>, signal?: AbortSignal): Promise<unknown> {
  const address = new URL(url, document.baseURI);
  for (const [key, value] of Object.entries(params)) address.searchParams.set(key, value);
  const bearer = await token();
  const refused = bearer ? refusedReceiver(setting, address.href) : undefined;
  if (refused) throw refused;
  const get = (bearerNow: string | undefined) => fetch(address, { headers: bearerNow ? { Authorization: `Bearer ${bearerNow}` } : {}, ...(signal && { signal }) });
  let response = await get(bearer);
  // A token the server stopped taking (revoked early): one new one, shared with whoever else asks, and one retry.
  if (response.status === 401 && bearer) {
    const renewed = await token(bearer).catch(() => undefined);
    if (renewed && renewed !== bearer) response = await get(renewed);
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

const isText = (value: unknown) => typeof value === 'string';

/** The members in a search answer; anything that is not one is left out. Throws for an answer that is no list. */
export function readMembers(value: unknown): Member[] {
  if (!Array.isArray(value)) throw new TypeError('not a list of members');
  return value.filter((m): m is Member => isText(m?.id) && isText(m.full_name));
}

/**
 * A member's visits (`GET /api/checkins/checkins/?member=`), for the visit log to tell whether they
 * are in; an item without an id is left out (the log reads the times tolerantly: one that does not
 * parse says nothing). Throws for an answer that is no list.
 */
export function readVisits(value: unknown): VisitTimes[] {
  if (!Array.isArray(value)) throw new TypeError('not a list of visits');
  return value.filter((visit) => isText(visit?.id));
}
