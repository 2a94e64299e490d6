import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The TypeScript under `folder` (of the repository), each named by its path from the repository's root. */
const sources = (/** @type {string} */ folder) =>
  readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => ({ name: `${folder}/${name}`, text: readFileSync(join(ROOT, folder, name), 'utf8') }));
/** The browser package's sources (src/) and the gateway package's (gateway/src/). */
const browser = sources('src');
const files = [...browser, ...sources('gateway/src')];

describe('rules for the shipped source', () => {
  it('never turns strings into markup or code: no innerHTML, unsafeHTML, document.write, eval', () => {
    const forbidden = /\b(innerHTML|outerHTML|insertAdjacentHTML|setHTMLUnsafe|unsafeHTML|unsafeSVG|document\.write|eval\s*\(|new Function)\b/;
    const hits = files.filter(({ text }) => forbidden.test(text)).map(({ name, text }) => `${name}: ${text.match(forbidden)?.[0]}`);
    assert.deepEqual(hits, []);
  });

  it('uses no inline style in templates (strict CSP pages)', () => {
    const hits = files.filter(({ text }) => /\sstyle=|styleMap/.test(text)).map(({ name }) => name);
    assert.deepEqual(hits, []);
  });

  it('never writes to the console', () => {
    const hits = files.filter(({ text }) => /console\.(log|info|debug|warn|error)/.test(text)).map(({ name }) => name);
    assert.deepEqual(hits, []);
  });

  it('keeps browser code free of Node: no node: module, no gateway package, nothing from the gateway', () => {
    const hits = browser
      .filter(({ text }) => /from ['"](node:|ws['"]|jose['"]|prom-client['"]|[./]+\/gateway\/)|import\(['"](node:|ws|jose|prom-client)/.test(text))
      .map(({ name }) => name);
    assert.deepEqual(hits, []);
  });

  it('keeps src/core and src/protocol free of Lit', () => {
    const hits = browser
      .filter(({ name }) => /^src\/(core|protocol)\//.test(name))
      .filter(({ text }) => /from ['"](lit|@lit\/)/.test(text))
      .map(({ name }) => name);
    assert.deepEqual(hits, []);
  });

  it('lets the gateway import of src/ only the core, the protocol and the version (its package bundles them, without Lit)', () => {
    const hits = files
      .filter(({ name }) => name.startsWith('gateway/src/'))
      .flatMap(({ name, text }) => [...text.matchAll(/from ['"]([^'"]+)['"]/g)].map((match) => ({ name, specifier: /** @type {string} */ (match[1]) })))
      .filter(({ specifier }) => !/^(node:[\w/]+|ws|prom-client|\.\/[\w-]+\.js|\.\.\/\.\.\/src\/(core\/[\w-]+|protocol\/[\w-]+|version)\.js)$/.test(specifier))
      .map(({ name, specifier }) => `${name}: ${specifier}`);
    assert.deepEqual(hits, []);
  });
});
