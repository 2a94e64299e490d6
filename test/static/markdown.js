// Reading the README and docs/ the way GitHub shows them: sections, code
// blocks, links and heading anchors. Used by the static tests; not a test itself.
import { readFileSync } from 'node:fs';

export const root = new URL('../../', import.meta.url);
export const read = (/** @type {string} */ path) => readFileSync(new URL(path, root), 'utf8');

/**
 * The lines of a Markdown text outside fenced code blocks, with their inline code kept.
 * @param {string} text
 */
export function proseLines(text) {
  /** @type {string[]} */
  const lines = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) lines.push(line);
  }
  return lines;
}

/**
 * GitHub's anchor for a heading: lower case, markup and punctuation dropped,
 * spaces to hyphens; a repeated heading gets -1, -2, …
 * @param {string} text
 */
export function anchors(text) {
  /** @type {Map<string, number>} */
  const seen = new Map();
  /** @type {Set<string>} */
  const result = new Set();
  for (const line of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const words = heading[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = words.toLowerCase().replace(/[^\p{L}\p{N}\p{M}\p{Pc}\- ]/gu, '').replaceAll(' ', '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count ? `${slug}-${count}` : slug);
  }
  return result;
}

/**
 * Every link and image target in the prose (not in code).
 * @param {string} text
 */
export function links(text) {
  const prose = proseLines(text)
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]);
}

/**
 * The text of a section: from its heading to the next heading of the same or a higher level.
 * @param {string} text
 * @param {string} title the heading's text, without the #s
 */
export function section(text, title) {
  const lines = text.split('\n');
  let fenced = false;
  let start = -1;
  let level = 0;
  for (const [index, line] of lines.entries()) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const heading = /^(#{1,6})\s+(.*?)\s*$/.exec(line);
    if (!heading) continue;
    if (start >= 0 && heading[1].length <= level) return lines.slice(start, index).join('\n');
    if (start < 0 && heading[2] === title) {
      start = index;
      level = heading[1].length;
    }
  }
  if (start < 0) throw new Error(`no section "${title}"`);
  return lines.slice(start).join('\n');
}

/**
 * The fenced code blocks of a text, in order.
 * @param {string} text
 * @returns {{ lang: string, code: string }[]}
 */
export function codeBlocks(text) {
  return [...text.matchAll(/^\s*```(\w*)\n([\s\S]*?)^\s*```\s*$/gm)].map((match) => ({ lang: match[1], code: match[2] }));
}
