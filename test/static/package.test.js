// The package's promises that need no build: version, entries, side effects.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const read = (/** @type {string} */ path) => readFileSync(new URL(path, root), 'utf8');

describe('package', () => {
  it('has one version: package.json, src/version.ts (the provider shows it) and the changelog', () => {
    assert.match(pkg.version, /^\d+\.\d+\.\d+(-[\w.]+)?$/);
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
    for (const key of ['.', './core']) assert.equal(Object.keys(pkg.exports[key])[0], 'types', key);
    for (const key of ['./custom-elements.json', './package.json']) assert.ok(pkg.exports[key], key);
    assert.equal(pkg.customElements, 'custom-elements.json');
    assert.ok(pkg.files.includes('custom-elements.json'));
  });

  it('lists exactly the files that register elements as side effects (never false)', () => {
    assert.ok(Array.isArray(pkg.sideEffects));
    const registering = readdirSync(new URL('src/', root), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
      // Defines an element, re-exports a module that does, or upgrades blocks on load.
      .filter((name) => /\.define\('gym-|from '\.\/elements\/([\w-]+)\/\1\.js'|^watchWidgets\(\);/m.test(read(`src/${name}`)))
      .map((name) => `./src/${name}`);
    const fromSource = pkg.sideEffects.filter((/** @type {string} */ path) => path.startsWith('./src/'));
    assert.deepEqual([...fromSource].sort(), [...registering].sort());
    for (const path of fromSource) {
      if (path === './src/cdn.ts') continue;
      const built = path.replace('./src/', './dist/lib/').replace(/\.ts$/, '.js');
      assert.ok(pkg.sideEffects.includes(built), `${built} is not listed`);
    }
    for (const file of ['gym-realtime-widgets.js', 'gym-realtime-widgets.classic.js']) assert.ok(pkg.sideEffects.includes(`./dist/bundle/${file}`), file);
  });

  it('ships only what users need: Lit for the browser, and for the gateway bin its three packages', () => {
    // The browser entries need only Lit (test/static/source-rules.test.js keeps the others out of them).
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), ['@lit/context', 'jose', 'lit', 'prom-client', 'ws']);
    for (const path of pkg.files) assert.ok(!path.startsWith('src') && !path.startsWith('test'), path);
  });

  it('has the gateway bin: a launcher of the built gateway, shipped', () => {
    assert.deepEqual(pkg.bin, { 'gym-realtime-gateway': './bin/gym-realtime-gateway.js' });
    const launcher = read('bin/gym-realtime-gateway.js');
    assert.match(launcher, /^#!\/usr\/bin\/env node\n/);
    assert.match(launcher, /from '\.\.\/dist\/gateway\/index\.js'/);
    for (const path of ['bin', 'dist/gateway']) assert.ok(pkg.files.includes(path), path);
  });
});
