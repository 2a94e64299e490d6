import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PAGES = fileURLToPath(new URL('../pages/', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../dist/bundle/', import.meta.url));
/** The React and Vue host pages, built from demo/hosts/ (`/react.html`, `/vue.html` and their `/assets/`). */
const HOSTS = fileURLToPath(new URL('../../dist/hosts/', import.meta.url));

const TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
});

/** A content-hashed file of the CDN module (`gym-realtime-widgets.<part>.<hash>.js`). */
const HASHED = /^gym-realtime-widgets\.[\w-]+\.[\w-]{8}\.js$/;

/**
 * The strictest policy a page embedding the widgets could have: everything
 * from the page's own origin, no inline script or style, Trusted Types.
 */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; require-trusted-types-for 'script'";

/**
 * Serves the demo pages (`demo/pages/`), the built CDN files
 * (`/gym-realtime-widgets.js`, `/gym-realtime-widgets.classic.js`) and the
 * built host pages (`/react.html`, `/vue.html`) under the strict policy. Only
 * files inside those folders are reachable. Each answer carries an ETag, so a
 * browser's cached copy is revalidated with a 304 (a warm cache costs no body);
 * the module's content-hashed files are cached for good (a warm cache costs no request).
 * @param {string} pathname @param {import('node:http').ServerResponse} response
 * @param {import('node:http').IncomingMessage} [request] its `If-None-Match`
 * @returns {Promise<boolean>} whether it answered
 */
export async function serveStatic(pathname, response, request) {
  const name = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
  const root = name.startsWith('gym-realtime-widgets.') ? BUNDLE : /^(react\.html|vue\.html|assets\/)/.test(name) ? HOSTS : PAGES;
  const file = normalize(join(root, name));
  if (!file.startsWith(root) || file.slice(root.length).split(sep).some((part) => part.startsWith('.'))) return false;
  let body;
  try {
    body = await readFile(file);
  } catch {
    if (root !== PAGES) {
      response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Not built yet: run `npm start`, which builds the bundle and the host pages.');
      return true;
    }
    return false;
  }
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  const headers = {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': STRICT_CSP,
    // The CDN module's files are named by their content: a page that has one never asks again.
    'Cache-Control': HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
  };
  const fresh = request?.headers['if-none-match'] === etag;
  response.writeHead(fresh ? 304 : 200, headers);
  response.end(fresh ? undefined : body);
  return true;
}
