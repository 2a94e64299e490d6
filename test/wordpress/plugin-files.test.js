// The built plugin without WordPress: what the zip holds, the sanitizer
// allowlist against custom-elements.json, the plugin directory's readme
// format, PHP syntax (php -l on 8.2, plus the PHP 8-only syntax that would
// break 7.4) and the coding standard sniffs that PHP_CodeSniffer ships.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { CLASSIC, ENTRY, PLUGIN_DIR, SLUG, ZIP, allowedHtmlPhp, elementAttributes, verifyBundle } from '../../scripts/build-wordpress.mjs';
import { findTools } from './wordpress-site.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const zip = unzipSync(readFileSync(ZIP));
const phpFiles = readdirSync(PLUGIN_DIR, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.php'));

/** The allowlist the plugin ships, read by PHP itself. */
function shippedAllowlist() {
  const php = findTools().php;
  const code = `define('ABSPATH', '/'); echo json_encode(require ${JSON.stringify(join(PLUGIN_DIR, 'includes/allowed-html.php'))});`;
  return JSON.parse(execFileSync(php, ['-r', code], { encoding: 'utf8' }));
}

describe('the built WordPress plugin', () => {
  it('zips the plugin and the current CDN files under gym-realtime-widgets/', () => {
    const names = Object.keys(zip);
    for (const file of [
      'gym-realtime-widgets.php',
      'readme.txt',
      'uninstall.php',
      'includes/allowed-html.php',
      'includes/assets.php',
      'includes/html.php',
      'includes/policy.php',
      'includes/render.php',
      'includes/sanitizer.php',
      'includes/settings.php',
      'blocks/live-checkins/block.json',
      'blocks/live-checkins/editor.js',
      'blocks/live-checkins/editor.asset.php',
      'js/fallback.js',
      'js/editor-frame.js',
      'js/settings-check.js',
      'languages/gym-realtime-widgets.pot',
    ]) {
      assert.ok(names.includes(`${SLUG}/${file}`), `${file} is missing from the zip`);
    }
    assert.deepEqual(
      names.filter((name) => !name.startsWith(`${SLUG}/`)),
      [],
    );
    // The CDN files exactly as built, with the hashes beside them.
    const bundle = join(root, 'dist/bundle');
    for (const file of readdirSync(bundle)) {
      assert.deepEqual(Buffer.from(zip[`${SLUG}/assets/${file}`] ?? []), readFileSync(join(bundle, file)), `assets/${file} differs from dist/bundle/${file}`);
    }
    const integrity = JSON.parse(Buffer.from(zip[`${SLUG}/assets/integrity.json`]).toString('utf8'));
    assert.equal(integrity.version, version);
    // Every file integrity.json lists: the module, the classic script and the chunks the module imports.
    assert.ok(integrity.files[ENTRY] && integrity.files[CLASSIC]);
    assert.ok(Object.keys(integrity.files).some((file) => /^gym-realtime-widgets\.base\.[^.]+\.js$/.test(file)), 'no base chunk');
    for (const [file, { integrity: hash }] of Object.entries(integrity.files)) {
      assert.ok(zip[`${SLUG}/assets/${file}`], `assets/${file} is missing from the zip`);
      assert.equal(`sha384-${createHash('sha384').update(zip[`${SLUG}/assets/${file}`]).digest('base64')}`, hash, file);
    }
  });

  it('ships only a CDN build whose files match integrity.json: refuses a changed, missing or unlisted file and an import of an unlisted chunk', () => {
    const bundle = join(root, 'dist/bundle');
    const listed = verifyBundle(bundle, version);
    assert.deepEqual([listed.entry, listed.classic], [ENTRY, CLASSIC]);
    assert.ok(listed.chunks.length >= 2 && listed.chunks.every((file) => /^gym-realtime-widgets\.[\w-]+\.[\w-]+\.js$/.test(file)), listed.chunks.join(', '));
    const work = mkdtempSync(join(tmpdir(), 'gym-bundle-'));
    /** integrity.json's list without `file`. */
    const without = (/** @type {any} */ report, /** @type {string} */ file) => void (report.files = Object.fromEntries(Object.entries(report.files).filter(([name]) => name !== file)));
    /** A copy of dist/bundle/ changed by `change`, checked. */
    const verifyChanged = (/** @type {(dir: string, report: any) => void} */ change) => {
      const dir = join(work, String(readdirSync(work).length));
      cpSync(bundle, dir, { recursive: true });
      const report = JSON.parse(readFileSync(join(dir, 'integrity.json'), 'utf8'));
      change(dir, report);
      writeFileSync(join(dir, 'integrity.json'), JSON.stringify(report));
      return () => verifyBundle(dir, version);
    };
    const [feed] = listed.chunks.filter((file) => file.includes('.checkin-feed.'));
    const [base] = listed.chunks.filter((file) => file.includes('.base.'));
    try {
      assert.doesNotThrow(verifyChanged(() => {}));
      // A chunk whose bytes no longer match its hash (the module, and the classic script, alike).
      for (const file of [feed, ENTRY, CLASSIC]) {
        assert.throws(verifyChanged((dir) => appendFileSync(join(dir, file), '\n// changed\n')), new RegExp(`${file.replace(/\./g, '\\.')} does not match its hash`));
      }
      // A listed chunk that is not there.
      assert.throws(verifyChanged((dir) => rmSync(join(dir, feed))), new RegExp(`${feed.replace(/\./g, '\\.')} is missing`));
      // A script the list does not hash (it would load unchecked), and a list without the module.
      assert.throws(verifyChanged((dir) => writeFileSync(join(dir, 'gym-realtime-widgets.extra.AAAA.js'), '')), /does not list gym-realtime-widgets\.extra\.AAAA\.js/);
      assert.throws(
        verifyChanged((_dir, report) => without(report, ENTRY)),
        /does not list gym-realtime-widgets\.js/,
      );
      // A chunk imported by the others but missing from the list (and from the folder).
      assert.throws(
        verifyChanged((dir, report) => {
          without(report, base);
          rmSync(join(dir, base));
        }),
        new RegExp(`imports \\./${base.replace(/\./g, '\\.')}, which integrity.json does not list`),
      );
      // Another version than package.json's.
      assert.throws(verifyChanged((_dir, report) => void (report.version = '0.0.0-other')), /holds version 0\.0\.0-other/);
      assert.throws(verifyChanged((_dir, report) => void (report.files[feed].integrity = 'md5-x')), /no sha384 hash/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('allows every widget tag with exactly its manifest attributes, and no event handler', () => {
    const allowed = shippedAllowlist();
    const elements = elementAttributes(manifest);
    assert.deepEqual(Object.keys(allowed).sort(), [...elements.keys()].sort());
    for (const [tag, attributes] of elements) {
      assert.deepEqual(Object.keys(allowed[tag]).sort(), [...attributes].sort(), `<${tag}>`);
      assert.ok(Object.values(allowed[tag]).every((value) => value === true));
    }
    assert.ok(allowed['gym-checkin-feed'].limit && allowed['gym-realtime-provider']['history-url'] && allowed['gym-connection-status']['text-live']);
    assert.ok(Object.values(allowed).every((attributes) => Object.keys(attributes).every((name) => !/^on/i.test(name))));
  });

  it('refuses to generate an allowlist with an event handler attribute or a stray tag', () => {
    const element = (/** @type {string} */ tagName, /** @type {string[]} */ names) => ({
      modules: [{ declarations: [{ tagName, attributes: names.map((name) => ({ name })) }] }],
    });
    assert.throws(() => allowedHtmlPhp(elementAttributes(element('gym-checkin-feed', ['limit', 'onclick']))), /onclick/);
    assert.throws(() => allowedHtmlPhp(elementAttributes(element('script', ['src']))), /unexpected tag/);
    assert.throws(() => allowedHtmlPhp(elementAttributes({ modules: [] })), /no element/);
  });

  it('states one version everywhere, with a plugin header and a readme in the plugin directory format', () => {
    const main = readFileSync(join(PLUGIN_DIR, 'gym-realtime-widgets.php'), 'utf8');
    for (const field of ['Plugin Name', 'Description', 'Version', 'Requires at least', 'Requires PHP', 'License', 'Text Domain', 'Domain Path']) {
      assert.match(main, new RegExp(`^ \\* ${field}:\\s+\\S`, 'm'), `plugin header lacks ${field}`);
    }
    assert.match(main, new RegExp(`^ \\* Version:\\s+${version}$`, 'm'));
    assert.match(main, /^ \* Text Domain:\s+gym-realtime-widgets$/m);
    const readme = readFileSync(join(PLUGIN_DIR, 'readme.txt'), 'utf8');
    assert.match(readme, /^=== .+ ===\n/);
    for (const field of ['Tags', 'Requires at least', 'Tested up to', 'Requires PHP', 'Stable tag', 'License']) {
      assert.match(readme, new RegExp(`^${field}: \\S`, 'm'), `readme.txt lacks ${field}`);
    }
    assert.match(readme, new RegExp(`^Stable tag: ${version}$`, 'm'));
    for (const section of ['Description', 'Installation', 'Frequently Asked Questions', 'Changelog']) {
      assert.match(readme, new RegExp(`^== ${section} ==$`, 'm'), `readme.txt lacks == ${section} ==`);
    }
    // The short description: the first paragraph after the header, at most 150 characters.
    const short = readme.split('\n\n')[1];
    assert.ok(short.length <= 150 && !/^[A-Za-z ]+: /.test(short), `short description (${short.length} characters): ${short}`);
    const block = JSON.parse(readFileSync(join(PLUGIN_DIR, 'blocks/live-checkins/block.json'), 'utf8'));
    assert.equal(block.version, version);
    assert.equal(block.textdomain, 'gym-realtime-widgets');
    // A theme's palette can colour the block (its text and background become the widgets' tokens).
    assert.deepEqual(block.supports.color, { text: true, background: true, link: false });
  });

  it('marks every string for translation with its text domain, and ships a .pot', () => {
    const pot = readFileSync(join(PLUGIN_DIR, 'languages/gym-realtime-widgets.pot'), 'utf8');
    for (const text of ['Live check-ins', 'Socket URL', 'Feed length', 'Check-in form (staff)']) assert.ok(pot.includes(`msgid "${text}"`), text);
    // A gettext call without this text domain would never be translated.
    const calls = /\b(?:__|_e|_x|_n|esc_html__|esc_html_e|esc_attr__|esc_attr_e|esc_html_x|esc_attr_x)\(\s*(['"])(?:\\.|(?!\1)[^\\])*\1\s*(?:,[^,)]*)?\)/g;
    for (const file of readdirSync(PLUGIN_DIR, { recursive: true, encoding: 'utf8' }).filter((name) => /\.(php|js)$/.test(name) && !name.startsWith('assets'))) {
      for (const [call] of readFileSync(join(PLUGIN_DIR, file), 'utf8').matchAll(calls)) {
        assert.match(call, /['"]gym-realtime-widgets['"]\s*\)$/, `${file}: ${call}`);
      }
    }
  });

  it('passes php -l (PHP 8.2) and uses no syntax newer than PHP 7.4', () => {
    const php = findTools().php;
    for (const file of phpFiles) {
      const result = spawnSync(php, ['-l', join(PLUGIN_DIR, file)], { encoding: 'utf8' });
      assert.equal(result.status, 0, `${file}: ${result.stdout}${result.stderr}`);
    }
    // Tokens that only PHP 8 parses: match, ?->, #[attributes], enum, readonly, named arguments.
    const check = `foreach (array_slice($argv, 1) as $file) {
      $tokens = token_get_all(file_get_contents($file));
      foreach ($tokens as $i => $token) {
        if (!is_array($token)) continue;
        $name = token_name($token[0]);
        if (in_array($name, ['T_MATCH', 'T_NULLSAFE_OBJECT_OPERATOR', 'T_ATTRIBUTE', 'T_ENUM', 'T_READONLY'], true)) echo basename($file), ':', $token[2], ' ', $name, "\\n";
      }
    }`;
    const found = execFileSync(php, ['-r', check, ...phpFiles.map((file) => join(PLUGIN_DIR, file))], { encoding: 'utf8' });
    assert.equal(found, '');
  });

  it('passes the WordPress-style sniffs that PHP_CodeSniffer ships (wordpress/phpcs.xml.dist)', (t) => {
    const phpcs = spawnSync('phpcs', ['--version'], { encoding: 'utf8' });
    if (phpcs.status !== 0) {
      t.skip('phpcs is not installed (Debian: apt-get install php-codesniffer)');
      return;
    }
    const result = spawnSync('phpcs', ['-q', '--report=emacs', `--standard=${join(root, 'wordpress/phpcs.xml.dist')}`, join(root, 'wordpress')], { encoding: 'utf8' });
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });
});
