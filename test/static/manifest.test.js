// custom-elements.json, as `cem analyze` makes it from the elements' source (not written to disk here).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
// @ts-expect-error -- the analyzer has no types for its programmatic CLI (which can skip writing files)
import { cli } from '@custom-elements-manifest/analyzer/cli.js';
import ts from 'typescript';
import { argTypesFor } from '../../.storybook/arg-types.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** @typedef {{ name: string, privacy?: string, attribute?: string, kind?: string, description?: string, type?: { text: string } }} Member */
/** @typedef {{ name: string, description?: string, type?: { text: string }, default?: string, fieldName?: string }} Item */
/** @typedef {{ name: string, tagName?: string, members?: Member[], attributes?: Item[], events?: Item[], slots?: Item[], cssParts?: Item[], cssStates?: Item[] }} Declaration */

/** The element's `static defaultStrings`, read from its source: `{ live: 'Live', … }`. */
function defaultStrings(/** @type {string} */ path) {
  const source = ts.createSourceFile(path, readFileSync(`${root}${path}`, 'utf8'), ts.ScriptTarget.Latest, true);
  /** @type {Record<string, string>} */
  const strings = {};
  const visit = (/** @type {import('typescript').Node} */ node) => {
    if (ts.isPropertyDeclaration(node) && node.name.getText() === 'defaultStrings' && node.initializer && ts.isObjectLiteralExpression(node.initializer)) {
      for (const entry of node.initializer.properties) if (ts.isPropertyAssignment(entry) && ts.isStringLiteralLike(entry.initializer)) strings[entry.name.getText()] = entry.initializer.text;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return strings;
}

/** What the templates in the element's folder render: slot names ('' is the default slot) and part names. */
function rendered(/** @type {string} */ path) {
  const folder = `${root}${dirname(path)}/`;
  const sources = readdirSync(folder)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.styles.ts'))
    .map((file) => readFileSync(`${folder}${file}`, 'utf8'));
  const slots = sources.flatMap((source) => [...source.matchAll(/<slot(?:\s+name="([^"]*)")?[\s>]/g)].map(([, name = '']) => name));
  const parts = sources.flatMap((source) =>
    [...source.matchAll(/\bpart="([^"]*)"/g)].flatMap(([, value = '']) =>
      // `part="entry ${out ? 'checked-out' : 'checked-in'}"`: the fixed names and the quoted ones in the expression.
      value.replace(/\$\{([^}]*)\}/g, (_, expression) => ` ${[...expression.matchAll(/'([\w-]+)'/g)].map(([, name]) => name).join(' ')} `).split(/\s+/).filter((name) => /^[a-z][\w-]*$/.test(name)),
    ),
  );
  return { slots: [...new Set(slots)], parts: [...new Set(parts)] };
}

/** `gym-checkin-result` → `GymCheckinResultEvent`, the type src/events exports for it. */
const eventType = (/** @type {string} */ name) => `${name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}Event`;

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

  /** Each element's declaration, with the path of its module. */
  const elements = () => modules.flatMap(({ path, declarations = [] }) => declarations.filter((declaration) => declaration.tagName).map((element) => ({ path, element })));

  it('keeps internal state (`state: true`) out of the public API: no attribute, no member', () => {
    let seen = 0;
    for (const { path, declarations = [] } of modules) {
      const { state } = propertyEntries(path);
      const element = declarations.find((declaration) => declaration.tagName);
      for (const name of state) {
        seen++;
        assert.ok(element, path);
        assert.deepEqual(element.attributes?.filter((attribute) => attribute.fieldName === name), [], `${path}: ${name}`);
        assert.equal(element.members?.find((candidate) => candidate.name === name), undefined, `${path}: ${name}`);
      }
    }
    assert.ok(seen > 0, 'no internal state found: has the way static properties are written changed?');
  });

  it('lists no private members: no `#fields` or `#methods`, nothing marked private', () => {
    for (const { path, declarations = [] } of modules) {
      for (const declaration of declarations) {
        const hidden = (declaration.members ?? []).filter((member) => member.name.startsWith('#') || member.privacy === 'private').map((member) => member.name);
        assert.deepEqual(hidden, [], `${path}: ${declaration.name}`);
      }
    }
  });

  it('types every event with the type src/events exports for it, and lists only documented gym-* events', () => {
    const exported = [...readFileSync(`${root}src/events/index.ts`, 'utf8').matchAll(/\b(Gym\w+Event)\b/g)].map(([, name]) => name);
    let seen = 0;
    for (const { path, element } of elements()) {
      for (const event of element.events ?? []) {
        seen++;
        assert.match(event.name, /^gym-[a-z-]+$/, `${path}: ${event.name}`);
        assert.equal(event.type?.text, eventType(event.name), `${path}: ${event.name}`);
        assert.ok(exported.includes(event.type.text), `${path}: ${event.type.text} is not exported by src/events`);
        assert.ok(event.description, `${path}: ${event.name} has no description`);
      }
    }
    assert.ok(seen >= 6);
  });

  it('writes unions out: the type of every attribute lists its values (primitives or literals), aliases included', () => {
    for (const { path, element } of elements()) {
      for (const attribute of element.attributes ?? []) {
        const kinds = (attribute.type?.text ?? '').split('|').map((kind) => kind.trim());
        assert.ok(kinds.every((kind) => ['string', 'number', 'boolean', 'undefined'].includes(kind) || /^'[^']*'$/.test(kind)), `${path}: ${attribute.name}: ${attribute.type?.text}`);
        assert.ok(attribute.description, `${path}: ${attribute.name} has no description`);
      }
    }
    const form = elements().find(({ element }) => element.tagName === 'gym-checkin-form')?.element;
    assert.equal(form?.attributes?.find((attribute) => attribute.name === 'action')?.type?.text, "'check_in' | 'check_out'");
    const provider = elements().find(({ element }) => element.tagName === 'gym-realtime-provider')?.element;
    assert.match(provider?.members?.find((member) => member.name === 'connectionState')?.type?.text ?? '', /^'idle' \| 'connecting' \| 'open' .* \| 'invalid'$/);
  });

  it('lists a `text-*` attribute for each default string, with the default text', () => {
    let seen = 0;
    for (const { path, element } of elements()) {
      for (const [key, text] of Object.entries(defaultStrings(path))) {
        seen++;
        const name = `text-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        const attribute = element.attributes?.find((candidate) => candidate.name === name);
        assert.deepEqual(attribute && { type: attribute.type?.text, default: attribute.default }, { type: 'string', default: JSON.stringify(text) }, `${path}: ${name}`);
      }
    }
    assert.ok(seen > 50, 'no default strings found: has the way they are written changed?');
  });

  it('documents every slot and part the templates render, custom states where there are some, and every public method', () => {
    for (const { path, element } of elements()) {
      const { slots, parts } = rendered(path);
      assert.deepEqual(slots.filter((name) => !element.slots?.some((slot) => slot.name === name)), [], `${path}: undocumented slots`);
      assert.deepEqual(parts.filter((name) => !element.cssParts?.some((part) => part.name === name)), [], `${path}: undocumented parts (@csspart)`);
      if (readFileSync(`${root}${path}`, 'utf8').includes('this.setCustomState(')) assert.ok(element.cssStates?.length, `${path}: no @cssstate`);
      for (const method of (element.members ?? []).filter((member) => member.kind === 'method' && (member.privacy ?? 'public') === 'public')) {
        assert.ok(method.description, `${path}: ${method.name}() has no description`);
      }
    }
  });

  it('uses `attribute: false` only for public properties; private reactive fields are `state: true`', () => {
    for (const { path, declarations = [] } of modules) {
      const { noAttribute } = propertyEntries(path);
      const members = declarations.flatMap((declaration) => declaration.members ?? []);
      for (const name of noAttribute) assert.equal(members.find((member) => member.name === name)?.privacy, 'public', `${path}: ${name}`);
    }
  });
});

describe('Storybook docs tables, from custom-elements.json (.storybook/arg-types.mjs)', () => {
  const manifest = JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8'));
  /** Rows by table section: `{ attributes: ['location', …], 'css shadow parts': […], … }`. */
  const sections = (/** @type {string} */ tag) => {
    /** @type {Record<string, string[]>} */
    const rows = {};
    for (const argType of Object.values(argTypesFor(manifest, tag))) {
      const { name, table } = /** @type {{ name: string, table: { category?: string, disable?: boolean } }} */ (argType);
      if (!table.disable) (rows[table.category ?? ''] ??= []).push(name);
    }
    return rows;
  };

  it("shows the form's `action` attribute and its `action` part, each in its section (Storybook's own reading keeps one)", () => {
    const form = sections('gym-checkin-form');
    assert.ok(form.attributes?.includes('action'));
    assert.ok(form['css shadow parts']?.includes('action'));
    assert.ok(form['text attributes']?.includes('text-submit'));
  });

  it('shows the default slot, the custom states and the methods', () => {
    const provider = sections('gym-realtime-provider');
    assert.deepEqual(provider.slots, ['(default)']);
    assert.ok(provider['css states']?.includes('reconnecting'));
    assert.ok(['reconnect', 'send', 'request', 'define'].every((name) => provider.methods?.includes(name)));
    assert.ok(!provider.methods?.includes('emit'), 'protected methods are not for pages');
  });

  it('shows no private fields and no control for what a story cannot set', () => {
    for (const tag of ['gym-checkin-feed', 'gym-realtime-provider']) {
      const argTypes = /** @type {Record<string, { name: string, control?: unknown, table: { category: string } }>} */ (argTypesFor(manifest, tag));
      const settable = Object.values(argTypes).filter(({ table }) => /^(attributes|properties)/.test(table.category ?? ''));
      assert.deepEqual(settable.filter(({ name }) => name.startsWith('#') || ['notice', 'configError', 'problem', 'defaultStrings'].includes(name)), [], tag);
      for (const key of ['property:strings', 'property:client', 'method:reconnect']) if (argTypes[key]) assert.equal(argTypes[key].control, false, `${tag}: ${key}`);
    }
    assert.deepEqual(/** @type {any} */ (argTypesFor(manifest, 'gym-checkin-form')).action.options, ['check_in', 'check_out']);
  });
});
