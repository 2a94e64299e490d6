/**
 * Minifies the CSS inside css`…` templates, which a JavaScript minifier leaves
 * as written: comments go, and white space that cannot matter (runs, around
 * braces, semicolons and commas, after colons — our styles have no strings
 * where that would show). Line breaks stay, one per line, so source maps
 * (lines) stay true without a map of this step. Used by the Vite build and by
 * the size benchmark, so both measure what ships.
 * @param {string} code a module's source
 * @returns {string}
 */
export function minifyTemplateCss(code) {
  const squeeze = (/** @type {string} */ css) =>
    css
      .replace(/[ \t]+/g, ' ')
      .replace(/ ?([{};,]) ?/g, '$1')
      .replace(/: /g, ':')
      .trim();
  return code.replace(/css`([^`]*)`/g, (_, /** @type {string} */ body) => {
    const lines = body.replace(/\/\*[\s\S]*?\*\//g, (comment) => '\n'.repeat(comment.split('\n').length - 1)).split('\n');
    return `css\`${lines.map(squeeze).join('\n')}\``;
  });
}
