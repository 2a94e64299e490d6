/**
 * How a member's name is shown (the gateway's `--names`, the feed's `names`):
 * - `full`: as AV-Gym has it ("Alice Example");
 * - `first`: the first word and the initial of the last ("Alice E.");
 * - `initials`: the initials of the first and last words ("A. E.");
 * - `none`: the same word for everyone (`anonymous`, default "Member").
 */
export type NamesMode = 'full' | 'first' | 'initials' | 'none';
export const NAMES_MODES: readonly NamesMode[] = ['full', 'first', 'initials', 'none'];

let graphemes: Intl.Segmenter | undefined;

/** The first user-perceived character (so "Ångström" gives "Å", a flag emoji stays whole). */
function initial(word: string): string {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return graphemes.segment(word)[Symbol.iterator]().next().value?.segment ?? '';
}

/** The name as `mode` shows it. Invisible format characters (bidi marks) are dropped before words are cut. */
export function shownName(fullName: string, mode: NamesMode, anonymous = 'Member'): string {
  if (mode === 'full') return fullName;
  if (mode === 'none') return anonymous;
  const words = fullName.replace(/\p{Cf}/gu, '').trim().split(/\s+/u).filter(Boolean);
  const first = words[0];
  if (first === undefined) return '';
  const last = words.length > 1 ? words[words.length - 1]! : undefined;
  if (mode === 'first') return last === undefined ? first : `${first} ${initial(last)}.`;
  return last === undefined ? `${initial(first)}.` : `${initial(first)}. ${initial(last)}.`;
}
