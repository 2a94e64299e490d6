import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { shownName } from '../../src/protocol/names.js';

/**
 * The names rule fails closed: `first` and `initials` never publish a surname,
 * however the name is written. The seed is random on purpose; fast-check prints
 * it on failure.
 */

const ANONYMOUS = '∅';
const RUNS = { numRuns: 500 };

/** Letters of scripts written with spaces, given name first. */
const SPACED = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàéíöøüßÅÆŁœçñДЖЯдыйΩΣλشمك'];
/** Letters of scripts written family name first or without spaces. */
const EAST_ASIAN = [...'山田花子王李金김민준이서연さくらはなタロウスミス'];
/** Every kind of separator: spaces, punctuation, symbols and emoji, controls, invisible format characters, fillers. */
const SEPARATORS = [
  ...[' ', '\t', '\n', '\r', '\u00A0', '\u1680', '\u2003', '\u2028', '\u202F', '\u3000'],
  ...['_', '.', '-', '\u2010', '\u2013', '\u2014', "'", '\u2019', '\u00B7', '/', '\\', '|', '(', ')', '[', '"', '!', '?', ';', ':', '@', '#', '&', '*', '«', '»', '¡', '\u30FB'],
  ...['+', '=', '~', '^', '$', '©', '🙂', '🇳🇴', '\u2764\uFE0F', '\u{1F468}\u200D\u{1F469}'],
  ...['\0', '\x01', '\x1F', '\x7F', '\x85', '\u009F'],
  ...['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u202A', '\u202E', '\u2066', '\u2069', '\u061C', '\u180E', '\u200E', '\u200F'],
  ...['\u3164', '\u115F', '\u1160', '\uFFA0', '\u2800', '\u034F', '\uFE0F'],
];
const COMMAS = [',', '\u060C', '\u3001', '\uFF0C'];

const token = (letters: string[]) => fc.array(fc.constantFrom(...letters), { minLength: 2, maxLength: 8 }).map((chars) => chars.join(''));
const tokens = (letters: string[]) => fc.array(token(letters), { minLength: 1, maxLength: 3 });
const separator = fc.array(fc.constantFrom(...SEPARATORS), { minLength: 1, maxLength: 3 }).map((chars) => chars.join(''));
/** Joins words, each gap its own separator, maybe with separators before and after. */
const joined = (words: string[], gap: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.array(gap, { minLength: words.length + 1, maxLength: words.length + 1 }), fc.boolean(), fc.boolean())
    .map(([gaps, before, after]) => (before ? gaps[0] : '') + words.map((word, i) => (i ? gaps[i] : '') + word).join('') + (after ? gaps[words.length] : ''));

interface Name {
  full: string;
  given: string[];
  surnames: string[];
}

/** Given name first, any separators: the way a name is written in most scripts with spaces. */
const givenFirst = fc
  .tuple(tokens(SPACED), tokens(SPACED))
  .chain(([given, surnames]) => joined([...given, ...surnames], separator).map((full): Name => ({ full, given, surnames })));
/** Family name first, marked by a comma ("Example, Alice"). */
const commaFamilyFirst = fc
  .tuple(tokens(SPACED), tokens(SPACED), fc.constantFrom(...COMMAS), separator, fc.boolean())
  .chain(([given, surnames, comma, around, spaced]) =>
    fc
      .tuple(joined(surnames, separator), joined(given, separator))
      .map(([family, rest]): Name => ({ full: `${family}${comma}${spaced ? around : ''}${rest}`, given, surnames })),
  );
/** An East Asian name in either order, with or without separators, maybe mixed with a Latin given name. */
const eastAsian = fc
  .tuple(tokens(EAST_ASIAN), fc.oneof(tokens(EAST_ASIAN), tokens(SPACED)), fc.boolean(), fc.option(separator, { nil: '' }))
  .chain(([surnames, given, familyFirst, gap]) =>
    joined(familyFirst ? [...surnames, ...given] : [...given, ...surnames], fc.constant(gap)).map((full): Name => ({ full, given, surnames })),
  );
const anyName = fc.oneof(givenFirst, commaFamilyFirst, eastAsian);

describe('names: the rule that fails closed', () => {
  it('shows no surname in `first`, however the name is written (property)', () => {
    fc.assert(
      fc.property(anyName, ({ full, given, surnames }) => {
        // A surname that is part of a given name ("Anna" in "Annabel") would show with the given name.
        fc.pre(!surnames.some((surname) => given.some((word) => word.includes(surname))));
        const shown = shownName(full, 'first', ANONYMOUS);
        for (const surname of surnames) expect(shown, JSON.stringify(full)).not.to.include(surname);
      }),
      RUNS,
    );
  });

  it('shows no word longer than an initial in `initials` (property)', () => {
    fc.assert(
      fc.property(anyName, ({ full, given, surnames }) => {
        const shown = shownName(full, 'initials', ANONYMOUS);
        for (const word of [...given, ...surnames]) expect(shown, JSON.stringify(full)).not.to.include(word);
      }),
      RUNS,
    );
  });

  it('never shows a separator: only letters, marks, digits, ". " and the anonymous word (property)', () => {
    fc.assert(
      fc.property(anyName, fc.constantFrom('first', 'initials') as fc.Arbitrary<'first' | 'initials'>, ({ full }, mode) => {
        const shown = shownName(full, mode, ANONYMOUS);
        if (shown !== ANONYMOUS) expect(shown, JSON.stringify(full)).to.match(/^[\p{L}\p{M}\p{N}]*(?:\.? [\p{L}\p{M}\p{N}]+\.)?\.?$/u);
      }),
      RUNS,
    );
  });

  it('keeps the given name whole in `first` when it is written first with a space', () => {
    fc.assert(
      fc.property(tokens(SPACED), tokens(SPACED), (given, surnames) => {
        const shown = shownName([...given, ...surnames].join(' '), 'first');
        expect(shown).to.equal(`${given[0]} ${[...surnames.at(-1)!][0]}.`);
      }),
      RUNS,
    );
  });

  describe('the leaks of issue #24', () => {
    const cases: [string, string, string][] = [
      // name, first, initials
      ['Example, Alice', 'E. A.', 'E. A.'],
      ['Example，Alice', 'E. A.', 'E. A.'],
      ['Alice_Example', 'Alice E.', 'A. E.'],
      ['Alice.Example', 'Alice E.', 'A. E.'],
      ['Alice\u0000Example', 'Alice E.', 'A. E.'],
      ['Alice\u3164Example', 'Alice E.', 'A. E.'],
      ['Alice\u115FExample', 'Alice E.', 'A. E.'],
      ['Alice\u1160Example', 'Alice E.', 'A. E.'],
      ['Alice\uFFA0Example', 'Alice E.', 'A. E.'],
      ['Alice\u2800Example', 'Alice E.', 'A. E.'],
      ['Alice\u200BExample', 'Alice E.', 'A. E.'],
      ['Alice\u2060Example', 'Alice E.', 'A. E.'],
      ['Alice-Example', 'Alice E.', 'A. E.'],
      ['Alice🙂Example', 'Alice E.', 'A. E.'],
      ['山田 花子', 'Member', 'Member'],
      ['山田花子', 'Member', 'Member'],
      ['王小明', 'Member', 'Member'],
      ['김민준', 'Member', 'Member'],
      ['やまだ はなこ', 'Member', 'Member'],
      ['Alice 王', 'Member', 'Member'],
    ];
    for (const [name, first, initials] of cases) {
      it(`${JSON.stringify(name)}: "${first}" / "${initials}"`, () => {
        expect(shownName(name, 'first')).to.equal(first);
        expect(shownName(name, 'initials')).to.equal(initials);
      });
    }
  });

  it('takes the surname`s first part after the last space: hyphens and apostrophes join a word', () => {
    expect(shownName('Bob Builder-Smith', 'first')).to.equal('Bob B.');
    expect(shownName("Sinéad O'Brien", 'first')).to.equal('Sinéad O.');
    expect(shownName('Jean-Luc Picard', 'first')).to.equal('Jean P.');
    expect(shownName('Maximilian Alexander von Hohenzollern-Sigmaringen', 'initials')).to.equal('M. H.');
  });

  it('leaves `full` as it is and shows the anonymous word for `none`', () => {
    expect(shownName('Example, Alice', 'full')).to.equal('Example, Alice');
    expect(shownName('山田 花子', 'none', 'A member')).to.equal('A member');
    expect(shownName('', 'first')).to.equal('');
  });
});
