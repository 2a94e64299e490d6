// The built Storybook the end-to-end tests open (test/e2e/storybook*.test.js), and a server for it.
// `npm test` builds it once for both files (scripts/test-all.mjs, GYM_TEST_STORYBOOK); a file
// run on its own builds one for itself.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TYPES = /** @type {Record<string, string>} */ ({ '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' });

/** `storybook build` into `outputDir`, with `env` added to the environment. */
export async function buildStorybook(/** @type {string} */ outputDir, /** @type {Record<string, string>} */ env) {
  const cli = join(ROOT, 'node_modules/storybook/dist/bin/dispatcher.js');
  const child = spawn(process.execPath, [cli, 'build', '-o', outputDir, '--quiet'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, `storybook build failed: ${stderr}`);
}

/**
 * The Storybook as `npm run build-storybook` builds it, without STORYBOOK_GYM_URL: the one
 * `npm test` built for this run, or one built now into a folder of its own. `dispose` removes
 * what was built here (and leaves the shared one alone).
 * @returns {Promise<{ dir: string, dispose: () => Promise<void> }>}
 */
export async function defaultStorybook() {
  const shared = process.env.GYM_TEST_STORYBOOK;
  if (shared) return { dir: shared.endsWith(sep) ? shared : `${shared}${sep}`, dispose: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'storybook-default-'));
  await buildStorybook(dir, { STORYBOOK_GYM_URL: '' });
  return { dir: `${dir}${sep}`, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Serves a built Storybook on a free loopback port. */
export async function serve(/** @type {string} */ dir) {
  const base = dir.endsWith(sep) ? dir : `${dir}${sep}`;
  const server = createServer(async (request, response) => {
    const path = normalize(join(base, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)));
    try {
      if (!path.startsWith(base)) throw new Error('outside');
      const body = await readFile(path.endsWith(sep) ? join(path, 'index.html') : path);
      response.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  return {
    server,
    origin: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
