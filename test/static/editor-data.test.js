// scripts/editor-data.mjs: editor support made from custom-elements.json alone, run on a small manifest.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/editor-data.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'editor-data-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the script on a manifest of one element with `events` and `attributes`; its outputs, or its error. */
function run(/** @type {object[]} */ events, /** @type {object[]} */ attributes = []) {
  const element = { kind: 'class', name: 'GymThing', tagName: 'gym-thing', customElement: true, attributes, members: [{ kind: 'field', name: 'theme', type: { text: "'light' | 'dark'" } }], events };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ schemaVersion: '1.0.0', modules: [{ kind: 'javascript-module', path: 'x.ts', declarations: [element] }] }));
  const { status, stderr } = spawnSync(process.execPath, [script, '--manifest', join(dir, 'manifest.json'), '--out', dir, '--quiet'], { encoding: 'utf8' });
  if (status !== 0) return { error: stderr };
  const read = (/** @type {string} */ path) => readFileSync(join(dir, path), 'utf8');
  return { jsx: read('types/react-jsx.d.ts'), webTypes: JSON.parse(read('editor/web-types.json')), vscode: JSON.parse(read('editor/vscode.html-custom-data.json')) };
}

describe('editor data (scripts/editor-data.mjs)', () => {
  it('types each event with the type the manifest gives it (`@fires {Type} name`), a new one included', () => {
    const { jsx, webTypes } = run([
      { name: 'gym-error', type: { text: 'GymErrorEvent' }, description: 'Failed.' },
      { name: 'gym-door-opened', type: { text: 'GymDoorOpenedEvent' }, description: 'A new event.' },
    ]);
    assert.match(jsx ?? '', /^import type \{ GymDoorOpenedEvent, GymErrorEvent \} from 'gym-realtime-widgets';$/m);
    assert.match(jsx ?? '', /'ongym-door-opened'\?: \(event: GymDoorOpenedEvent\) => void;/);
    assert.deepEqual(webTypes.contributions.html.elements[0].events.map((/** @type {{ name: string }} */ event) => event.name), ['gym-error', 'gym-door-opened']);
  });

  it('stops with a message naming an event the manifest gives no type', () => {
    assert.match(run([{ name: 'gym-door-opened', description: 'Untyped.' }]).error ?? '', /gym-thing: the event gym-door-opened has no type: write it as @fires \{TheEventType\} gym-door-opened/);
  });

  it('offers the values of a union attribute and takes `theme` from the manifest', () => {
    const { vscode, jsx } = run([], [{ name: 'action', type: { text: "'check_in' | 'check_out'" }, description: 'What the form does.' }]);
    assert.deepEqual(vscode.tags[0].attributes[0].values, [{ name: 'check_in' }, { name: 'check_out' }]);
    assert.match(jsx ?? '', /^ {2}theme\?: 'light' \| 'dark';$/m);
  });
});
