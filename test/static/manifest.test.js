// custom-elements.json, as `cem analyze` makes it from the elements' source (not written to disk here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
// @ts-expect-error -- the analyzer has no types for its programmatic CLI (which can skip writing files)
import { cli } from '@custom-elements-manifest/analyzer/cli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** @typedef {{ name: string, privacy?: string, attribute?: string }} Member */
/** @typedef {{ name: string, tagName?: string, members?: Member[], attributes?: { name: string, fieldName?: string }[] }} Declaration */

/** The entries of each element's `static properties`, by option: `{ feed: { state: ['notice'], … } }`. */
function propertyEntries(/** @type {string} */ path) {
  const block = /static override properties: PropertyDeclarations = \{([\s\S]*?)\n {2}\};/.exec(readFileSync(`${root}${path}`, 'utf8'))?.[1] ?? '';
  const entries = [...block.matchAll(/^ {4}(\w+): \{(.*)\},$/gm)];
  return {
    state: entries.filter(([, , options]) => /\bstate: true\b/.test(options ?? '')).map(([, name]) => name),
    noAttribute: entries.filter(([, , options]) => /\battribute: false\b/.test(options ?? '')).map(([, name]) => name),
  };
}

describe('custom-elements.json', () => {
  /** @type {{ path: string, declarations?: Declaration[] }[]} */
  let modules;
  before(async () => {
    modules = (await cli({ argv: ['analyze', '--quiet'], cwd: root, noWrite: true })).modules;
  });

  it('keeps internal state (`state: true`) out of the public API: no attribute, a private member', () => {
    let seen = 0;
    for (const { path, declarations = [] } of modules) {
      const { state } = propertyEntries(path);
      const element = declarations.find((declaration) => declaration.tagName);
      for (const name of state) {
        seen++;
        assert.ok(element, path);
        assert.deepEqual(element.attributes?.filter((attribute) => attribute.fieldName === name), [], `${path}: ${name}`);
        const member = element.members?.find((candidate) => candidate.name === name);
        assert.equal(member?.privacy, 'private', `${path}: ${name}`);
        assert.equal(member?.attribute, undefined, `${path}: ${name}`);
      }
    }
    assert.ok(seen > 0, 'no internal state found: has the way static properties are written changed?');
  });

  it('uses `attribute: false` only for public properties; private reactive fields are `state: true`', () => {
    for (const { path, declarations = [] } of modules) {
      const { noAttribute } = propertyEntries(path);
      const members = declarations.flatMap((declaration) => declaration.members ?? []);
      for (const name of noAttribute) assert.equal(members.find((member) => member.name === name)?.privacy, 'public', `${path}: ${name}`);
    }
  });
});
