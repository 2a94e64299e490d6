// The packed package, as an app installs it: `npm pack` (which builds; under `npm test`, the
// tarball packed once after the shared build), a fresh
// project installs the tarball, type-checks imports of `.`, an element entry,
// `./core` and the React 19 JSX typings, runs `./core` in Node, runs `.`
// and an element entry in Chromium, and runs the `gym-realtime-gateway` bin.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { startGymServer } from '../../demo/server/gym-server.js';
import { CHROMIUM_ARGS, findBrowser } from '../../scripts/find-browser.mjs';
import { until } from '../server/helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'gym-package-'));
const app = join(work, 'app');
/** @type {string} */
let tarball;

const run = (/** @type {string} */ command, /** @type {string[]} */ args, /** @type {string} */ cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the packed package in a fresh project', { timeout: 300_000 }, () => {
  before(() => {
    // `npm test` packs once, after the one build every test shares (scripts/test-all.mjs): its
    // folder is GYM_TEST_PACK_DIR. Run alone, this file packs for itself (`prepack` builds first).
    const packed = process.env.GYM_TEST_PACK_DIR ?? work;
    if (!process.env.GYM_TEST_PACK_DIR) run('npm', ['pack', '--pack-destination', work, '--loglevel=error'], root);
    const tarballs = readdirSync(packed).filter((name) => name.endsWith('.tgz'));
    assert.equal(tarballs.length, 1, `one tarball in ${packed}: ${tarballs.join(', ')}`);
    tarball = join(packed, /** @type {string} */ (tarballs[0]));
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { 'gym-realtime-widgets': `file:${tarball}` }, devDependencies: { '@types/react': '^19' } }),
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('holds the built files, the CDN files with their hashes, editor data and the changelog — no sources', () => {
    const files = run('tar', ['-tzf', tarball], work).split('\n');
    for (const file of [
      'package/dist/lib/index.js',
      'package/dist/lib/core.js',
      'package/dist/lib/elements/checkin-feed/checkin-feed.js',
      'package/dist/types/index.d.ts',
      'package/dist/types/react-jsx.d.ts',
      'package/dist/bundle/gym-realtime-widgets.js',
      'package/dist/bundle/gym-realtime-widgets.classic.js',
      'package/dist/bundle/integrity.json',
      'package/dist/editor/web-types.json',
      'package/dist/editor/vscode.html-custom-data.json',
      'package/custom-elements.json',
      'package/CHANGELOG.md',
      'package/bin/gym-realtime-gateway.js',
      'package/dist/gateway/index.js',
    ]) {
      assert.ok(files.includes(file), `${file} is missing`);
    }
    assert.deepEqual(
      files.filter((file) => /^package\/(src|test|bench|demo|stories)\//.test(file)),
      [],
    );
  });

  it('gives editors every tag with its attributes and events, and the CDN files their hashes', () => {
    const installed = join(app, 'node_modules/gym-realtime-widgets');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    const webTypes = JSON.parse(readFileSync(join(installed, manifest['web-types']), 'utf8'));
    const feed = webTypes.contributions.html.elements.find((/** @type {{ name: string }} */ element) => element.name === 'gym-checkin-feed');
    assert.equal(webTypes.contributions.html.elements.length, 6);
    assert.ok(feed.attributes.some((/** @type {{ name: string }} */ attribute) => attribute.name === 'limit'));
    assert.ok(feed.events.some((/** @type {{ name: string }} */ event) => event.name === 'gym-checkin-result'));
    const vscode = JSON.parse(readFileSync(join(installed, 'dist/editor/vscode.html-custom-data.json'), 'utf8'));
    const provider = vscode.tags.find((/** @type {{ name: string }} */ tag) => tag.name === 'gym-realtime-provider');
    assert.ok(provider.attributes.some((/** @type {{ name: string }} */ attribute) => attribute.name === 'token-url'));
    const { version, files } = JSON.parse(readFileSync(join(installed, 'dist/bundle/integrity.json'), 'utf8'));
    assert.equal(version, manifest.version);
    for (const [file, { integrity }] of Object.entries(files)) {
      const digest = createHash('sha384').update(readFileSync(join(installed, 'dist/bundle', file))).digest('base64');
      assert.equal(integrity, `sha384-${digest}`, file);
    }
  });

  it('type-checks imports of ., an element entry, ./core and React 19 JSX with the typings', () => {
    writeFileSync(
      join(app, 'main.ts'),
      `import { GymRealtimeProvider, RealtimeClient, VERSION, type GymErrorEvent } from 'gym-realtime-widgets';
import { GymCheckinFeed } from 'gym-realtime-widgets/checkin-feed';
import { RealtimeClient as CoreClient, DEFAULT_TIMINGS, type ConnectionState } from 'gym-realtime-widgets/core';

const provider: GymRealtimeProvider = document.createElement('gym-realtime-provider');
provider.url = 'wss://gym.example/ws/checkins/';
provider.tokenProvider = async () => 'token';
provider.addEventListener('gym-error', (event: GymErrorEvent) => event.detail.message.length);
const feed: GymCheckinFeed = document.createElement('gym-checkin-feed');
feed.limit = 10;
const state: ConnectionState = new CoreClient({ url: 'wss://gym.example/ws/checkins/' }).state;
export const checks = [VERSION, RealtimeClient === CoreClient, DEFAULT_TIMINGS.maxRetryDelay, state, provider.version];
`,
    );
    writeFileSync(
      join(app, 'host.tsx'),
      `import type {} from 'gym-realtime-widgets/react-jsx';

export const Live = () => (
  <gym-realtime-provider url="wss://gym.example/ws/checkins/" token-url="/api/token/" ongym-connection-change={(event) => event.detail.state}>
    <gym-connection-status compact />
    <gym-checkin-feed limit={10} notify ongym-checkin-result={(event) => event.detail.status} />
  </gym-realtime-provider>
);
// @ts-expect-error limit is a number
export const wrongProperty = <gym-checkin-feed limit="ten" />;
// @ts-expect-error the event's detail is typed: there is no "ok" status
export const wrongEvent = <gym-checkin-form ongym-checkin-result={(event) => event.detail.status === 'ok'} />;
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', jsx: 'react-jsx', lib: ['ES2022', 'DOM', 'DOM.Iterable'], strict: true, noEmit: true, types: [] },
        include: ['main.ts', 'host.tsx'],
      }),
    );
    run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], app);
  });

  it('runs ./core in Node', () => {
    const out = run(
      process.execPath,
      ['--input-type=module', '-e', `const core = await import('gym-realtime-widgets/core'); console.log(new core.RealtimeClient({ url: 'ws://gym.example/' }).state);`],
      app,
    );
    assert.equal(out.trim(), 'idle');
  });

  it('runs the gym-realtime-gateway bin: --help, then live in front of a local gym server until SIGTERM', async (t) => {
    const bin = join(app, 'node_modules/.bin/gym-realtime-gateway');
    assert.match(run(bin, ['--help'], app), /^Usage: gym-realtime-gateway/);
    const gym = await startGymServer({ port: 0 });
    t.after(() => gym.close());
    const env = { ...process.env, GYM_GATEWAY_PASSWORD: 'frontdesk' };
    const gateway = spawn(bin, ['--upstream', gym.socketUrl, '--username', 'frontdesk', '--port', '0'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => gateway.kill('SIGKILL'));
    let out = '';
    gateway.stdout.on('data', (chunk) => (out += chunk));
    const exited = new Promise((resolve) => gateway.on('exit', (code) => resolve(code)));
    const lines = () => out.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    await until(() => lines().some((line) => line.event === 'gateway.live'), 'the installed gateway to be live', 15_000);
    const { history } = lines().find((line) => line.event === 'gateway.listening');
    assert.equal((await fetch(new URL('/readyz', history))).status, 200);
    assert.ok(Array.isArray(await (await fetch(history)).json()));
    gateway.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('runs . and an element entry in Chromium: each registers what it says', async () => {
    const bundle = async (/** @type {string} */ source) =>
      (await esbuild.build({ stdin: { contents: source, resolveDir: app, loader: 'js' }, bundle: true, format: 'esm', write: false, logLevel: 'silent' })).outputFiles[0]?.text ?? '';
    const all = await bundle(`import { VERSION } from 'gym-realtime-widgets'; window.version = VERSION;`);
    const feedOnly = await bundle(`import 'gym-realtime-widgets/checkin-feed';`);
    const browser = await chromium.launch({ executablePath: findBrowser(), args: CHROMIUM_ARGS });
    try {
      const defined = async (/** @type {string} */ code) => {
        const page = await browser.newPage();
        const errors = /** @type {string[]} */ ([]);
        page.on('pageerror', (error) => errors.push(error.message));
        await page.setContent('<!doctype html><body></body>');
        await page.addScriptTag({ content: code, type: 'module' });
        const result = await page.evaluate(() => ({
          tags: ['gym-realtime-provider', 'gym-connection-status', 'gym-checkin-feed', 'gym-checkin-stats', 'gym-checkin-form', 'gym-error-boundary'].filter((tag) => customElements.get(tag)),
          version: /** @type {any} */ (document.createElement('gym-realtime-provider')).version,
        }));
        await page.close();
        assert.deepEqual(errors, []);
        return result;
      };
      const version = JSON.parse(run('npm', ['pkg', 'get', 'version'], root));
      assert.deepEqual(await defined(all), {
        tags: ['gym-realtime-provider', 'gym-connection-status', 'gym-checkin-feed', 'gym-checkin-stats', 'gym-checkin-form', 'gym-error-boundary'],
        version,
      });
      assert.deepEqual((await defined(feedOnly)).tags, ['gym-checkin-feed']);
    } finally {
      await browser.close();
    }
  });
});
