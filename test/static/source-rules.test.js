import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(join(SRC, name), 'utf8') }));

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

  it('keeps browser code free of Node: no node: module, no gateway package, nothing from src/gateway', () => {
    const hits = files
      .filter(({ name }) => !name.startsWith('gateway/'))
      .filter(({ text }) => /from ['"](node:|ws['"]|jose['"]|prom-client['"]|[./]+\/gateway\/)|import\(['"](node:|ws|jose|prom-client)/.test(text))
      .map(({ name }) => name);
    assert.deepEqual(hits, []);
  });

  it('keeps src/core and src/protocol free of Lit', () => {
    const hits = files
      .filter(({ name }) => /^(core|protocol)\//.test(name))
      .filter(({ text }) => /from ['"](lit|@lit\/)/.test(text))
      .map(({ name }) => name);
    assert.deepEqual(hits, []);
  });
});
