import { transform, transformStyleAttribute } from 'lightningcss';

/**
 * Minifies the CSS inside css`…` templates, which a JavaScript minifier leaves
 * as written. lightningcss parses and prints the CSS, so strings, `url()` and
 * comments are read as CSS, never pattern-matched. Used by the Vite build and
 * by the size benchmark, so both measure what ships.
 *
 * A `${}` hole becomes a placeholder lightningcss keeps where it is:
 * - where a rule or a declaration may start, `@gym-hole-N;` (an unknown
 *   at-rule: the declarations around it are not reordered across it); inside a
 *   block it comes back followed by `;`, because a declaration list minified
 *   in another template has lost its last one;
 * - anywhere else, `var(--gym-hole-N)`: a value holding `var()` is kept as
 *   written. A hole in a selector does not parse and fails the build.
 *
 * A template that is not a style sheet is minified as a declaration list
 * (shared tokens, spliced into a rule through a hole). The line breaks a
 * template loses go after it, so the code below keeps its lines and the
 * source maps of the build stay true without a map of this step.
 * @param {string} code a module's source
 * @returns {string}
 */
export function minifyTemplateCss(code) {
  let out = '';
  let done = 0;
  for (const match of code.matchAll(/(?<![\w$.])css`/g)) {
    const start = match.index + match[0].length;
    // A css` inside the hole of one already read is minified with that hole.
    if (start <= done) continue;
    const { end, chunks, holes } = readTemplate(code, start);
    const line = code.slice(0, start).split('\n').length;
    const minified = minifyTemplate(chunks, holes, line);
    const lost = lineBreaks(code.slice(start, end)) - lineBreaks(minified);
    out += code.slice(done, start) + minified + '`' + '\n'.repeat(Math.max(0, lost));
    done = end;
  }
  return out + code.slice(done);
}

const lineBreaks = (/** @type {string} */ text) => text.split('\n').length - 1;

/**
 * Reads a template literal from just after its opening backtick.
 * @param {string} code
 * @param {number} i
 * @returns {{ end: number, chunks: string[], holes: string[] }} `end` is just past the closing backtick; chunks and holes are source text
 */
function readTemplate(code, i) {
  const chunks = [];
  const holes = [];
  let chunk = i;
  while (i < code.length) {
    const c = code[i];
    if (c === '\\') {
      i += 2;
    } else if (c === '`') {
      chunks.push(code.slice(chunk, i));
      return { end: i + 1, chunks, holes };
    } else if (c === '$' && code[i + 1] === '{') {
      chunks.push(code.slice(chunk, i));
      const close = readHole(code, i + 2);
      holes.push(code.slice(i + 2, close));
      i = chunk = close + 1;
    } else {
      i++;
    }
  }
  throw new SyntaxError('unterminated css` template');
}

/**
 * The index of the `}` that closes a hole, past strings, nested templates and braces.
 * @param {string} code
 * @param {number} i just after `${`
 */
function readHole(code, i) {
  for (let depth = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '`') {
      i = readTemplate(code, i + 1).end - 1;
    } else if (c === '"' || c === "'") {
      for (i++; i < code.length && code[i] !== c; i++) if (code[i] === '\\') i++;
    } else if (c === '{') {
      depth++;
    } else if (c === '}' && depth-- === 0) {
      return i;
    }
  }
  throw new SyntaxError('unterminated ${} in a css` template');
}

/** The template's text as Lit sees it (`String.raw` undone); CSS escapes are written `\\` in the source. */
const cook = (/** @type {string} */ raw) =>
  raw.replace(/\\([\s\S])/g, (_, /** @type {string} */ c) => {
    if ('\\`$'.includes(c)) return c;
    throw new SyntaxError(`unsupported escape \\${c} in a css\` template (write a CSS escape as \\\\)`);
  });

/** Back to template source. */
const uncook = (/** @type {string} */ text) => text.replace(/\\|`|\$\{/g, (c) => `\\${c}`);

/** Strings and comments blanked out, to see where a hole stands. */
const bare = (/** @type {string} */ css) => css.replace(/\/\*[\s\S]*?\*\/|"(?:\\[\s\S]|[^"\\])*"|'(?:\\[\s\S]|[^'\\])*'/g, (m) => (m[0] === '/' ? ' ' : '""'));

/**
 * @param {string[]} chunks
 * @param {string[]} holes
 * @param {number} line where the template starts, for errors
 */
function minifyTemplate(chunks, holes, line) {
  /** @type {string[]} what follows each hole once restored */
  const after = [];
  let css = cook(chunks[0] ?? '');
  holes.forEach((_, n) => {
    const before = bare(css);
    if (/(^|[{};])\s*$/.test(before)) {
      after[n] = before.split('{').length > before.split('}').length ? ';' : '';
      css += `@gym-hole-${n};`;
    } else {
      after[n] = '';
      css += `var(--gym-hole-${n})`;
    }
    css += cook(chunks[n + 1] ?? '');
  });
  let printed;
  try {
    printed = String(transform({ filename: `line ${line}`, code: Buffer.from(css), minify: true }).code);
  } catch (error) {
    try {
      printed = String(transformStyleAttribute({ filename: `line ${line}`, code: Buffer.from(css), minify: true }).code);
    } catch {
      throw new SyntaxError(`css\` template at line ${line}: ${/** @type {Error} */ (error).message}`, { cause: error });
    }
  }
  const restored = new Set();
  const minified = uncook(printed).replace(/@gym-hole-(\d+);|var\(--gym-hole-(\d+)\)/g, (_, rule, value) => {
    const n = Number(rule ?? value);
    if (restored.has(n)) throw new SyntaxError(`css\` template at line ${line}: hole ${n} printed twice`);
    restored.add(n);
    return `\${${minifyTemplateCss(/** @type {string} */ (holes[n]))}}${after[n]}`;
  });
  if (restored.size !== holes.length) throw new SyntaxError(`css\` template at line ${line}: a hole was dropped`);
  return minified;
}
