// How a member's name is shown (src/protocol/names.ts): the rule of `NamesMode`, which fails closed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NAMES_MODES, shownName } from '../../src/protocol/names.js';

const RUNS = { seed: 26, numRuns: 300 };

/** `[name, first, initials]`: what `first` and `initials` show of a name. */
const CASES = [
  ['Alice Example', 'Alice E.', 'A. E.'],
  ['Zoë Ångström', 'Zoë Å.', 'Z. Å.'],
  ['Madonna', 'Madonna', 'M.'],
  ['  Spaced   Out  ', 'Spaced O.', 'S. O.'],
  ['E\u0301mile Zola', 'E\u0301mile Z.', 'E\u0301. Z.'],
  ['\u202EAlice Example', 'Alice E.', 'A. E.'],
  ['Agent 007', 'Agent 0.', 'A. 0.'],
  // Every character that is not a letter, a mark or a digit cuts, and so does every invisible one.
  ['Alice_Example', 'Alice E.', 'A. E.'],
  ['Alice.Example', 'Alice E.', 'A. E.'],
  ['Alice\u0000Example', 'Alice E.', 'A. E.'],
  ['Alice🙂Example', 'Alice E.', 'A. E.'],
  ['Alice\u200BExample', 'Alice E.', 'A. E.'],
  ['Alice\u200DExample', 'Alice E.', 'A. E.'],
  ['Alice\u2060Example', 'Alice E.', 'A. E.'],
  ['Alice\uFE0FExample', 'Alice E.', 'A. E.'],
  ['Alice\u3164Example', 'Alice E.', 'A. E.'],
  ['Alice\u115FExample', 'Alice E.', 'A. E.'],
  ['Alice\u1160Example', 'Alice E.', 'A. E.'],
  ['Alice\uFFA0Example', 'Alice E.', 'A. E.'],
  ['Alice\u2800Example', 'Alice E.', 'A. E.'],
  // A hyphen or an apostrophe joins the parts of one word: the surname is the last word after a real break.
  ['Alice-Example', 'Alice E.', 'A. E.'],
  ['Bob Builder-Smith', 'Bob B.', 'B. B.'],
  ['Bob Builder\u2010Smith', 'Bob B.', 'B. B.'],
  ['Bob Builder\u2013Smith', 'Bob B.', 'B. B.'],
  ["Sinéad O'Brien", 'Sinéad O.', 'S. O.'],
  ['Sinéad O\u2019Brien', 'Sinéad O.', 'S. O.'],
  ['Pere Gal\u00B7la', 'Pere G.', 'P. G.'],
  ["Bob Builder-'Smith", 'Bob B.', 'B. B.'],
  ['Jean-Luc Picard', 'Jean P.', 'J. P.'],
  ['Maximilian Alexander von Hohenzollern-Sigmaringen', 'Maximilian H.', 'M. H.'],
  ['Anna Maria -Lopez', 'Anna L.', 'A. L.'],
  ['Anna Maria- Lopez', 'Anna L.', 'A. L.'],
  ['Anna Maria Lopez', 'Anna L.', 'A. L.'],
  ['Anna Maria-Lopez Garcia', 'Anna G.', 'A. G.'],
  // A comma of any script puts the family name first: initials only.
  ['Example, Alice', 'E. A.', 'E. A.'],
  ['Example，Alice', 'E. A.', 'E. A.'],
  ['Example\u060C Alice', 'E. A.', 'E. A.'],
  ['Example\u3001Alice', 'E. A.', 'E. A.'],
  ['Example\uFE50Alice', 'E. A.', 'E. A.'],
  // A script written family name first, or without spaces between the names: nobody can tell.
  ['山田 花子', 'Member', 'Member'],
  ['山田花子', 'Member', 'Member'],
  ['王小明', 'Member', 'Member'],
  ['김민준', 'Member', 'Member'],
  ['やまだ はなこ', 'Member', 'Member'],
  ['タロウ', 'Member', 'Member'],
  ['ㄅㄆ', 'Member', 'Member'],
  ['ꀀꀁ', 'Member', 'Member'],
  ['សុខ', 'Member', 'Member'],
  ['ᠮᠣᠩ', 'Member', 'Member'],
  ['Alice 王', 'Member', 'Member'],
  ['王 Alice', 'Member', 'Member'],
  ['Alice Bob 王', 'Member', 'Member'],
  // Nothing to show.
  ['', '', ''],
  [' .-', '', ''],
];

describe('shownName', () => {
  it('knows four modes', () => {
    assert.deepEqual(NAMES_MODES, ['full', 'first', 'initials', 'none']);
  });

  for (const [name, first, initials] of CASES) {
    it(`${JSON.stringify(name)}: "${first}" / "${initials}"`, () => {
      assert.equal(shownName(name, 'first'), first);
      assert.equal(shownName(name, 'initials'), initials);
      assert.equal(shownName(name, 'full'), name);
      assert.equal(shownName(name, 'none'), 'Member');
    });
  }

  it('shows the anonymous word it is given, in `none` and where no rule can tell', () => {
    assert.equal(shownName('Alice Example', 'none', 'A member'), 'A member');
    assert.equal(shownName('山田 花子', 'first', 'A member'), 'A member');
    assert.equal(shownName('山田 花子', 'initials', '∅'), '∅');
    assert.equal(shownName('Alice Example', 'first', 'A member'), 'Alice E.');
  });

  /** Letters of scripts written with spaces, given name first. */
  const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàéíöøüßÅÆŁœçñДЖЯдыйΩΣλشمك'];
  const SEPARATORS = [' ', '\t', '\n', '\u00A0', '\u3000', '_', '.', '/', '(', ')', '"', '!', '?', ';', ':', '@', '&', '+', '=', '©', '🙂', '\0', '\x7F', '\u200B', '\u200D', '\uFEFF', '\u00AD', '\u202E', '\u3164', '\u2800'];
  const word = fc.array(fc.constantFrom(...LETTERS), { minLength: 1, maxLength: 6 }).map((chars) => chars.join(''));
  const words = fc.array(word, { minLength: 2, maxLength: 4 });
  const separator = fc.array(fc.constantFrom(...SEPARATORS), { minLength: 1, maxLength: 3 }).map((chars) => chars.join(''));
  /** The words, each gap its own separator. */
  const joined = words.chain((parts) => fc.array(separator, { minLength: parts.length - 1, maxLength: parts.length - 1 }).map((gaps) => ({ parts, full: parts.map((part, i) => (i ? gaps[i - 1] : '') + part).join('') })));

  it('shows the given name and the initial of the last word in `first`, whatever separates them (property)', () => {
    fc.assert(
      fc.property(joined, ({ parts, full }) => {
        assert.equal(shownName(full, 'first'), `${parts[0]} ${[...(parts.at(-1) ?? '')][0]}.`);
      }),
      RUNS,
    );
  });

  it('shows two initials in `initials`, never a whole word longer than one letter (property)', () => {
    fc.assert(
      fc.property(joined, ({ parts, full }) => {
        const shown = shownName(full, 'initials');
        assert.equal(shown, `${[...(parts[0] ?? '')][0]}. ${[...(parts.at(-1) ?? '')][0]}.`);
      }),
      RUNS,
    );
  });

  it('keeps an initial whole: a letter with its combining marks (property)', () => {
    const MARKS = ['', '\u0301', '\u0308', '\u0323\u0302', '\u030A'];
    const letter = fc.tuple(fc.constantFrom(...LETTERS), fc.constantFrom(...MARKS)).map(([base, marks]) => base + marks);
    const markedWord = fc.array(letter, { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(markedWord, markedWord, (given, family) => {
        assert.equal(shownName(`${given.join('')} ${family.join('')}`, 'initials'), `${given[0]}. ${family[0]}.`);
      }),
      RUNS,
    );
  });

  it('never shows a separator, in any mode that redacts (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('first', 'initials'), (full, mode) => {
        const shown = shownName(full, /** @type {'first' | 'initials'} */ (mode));
        if (shown !== 'Member') assert.match(shown, /^(?:[\p{L}\p{M}\p{N}]+(?:\.? [\p{L}\p{M}\p{N}]+\.)?\.?)?$/u, JSON.stringify(full));
      }),
      RUNS,
    );
  });
});
