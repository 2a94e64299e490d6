/**
 * How a member's name is shown (the gateway's `--names`, the feed's `names`):
 * - `full`: as AV-Gym has it ("Alice Example");
 * - `first`: the first word and the initial of the surname ("Alice E.");
 * - `initials`: the initials of the first word and of the surname ("A. E.");
 * - `none`: the same word for everyone (`anonymous`, default "Member").
 *
 * `first` and `initials` fail closed: when the rule cannot tell the given name
 * from the family name, it shows less, never more.
 * 1. Words are cut at every character that is not a letter, a combining mark or
 *    a digit (spaces, punctuation such as `, _ . - '`, symbols and emoji,
 *    control characters) and at every invisible one (zero-width spaces and
 *    joiners, bidi marks, the fillers U+115F, U+1160, U+3164, U+FFA0, U+2800).
 *    None of them is ever shown.
 * 2. A name with a letter of a script written family name first, or without
 *    spaces between the names (Han, Hiragana, Katakana, Bopomofo, Hangul, Yi,
 *    Khmer, Mongolian), shows as `anonymous` in both modes: there one
 *    character can be a whole family name ("王").
 * 3. A name with a comma ("Example, Alice": family name first) shows initials
 *    only, in `first` too.
 * 4. Otherwise the first word is the given name. The surname is the last word
 *    after a space or other break; a hyphen or an apostrophe joins the parts of
 *    one word, so "Bob Builder-Smith" gives "Bob B." and "Alice-Example"
 *    "Alice E.". A name of one word shows whole in `first` ("Madonna").
 *
 * Limit: a name written family name first in a script with spaces and no
 * comma ("Nagy János", "Nguyễn Văn An") looks like given name first, and
 * `first` shows its family name; use `initials` or `none` where that matters.
 */
export type NamesMode = 'full' | 'first' | 'initials' | 'none';
export const NAMES_MODES: readonly NamesMode[] = ['full', 'first', 'initials', 'none'];

/**
 * Runs of characters between words: anything but letters, marks and digits, plus the invisible
 * letters and marks (Default_Ignorable_Code_Point: the Hangul fillers U+115F, U+1160, U+3164, U+FFA0,
 * zero-width joiners, variation selectors). U+2800 (braille blank) is a symbol, so already in.
 */
const BREAKS = /((?:[^\p{L}\p{M}\p{N}]|\p{Default_Ignorable_Code_Point})+)/u;
/** A break made only of these stays inside a word: "Builder-Smith", "O'Brien", "Gal·la". */
const JOINERS = /^[\p{Pd}'\u2019\u00B7]+$/u;
/** Scripts written family name first or without spaces between names: no rule can find the given name. */
const FAMILY_FIRST = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Bopomofo}\p{sc=Hangul}\p{sc=Yi}\p{sc=Khmer}\p{sc=Mongolian}]/u;
/** Commas of every script: "Family, Given". */
const COMMAS = /[,\u055D\u060C\u07F8\u1363\u1802\u1808\u2E41\u2E4C\u3001\uA4FE\uA60D\uA6F5\uFE10\uFE11\uFE50\uFE51\uFF0C\uFF64]/u;

let graphemes: Intl.Segmenter | undefined;

/** The first user-perceived character (so "Ångström" gives "Å", "E\u0301mile" keeps its accent). */
function initial(word: string): string {
  // Below U+0300 (the combining marks) no two characters make one grapheme, so most names need no
  // segmenter: it cost the gateway about 10 µs a visit in a burst.
  if (word.charCodeAt(0) < 0x300 && !(word.charCodeAt(1) >= 0x300)) return word.charAt(0);
  // Stryker disable next-line AssignmentOperator,ObjectLiteral,StringLiteral: made once per process, before the mutant is switched on in the mutation run's one mocha process (`npm run test:unit`, a fresh process, fails at once); {} is the default granularity
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  // Stryker disable next-line OptionalChaining,StringLiteral: only words are passed, never '', so there is always a first grapheme
  return graphemes.segment(word)[Symbol.iterator]().next().value?.segment ?? '';
}

/** The words of a name, and whether a real break (not a hyphen or an apostrophe) comes before each. */
function words(fullName: string): { word: string; starts: boolean }[] {
  // With a capturing group, split alternates word, break, word…
  const parts = fullName.split(BREAKS);
  const found: { word: string; starts: boolean }[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    if (parts[i]) found.push({ word: parts[i]!, starts: i === 0 || !JOINERS.test(parts[i - 1]!) });
  }
  return found;
}

/** The name as `mode` shows it (see `NamesMode` for the rule). */
export function shownName(fullName: string, mode: NamesMode, anonymous = 'Member'): string {
  if (mode === 'full') return fullName;
  if (mode === 'none') return anonymous;
  const found = words(fullName);
  const given = found[0]?.word;
  if (given === undefined) return '';
  if (found.some(({ word }) => FAMILY_FIRST.test(word))) return anonymous;
  if (found.length === 1) return mode === 'first' ? given : `${initial(given)}.`;
  // The surname begins at the last real break; with none ("Alice-Example"), at the second word.
  let surname = found[1]!;
  for (let i = found.length - 1; i > 1; i--) {
    if (found[i]!.starts) {
      surname = found[i]!;
      break;
    }
  }
  if (mode === 'first' && !COMMAS.test(fullName)) return `${given} ${initial(surname.word)}.`;
  return `${initial(given)}. ${initial(surname.word)}.`;
}
