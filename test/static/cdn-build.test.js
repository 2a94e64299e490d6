// dist/bundle/ is the same whichever command built it last: `npm start`
// (build:demo) must not leave the README's integrity.json missing or stale.
// The test runs the CDN commands of `build:demo`, as written in package.json,
// into a temporary folder and checks what they leave there.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CDN_FILES, cdnScripts } from '../../scripts/cdn-report.mjs';
import { read, root } from './markdown.js';

const pkg = JSON.parse(read('package.json'));
const vite = fileURLToPath(new URL('node_modules/vite/bin/vite.js', root));
const report = fileURLToPath(new URL('scripts/cdn-report.mjs', root));

/** The `vite build` commands of a script that write dist/bundle/ (a `--mode` other than `gateway`, which writes gateway/dist/; no other config). */
const cdnCommands = (/** @type {string} */ script) =>
  pkg.scripts[script]
    .split('&&')
    .map((/** @type {string} */ command) => command.trim())
    .filter((/** @type {string} */ command) => /^vite build\b/.test(command) && /--mode\s/.test(command) && !/--mode\s+gateway\b/.test(command) && !/--config\b/.test(command));

/** @param {string} file */
const sha384 = (file) => `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;

describe('the CDN build', () => {
  /** @type {string} */
  let out;

  before(() => {
    out = mkdtempSync(join(tmpdir(), 'gym-cdn-'));
    // What an earlier build may have left: a stale report and a file no build makes any more.
    writeFileSync(join(out, 'integrity.json'), '{"version":"0.0.0","files":{}}\n');
    writeFileSync(join(out, 'gym-realtime-widgets.old.js'), 'stale');
    const commands = cdnCommands('build:demo');
    assert.ok(commands.length >= 1, 'build:demo builds no CDN file');
    for (const command of commands) {
      const args = command.split(/\s+/).slice(1);
      execFileSync(process.execPath, [vite, ...args, '--outDir', out, '--logLevel', 'warn'], { cwd: fileURLToPath(root), stdio: 'pipe' });
    }
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  it('after build:demo, integrity.json is there and holds the sha384 of every CDN file, chunks included', () => {
    const { version, files } = JSON.parse(readFileSync(join(out, 'integrity.json'), 'utf8'));
    assert.equal(version, pkg.version);
    const scripts = readdirSync(out).filter((file) => file.endsWith('.js'));
    assert.ok(scripts.length > CDN_FILES.length, 'the module has chunks');
    assert.deepEqual(Object.keys(files).sort(), [...scripts].sort());
    for (const file of scripts) {
      assert.equal(files[file].integrity, sha384(join(out, file)), file);
      assert.equal(files[file].bytes, readFileSync(join(out, file)).length, file);
    }
  });

  it('empties the folder first: nothing from an earlier build is left', () => {
    const scripts = cdnScripts(out);
    assert.deepEqual(readdirSync(out).sort(), [...scripts, ...scripts.map((file) => `${file}.map`), 'integrity.json'].sort());
    assert.ok(scripts.every((file) => CDN_FILES.includes(file) || /^gym-realtime-widgets\.[\w-]+\.[\w-]{8}\.js$/.test(file)), scripts.join(', '));
  });

  it('the module imports its chunks relatively, and no chunk imports the module itself (a `?ver=` on its URL would load it twice)', () => {
    const entry = readFileSync(join(out, 'gym-realtime-widgets.js'), 'utf8');
    assert.doesNotMatch(entry, /^import\b|[;}]import\s*[{"*\w]/, 'the entry loads nothing before it runs');
    const chunks = cdnScripts(out).filter((file) => !CDN_FILES.includes(file));
    const imported = (/** @type {string} */ code, /** @type {string} */ chunk) => [`"./${chunk}"`, `\`./${chunk}\``].some((quoted) => code.includes(quoted));
    for (const chunk of chunks) assert.ok(imported(entry, chunk) || chunks.some((other) => imported(readFileSync(join(out, other), 'utf8'), chunk)), `${chunk} is imported from nowhere`);
    for (const chunk of chunks) {
      const code = readFileSync(join(out, chunk), 'utf8');
      for (const [, target] of code.matchAll(/from\s*"([^"]+)"/g)) {
        assert.match(/** @type {string} */ (target), /^\.\/gym-realtime-widgets\.[\w-]+\.[\w-]{8}\.js$/, `${chunk} imports ${target}`);
      }
    }
  });

  it('the classic file is a classic script, the other an ES module', () => {
    const classic = readFileSync(join(out, 'gym-realtime-widgets.classic.js'), 'utf8');
    const module = readFileSync(join(out, 'gym-realtime-widgets.js'), 'utf8');
    assert.match(classic, /GymRealtimeWidgets/);
    assert.doesNotMatch(classic, /(^|[;}\s])export\s*\{/);
    assert.match(module, /(^|[;}\s])export\s*\{/);
  });

  it('every script builds dist/bundle/ the same way, so the last one to run leaves it whole', () => {
    for (const script of ['build', 'build:demo', 'bench', 'test:soak']) {
      assert.deepEqual(cdnCommands(script), ['vite build --mode bundle'], script);
    }
    for (const [name, script] of Object.entries(pkg.scripts)) {
      assert.doesNotMatch(/** @type {string} */ (script), /dist\/bundle/, `${name} writes dist/bundle/ by hand`);
    }
    assert.match(pkg.scripts.start, /^npm run build:demo\b/);
  });

  it('npm run build ends by checking integrity.json against the files, and fails when it does not match', () => {
    assert.match(pkg.scripts.build, /&& node scripts\/cdn-report\.mjs$/);
    const ok = spawnSync(process.execPath, [report, out], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    for (const file of CDN_FILES) assert.ok(ok.stdout.includes(`${file}: `) && ok.stdout.includes(sha384(join(out, file))), file);
    appendFileSync(join(out, 'gym-realtime-widgets.classic.js'), '\n');
    const stale = spawnSync(process.execPath, [report, out], { encoding: 'utf8' });
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /does not match/);
  });
});
