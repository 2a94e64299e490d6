// The two packed packages, as their users install them: `npm pack` and `npm pack -w gateway`
// (which build; under `npm test`, the tarballs packed once after the shared build). A fresh
// project installs the browser package's tarball, type-checks imports of `.`, an element entry,
// `./elements`, `./core` and the React 19 JSX typings, runs `./core` in Node, runs `.`, an
// element entry and `./elements` in Chromium. Another fresh project installs the gateway's
// tarball alone and runs its `gym-realtime-gateway` bin: the gateway needs nothing of the
// browser package, only `ws` and `prom-client`.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
const gatewayApp = join(work, 'gateway-app');
/** The browser package's tarball and the gateway's. */
let tarball = '';
let gatewayTarball = '';

const run = (/** @type {string} */ command, /** @type {string[]} */ args, /** @type {string} */ cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** The files of a tarball. */
const listing = (/** @type {string} */ file) => run('tar', ['-tzf', file], work).split('\n').filter(Boolean);
/** The package.json inside a tarball, as packed. */
const packedManifest = (/** @type {string} */ file) => JSON.parse(run('tar', ['-xzOf', file, 'package/package.json'], work));

describe('the packed package in a fresh project', { timeout: 300_000 }, () => {
  before(() => {
    // `npm test` packs once, after the one build every test shares (scripts/test-all.mjs): its
    // folder is GYM_TEST_PACK_DIR. Run alone, this file packs for itself (`prepack` builds first).
    // The gateway's `prepack` builds it again: it is packed as it would be published.
    const packed = process.env.GYM_TEST_PACK_DIR ?? work;
    if (!process.env.GYM_TEST_PACK_DIR) {
      run('npm', ['pack', '--pack-destination', work, '--loglevel=error'], root);
      run('npm', ['pack', '--workspace', 'gateway', '--pack-destination', work, '--loglevel=error'], root);
    }
    const tarballs = readdirSync(packed).filter((name) => name.endsWith('.tgz'));
    assert.equal(tarballs.length, 2, `two tarballs in ${packed}: ${tarballs.join(', ')}`);
    const named = (/** @type {string} */ name) => {
      const file = tarballs.find((candidate) => candidate.startsWith(`${name}-`));
      assert.ok(file, `no ${name}-<version>.tgz in ${packed}: ${tarballs.join(', ')}`);
      return join(packed, file);
    };
    tarball = named('gym-realtime-widgets');
    gatewayTarball = named('gym-realtime-gateway');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { 'gym-realtime-widgets': `file:${tarball}` }, devDependencies: { '@types/react': '^19' } }),
    );
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], app);
    mkdirSync(gatewayApp);
    writeFileSync(join(gatewayApp, 'package.json'), JSON.stringify({ name: 'gateway-app', private: true, dependencies: { 'gym-realtime-gateway': `file:${gatewayTarball}` } }));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], gatewayApp);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('holds the built files, the CDN files with their hashes, editor data and the changelog — no sources, no gateway', () => {
    const files = listing(tarball);
    for (const file of [
      'package/dist/lib/index.js',
      'package/dist/lib/core.js',
      'package/dist/lib/elements.js',
      'package/dist/lib/elements/checkin-feed/checkin-feed.js',
      'package/dist/types/index.d.ts',
      'package/dist/types/elements.d.ts',
      'package/dist/types/react-jsx.d.ts',
      'package/dist/bundle/gym-realtime-widgets.js',
      'package/dist/bundle/gym-realtime-widgets.classic.js',
      'package/dist/bundle/integrity.json',
      'package/dist/editor/web-types.json',
      'package/dist/editor/vscode.html-custom-data.json',
      'package/custom-elements.json',
      'package/CHANGELOG.md',
    ]) {
      assert.ok(files.includes(file), `${file} is missing`);
    }
    assert.deepEqual(
      files.filter((file) => /^package\/(src|test|bench|demo|stories|bin|gateway)\/|^package\/dist\/gateway\//.test(file)),
      [],
    );
  });

  it('depends on lit and @lit/context only; the gateway on ws and prom-client only', () => {
    assert.deepEqual(Object.keys(packedManifest(tarball).dependencies).sort(), ['@lit/context', 'lit']);
    assert.equal(packedManifest(tarball).bin, undefined);
    const gateway = packedManifest(gatewayTarball);
    assert.equal(gateway.name, 'gym-realtime-gateway');
    assert.deepEqual(Object.keys(gateway.dependencies).sort(), ['prom-client', 'ws']);
    assert.deepEqual(gateway.bin, { 'gym-realtime-gateway': './bin/gym-realtime-gateway.js' });
    assert.deepEqual(gateway.engines, packedManifest(tarball).engines);
  });

  it('packs the gateway self-contained: its bin, one bundle with the core inside, its README — no sources', () => {
    assert.deepEqual(listing(gatewayTarball).sort(), [
      'package/README.md',
      'package/bin/gym-realtime-gateway.js',
      'package/dist/index.js',
      'package/dist/index.js.map',
      'package/package.json',
    ]);
    // What the installed bundle imports: Node's modules and the two packages, nothing of the browser package.
    const installed = join(gatewayApp, 'node_modules/gym-realtime-gateway');
    const bundle = readFileSync(join(installed, 'dist/index.js'), 'utf8');
    const imported = new Set([...bundle.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/gm)].map((match) => match[1] ?? match[2]));
    assert.deepEqual([...imported].filter((specifier) => !specifier?.startsWith('node:')).sort(), ['prom-client', 'ws']);
    for (const absent of ['lit', '@lit/context', 'gym-realtime-widgets', 'jose']) assert.ok(!existsSync(join(gatewayApp, 'node_modules', absent)), `${absent} is installed with the gateway`);
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

  it('type-checks imports of ., an element entry, ./elements, ./core and React 19 JSX with the typings', () => {
    writeFileSync(
      join(app, 'main.ts'),
      `import { GymRealtimeProvider, RealtimeClient, VERSION, type GymErrorEvent } from 'gym-realtime-widgets';
import { GymCheckinFeed } from 'gym-realtime-widgets/checkin-feed';
import { GymCheckinFeed as FeedClass, GymCheckinStats } from 'gym-realtime-widgets/elements';
import { RealtimeClient as CoreClient, DEFAULT_TIMINGS, type ConnectionState } from 'gym-realtime-widgets/core';

const provider: GymRealtimeProvider = document.createElement('gym-realtime-provider');
provider.url = 'wss://gym.example/ws/checkins/';
provider.tokenProvider = async () => 'token';
provider.addEventListener('gym-error', (event: GymErrorEvent) => event.detail.message.length);
const feed: GymCheckinFeed = document.createElement('gym-checkin-feed');
feed.limit = 10;
const state: ConnectionState = new CoreClient({ url: 'wss://gym.example/ws/checkins/' }).state;
const sameFeed: typeof FeedClass = GymCheckinFeed;
class MyStats extends GymCheckinStats {}
export const checks = [VERSION, RealtimeClient === CoreClient, DEFAULT_TIMINGS.maxRetryDelay, state, provider.version, sameFeed, MyStats];
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

  it('runs the installed gym-realtime-gateway bin: --help prints its usage and exits 0', () => {
    const help = spawnSync(join(gatewayApp, 'node_modules/.bin/gym-realtime-gateway'), ['--help'], { cwd: gatewayApp, encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: gym-realtime-gateway/);
    assert.match(help.stdout, /--upstream/);
    assert.equal(help.stderr, '');
  });

  it('runs the installed gateway live in front of a local gym server until SIGTERM', async (t) => {
    const bin = join(gatewayApp, 'node_modules/.bin/gym-realtime-gateway');
    const gym = await startGymServer({ port: 0 });
    t.after(() => gym.close());
    const env = { ...process.env, GYM_GATEWAY_PASSWORD: 'frontdesk' };
    const gateway = spawn(bin, ['--upstream', gym.socketUrl, '--username', 'frontdesk', '--port', '0'], { cwd: gatewayApp, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

  it('runs ., an element entry and ./elements in Chromium: each registers what it says, ./elements nothing', async () => {
    const bundle = async (/** @type {string} */ source) =>
      (await esbuild.build({ stdin: { contents: source, resolveDir: app, loader: 'js' }, bundle: true, format: 'esm', write: false, logLevel: 'silent' })).outputFiles[0]?.text ?? '';
    const all = await bundle(`import { VERSION } from 'gym-realtime-widgets'; window.version = VERSION;`);
    const feedOnly = await bundle(`import 'gym-realtime-widgets/checkin-feed';`);
    // The classes without a tag: the page defines one of them under a name of its own.
    const classesOnly = await bundle(
      `import * as elements from 'gym-realtime-widgets/elements';
window.exported = Object.keys(elements).filter((name) => typeof elements[name] === 'function' && elements[name].prototype instanceof HTMLElement).sort();
customElements.define('my-feed', class extends elements.GymCheckinFeed {});`,
    );
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
          exported: /** @type {any} */ (window).exported,
          myFeed: customElements.get('my-feed') !== undefined && document.createElement('my-feed') instanceof HTMLElement,
        }));
        await page.close();
        assert.deepEqual(errors, []);
        return result;
      };
      const version = JSON.parse(run('npm', ['pkg', 'get', 'version'], root));
      const everything = await defined(all);
      assert.deepEqual(everything.tags, ['gym-realtime-provider', 'gym-connection-status', 'gym-checkin-feed', 'gym-checkin-stats', 'gym-checkin-form', 'gym-error-boundary']);
      assert.equal(everything.version, version);
      assert.deepEqual((await defined(feedOnly)).tags, ['gym-checkin-feed']);
      const classes = await defined(classesOnly);
      assert.deepEqual(classes.tags, [], 'importing ./elements registered a gym- tag');
      assert.deepEqual(classes.exported, ['GymCheckinFeed', 'GymCheckinForm', 'GymCheckinStats', 'GymConnectionStatus', 'GymElement', 'GymErrorBoundary', 'GymRealtimeProvider']);
      assert.equal(classes.myFeed, true);
    } finally {
      await browser.close();
    }
  });
});
