// The build's minifier for CSS in css`…` templates (scripts/template-css.mjs).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { transform } from 'lightningcss';
import { minifyTemplateCss } from '../../scripts/template-css.mjs';

/** Lit's css tag, reduced to what the text of the style sheet needs. */
const css = (/** @type {TemplateStringsArray} */ strings, /** @type {unknown[]} */ ...values) =>
  strings.reduce((text, string, i) => text + String(values[i - 1]) + string);

/**
 * Runs a styles module (imports dropped) and returns its exports' CSS.
 * @param {string} source
 * @param {Record<string, unknown>} [globals] values its holes refer to
 * @returns {Record<string, string>}
 */
function evaluate(source, globals = {}) {
  /** @type {Record<string, string>} */
  const exports = {};
  runInNewContext(source.replace(/^import .*$/gm, '').replace(/^export const (\w+)/gm, 'exports.$1'), { css, exports, ...globals });
  return exports;
}

/** What a style sheet means, whatever its white space and comments. */
const normal = (/** @type {string} */ text) => String(transform({ filename: 'normal.css', code: Buffer.from(text), minify: true }).code);

/** The minified text of the one template in `module`. */
const templateOf = (/** @type {string} */ module) => /css`([\s\S]*)`/.exec(minifyTemplateCss(module))?.[1];

describe('minifyTemplateCss', () => {
  it('keeps strings as written: colons, semicolons, braces and comment marks inside quotes', () => {
    const out = templateOf("x = css`a::before { content: ': '; } b::after { content: 'x; y { z }'; } c::after { content: \"/* kept */\"; }`");
    assert.equal(out, 'a:before{content:": "}b:after{content:"x; y { z }"}c:after{content:"/* kept */"}');
  });

  it('keeps url(), quoted or not, and drops comments', () => {
    const out = templateOf('x = css`/* a { b } */ a { background: url( "a b.png" ) /* c; */; } b { background: url(data:image/gif;base64,R0lG); }`');
    assert.equal(out, 'a{background:url("a b.png")}b{background:url(data:image/gif;base64,R0lG)}');
  });

  it('reads a CSS escape (written \\\\ in a template) as CSS does', () => {
    assert.equal(templateOf("x = css`li::before { content: '\\\\2022'; } b::after { content: '\\\\\\`'; }`"), 'li:before{content:"•"}b:after{content:"\\`"}');
  });

  it('puts holes back where they were: declarations, a value, whole rules', () => {
    const module = [
      'const tokens = css`',
      '  --_a: #ffffff;',
      '  --_b: 1px;',
      '`;',
      'export const sheet = css`',
      '  ${rules}',
      '  :host {',
      '    ${tokens}',
      '    display: block;',
      '    color: ${pick({ a: 1 }, "}")};',
      '  }',
      '  p { margin: 0 ${`${gap}`}; }',
      '`;',
    ].join('\n');
    const out = minifyTemplateCss(module);
    // The tokens lose their last `;`: the hole that splices them into a rule adds it back.
    assert.match(out, /^const tokens = css`--_a:#fff;--_b:1px`\n+;\n/);
    assert.ok(out.includes('css`${rules}:host{${tokens};color:${pick({ a: 1 }, "}")};display:block}p{margin:0 ${`${gap}`}}`'), out);
    const globals = { rules: 'q{top:0}', pick: () => 'red', gap: '2px' };
    assert.equal(evaluate(out, globals).sheet, normal(evaluate(module, globals).sheet ?? ''));
  });

  it('keeps every line, so the code after a template does not move', () => {
    const module = 'x = css`\n  a {\n    color: red;\n  }\n`;\nconst line5 = 1;';
    const out = minifyTemplateCss(module);
    assert.equal(out.split('\n').length, module.split('\n').length);
    assert.equal(out.split('\n').at(-1), 'const line5 = 1;');
  });

  it('leaves other code and other tags alone', () => {
    const module = "const a = html`<p> a { b: c } </p>`; const b = notcss`a { b: c }`; const c = 'css';";
    assert.equal(minifyTemplateCss(module), module);
  });

  it('fails the build rather than guess: a hole in a selector, a template left open', () => {
    assert.throws(() => minifyTemplateCss('x = css`${selector} { color: red; }`'), /css` template at line 1/);
    assert.throws(() => minifyTemplateCss('x = css`a { color: red; '), /unterminated css` template/);
  });

  it('means the same for every shipped style sheet', () => {
    const src = new URL('../../src/', import.meta.url);
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((name) => /styles\.ts$/.test(name));
    assert.ok(files.length >= 7);
    for (const name of files) {
      const source = readFileSync(new URL(name, src), 'utf8');
      const before = evaluate(source);
      const after = evaluate(minifyTemplateCss(source));
      assert.deepEqual(Object.keys(after), Object.keys(before), name);
      for (const [key, text] of Object.entries(before)) assert.equal(normal(after[key] ?? ""), normal(text), `${name}: ${key}`);
    }
  });
});
