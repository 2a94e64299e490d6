// The package's promises that need no build: version, entries, side effects.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';

const root = new URL('../../', import.meta.url);
const read = (/** @type {string} */ path) => readFileSync(new URL(path, root), 'utf8');
/** The browser package (the repository's root) and the gateway's (its workspace, gateway/). */
const pkg = JSON.parse(read('package.json'));
const gatewayPkg = JSON.parse(read('gateway/package.json'));

describe('package', () => {
  it('has one version: both package.jsons, src/version.ts (the provider and the gateway show it) and the changelog', () => {
    assert.match(pkg.version, /^\d+\.\d+\.\d+(-[\w.]+)?$/);
    assert.equal(gatewayPkg.version, pkg.version);
    assert.equal(/VERSION = '([^']+)'/.exec(read('src/version.ts'))?.[1], pkg.version);
    assert.match(read('CHANGELOG.md'), new RegExp(`^## ${pkg.version.replaceAll('.', '\\.')}\\b`, 'm'));
  });

  it('has an entry per element, types first, each built from a source that registers it', () => {
    const elements = readdirSync(new URL('src/elements/', root)).filter((name) => name !== 'shared');
    assert.equal(elements.length, 6);
    for (const name of elements) {
      const entry = pkg.exports[`./${name}`];
      assert.deepEqual(Object.keys(entry), ['types', 'default'], name);
      assert.equal(entry.default, `./dist/lib/elements/${name}/${name}.js`);
      assert.equal(entry.types, `./dist/types/elements/${name}/${name}.d.ts`);
      assert.match(read(`src/elements/${name}/${name}.ts`), /\.define\('gym-/, name);
    }
    for (const key of ['.', './core', './elements']) assert.equal(Object.keys(pkg.exports[key])[0], 'types', key);
    for (const key of ['./custom-elements.json', './package.json']) assert.ok(pkg.exports[key], key);
    assert.equal(pkg.customElements, 'custom-elements.json');
    assert.ok(pkg.files.includes('custom-elements.json'));
  });

  it('lists exactly the files that register elements as side effects (never false)', () => {
    assert.ok(Array.isArray(pkg.sideEffects));
    const registering = readdirSync(new URL('src/', root), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
      // Defines an element, re-exports or imports a module that does, or upgrades blocks on load.
      .filter((name) => /\.define\('gym-|(?:from |import\()'\.\/elements\/([\w-]+)\/\1\.js'|^watchWidgets\(\);/m.test(read(`src/${name}`)))
      .map((name) => `./src/${name}`);
    const fromSource = pkg.sideEffects.filter((/** @type {string} */ path) => path.startsWith('./src/'));
    assert.deepEqual([...fromSource].sort(), [...registering].sort());
    for (const path of fromSource) {
      if (path === './src/cdn.ts' || path === './src/cdn-classic.ts') continue;
      const built = path.replace('./src/', './dist/lib/').replace(/\.ts$/, '.js');
      assert.ok(pkg.sideEffects.includes(built), `${built} is not listed`);
    }
    for (const file of ['gym-realtime-widgets.js', 'gym-realtime-widgets.*.js', 'gym-realtime-widgets.classic.js']) assert.ok(pkg.sideEffects.includes(`./dist/bundle/${file}`), file);
  });

  it('has an ./elements entry: every element class, built from a source that registers none', () => {
    assert.deepEqual(pkg.exports['./elements'], { types: './dist/types/elements.d.ts', default: './dist/lib/elements.js' });
    const source = read('src/elements.ts');
    assert.doesNotMatch(source, /\.define\(|customElements/);
    for (const name of ['GymRealtimeProvider', 'GymConnectionStatus', 'GymCheckinFeed', 'GymCheckinStats', 'GymCheckinForm', 'GymErrorBoundary']) {
      assert.match(source, new RegExp(`export \\{ ${name} \\} from '\\./elements/[\\w-]+/[\\w-]+\\.component\\.js'`), name);
    }
    assert.ok(!pkg.sideEffects.includes('./src/elements.ts') && !pkg.sideEffects.includes('./dist/lib/elements.js'));
  });

  it('ships only what browser users need: Lit, and no gateway', () => {
    // The browser entries need only Lit (test/static/source-rules.test.js keeps the others out of them).
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), ['@lit/context', 'lit']);
    assert.equal(pkg.bin, undefined);
    for (const path of pkg.files) assert.ok(!path.startsWith('src') && !path.startsWith('test') && !path.includes('gateway') && path !== 'bin', path);
  });

  it('has the gateway as a package of its own: a workspace with its bin, the same Node range, ws and prom-client', () => {
    assert.deepEqual(pkg.workspaces, ['gateway']);
    assert.equal(gatewayPkg.name, 'gym-realtime-gateway');
    assert.equal(gatewayPkg.type, 'module');
    assert.deepEqual(gatewayPkg.engines, pkg.engines);
    assert.deepEqual(Object.keys(gatewayPkg.dependencies).sort(), ['prom-client', 'ws']);
    // Its runtime packages are the ones the browser package's tests and demo use too.
    for (const name of Object.keys(gatewayPkg.dependencies)) assert.ok(!pkg.dependencies[name], name);
    assert.equal(gatewayPkg.dependencies.ws, pkg.devDependencies.ws);
    assert.deepEqual(gatewayPkg.bin, { 'gym-realtime-gateway': './bin/gym-realtime-gateway.js' });
    assert.deepEqual([...gatewayPkg.files].sort(), ['bin', 'dist']);
    assert.match(gatewayPkg.scripts.prepack, /npm run build/);
    assert.match(gatewayPkg.scripts.build, /vite build --config \.\.\/vite\.config\.ts --mode gateway/);
    const launcher = read('gateway/bin/gym-realtime-gateway.js');
    assert.match(launcher, /^#!\/usr\/bin\/env node\n/);
    assert.match(launcher, /from '\.\.\/dist\/index\.js'/);
  });
});
