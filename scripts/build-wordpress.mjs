#!/usr/bin/env node
// Builds the WordPress plugin: wordpress/ plus the current CDN files, as
// dist/wordpress/gym-realtime-widgets/ and dist/wordpress/gym-realtime-widgets.zip
// (upload it at Plugins → Add New → Upload Plugin). Run after the CDN build
// (`npm run build:wordpress` does both). Generated here, so they cannot go stale:
// - includes/allowed-html.php: every widget tag with its attributes, from
//   custom-elements.json (the sanitizer allowlist);
// - languages/gym-realtime-widgets.pot: the translatable strings;
// - the version, from package.json, in every file that states it.
// The CDN files go into assets/ as built, after verifyBundle() has checked them
// against integrity.json (the module, its chunks and the classic script).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';

const root = fileURLToPath(new URL('../', import.meta.url));
export const SLUG = 'gym-realtime-widgets';
const SOURCE = join(root, 'wordpress');
const BUNDLE = join(root, 'dist/bundle');
const OUT = join(root, 'dist/wordpress');
export const PLUGIN_DIR = join(OUT, SLUG);
export const ZIP = join(OUT, `${SLUG}.zip`);
/** Development files of wordpress/ that the plugin does not need. */
const DEV_FILES = new Set(['phpcs.xml.dist']);

const fail = (/** @type {string} */ message) => {
  console.error(`build-wordpress: ${message}`);
  process.exit(1);
};

/** The autoloading module, which the plugin prints as `<script type="module">`. */
export const ENTRY = 'gym-realtime-widgets.js';
/** The classic script (every element in one file), for the block editor's iframes. */
export const CLASSIC = 'gym-realtime-widgets.classic.js';
/** The name of a chunk the module imports from beside it (the plugin writes these into URLs and an import map). */
const CHUNK_NAME = /^gym-realtime-widgets\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.js$/;
/** A relative import of a file beside the importing one, as the CDN build writes them. */
const RELATIVE_IMPORT = /["'`]\.\/([^"'`/]+\.js)["'`]/g;
/** A path for a message: relative to the repository when inside it. */
const shown = (/** @type {string} */ path) => (relative(root, path).startsWith('..') ? path : relative(root, path));

/**
 * Checks a CDN build folder (dist/bundle/) before it is shipped: integrity.json is for
 * `version`, lists the module and the classic script, and lists every script of the folder;
 * each listed file is there and matches its hash; every file the module and its chunks import
 * is listed (a chunk without a hash would load unchecked). Throws an Error saying what is wrong.
 * @param {string} dir
 * @param {string} version
 * @returns {{ version: string, entry: string, classic: string, chunks: string[] }}
 */
export function verifyBundle(dir, version) {
  const integrityPath = join(dir, 'integrity.json');
  if (!existsSync(integrityPath)) throw new Error(`${shown(integrityPath)} is missing: run the CDN build first (vite build --mode bundle; npm run build:wordpress does)`);
  const report = JSON.parse(readFileSync(integrityPath, 'utf8'));
  if (report.version !== version) throw new Error(`${shown(dir)}/ holds version ${report.version}, package.json says ${version}: rebuild the CDN files`);
  /** @type {Record<string, { integrity?: unknown }>} */
  const files = report.files ?? {};
  for (const required of [ENTRY, CLASSIC]) {
    if (!files[required]) throw new Error(`integrity.json does not list ${required}: rebuild the CDN files`);
  }
  for (const [file, { integrity: hash }] of Object.entries(files)) {
    if (file !== ENTRY && file !== CLASSIC && !CHUNK_NAME.test(file)) throw new Error(`integrity.json lists ${JSON.stringify(file)}, which is not a name the CDN build gives its files`);
    if (typeof hash !== 'string' || !/^sha384-[A-Za-z0-9+/]+={0,2}$/.test(hash)) throw new Error(`integrity.json gives ${file} no sha384 hash`);
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`${shown(path)} is missing, though integrity.json lists it: rebuild the CDN files`);
    const actual = `sha384-${createHash('sha384').update(readFileSync(path)).digest('base64')}`;
    if (actual !== hash) throw new Error(`${shown(path)} does not match its hash in integrity.json: rebuild the CDN files`);
  }
  const unlisted = readdirSync(dir).filter((file) => file.endsWith('.js') && !files[file]);
  if (unlisted.length) throw new Error(`integrity.json does not list ${unlisted.join(', ')}: rebuild the CDN files (an unlisted script would load unchecked)`);
  const chunks = Object.keys(files).filter((file) => file !== ENTRY && file !== CLASSIC);
  for (const file of [ENTRY, ...chunks]) {
    for (const [, imported] of readFileSync(join(dir, file), 'utf8').matchAll(RELATIVE_IMPORT)) {
      if (!files[imported] || imported === ENTRY || imported === CLASSIC) throw new Error(`${file} imports ./${imported}, which integrity.json does not list as a chunk: rebuild the CDN files`);
    }
  }
  return { version: report.version, entry: ENTRY, classic: CLASSIC, chunks };
}

/**
 * The widgets' tags and attribute names, from the manifest.
 * @param {any} manifest custom-elements.json
 * @returns {Map<string, string[]>}
 */
export function elementAttributes(manifest) {
  /** @type {Map<string, string[]>} */
  const elements = new Map();
  for (const module of manifest.modules ?? []) {
    for (const declaration of module.declarations ?? []) {
      if (!declaration.tagName) continue;
      const names = (declaration.attributes ?? []).map((/** @type {{ name: string }} */ attribute) => attribute.name);
      elements.set(declaration.tagName, [...new Set(names)]);
    }
  }
  return elements;
}

/**
 * includes/allowed-html.php. Refuses names kses could misread, and event
 * handler attributes, which must never be allowed.
 * @param {Map<string, string[]>} elements
 */
export function allowedHtmlPhp(elements) {
  if (elements.size === 0) throw new Error('custom-elements.json declares no element: run `cem analyze`');
  const lines = [];
  for (const [tag, attributes] of [...elements].sort(([a], [b]) => a.localeCompare(b))) {
    if (!/^gym-[a-z0-9-]+$/.test(tag)) throw new Error(`unexpected tag name ${JSON.stringify(tag)}`);
    const bad = attributes.filter((name) => !/^[a-z][a-z0-9-]*$/.test(name) || name.startsWith('on'));
    if (bad.length) throw new Error(`<${tag}> declares attributes the sanitizer must not allow: ${bad.join(', ')}`);
    lines.push(`\t'${tag}' => array(`, ...attributes.map((name) => `\t\t'${name}' => true,`), '\t),');
  }
  return `<?php
/**
 * The widgets' tags and attributes, for the sanitizer (includes/sanitizer.php).
 * Generated by scripts/build-wordpress.mjs from custom-elements.json: do not edit.
 *
 * @package GymRealtimeWidgets
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

return array(
${lines.join('\n')}
);
`;
}

/** Sets the version wherever a file states it; fails when a pattern no longer matches. */
function stampVersion(/** @type {string} */ version) {
  const stamps = [
    ['gym-realtime-widgets.php', /^( \* Version:\s+).*$/m],
    ['gym-realtime-widgets.php', /(define\( 'GYM_LIVE_CHECKINS_VERSION', ')[^']*(?=' \);)/],
    ['readme.txt', /^(Stable tag: ).*$/m],
    ['blocks/live-checkins/block.json', /^(\t"version": ")[^"]*(?=",)/m],
    ['blocks/live-checkins/editor.asset.php', /^(\t'version'\s+=> ')[^']*(?=',)/m],
  ];
  for (const [file, pattern] of /** @type {[string, RegExp][]} */ (stamps)) {
    const path = join(PLUGIN_DIR, file);
    const text = readFileSync(path, 'utf8');
    if (!pattern.test(text)) fail(`${file} no longer has its version where ${pattern} looks for it`);
    writeFileSync(path, text.replace(pattern, `$1${version}`));
  }
}

/** Undoes a PHP or JS string literal's escapes (only the ones the sources use). */
const unescape = (/** @type {string} */ text, /** @type {string} */ quote) =>
  quote === "'" ? text.replace(/\\(['\\])/g, '$1') : text.replace(/\\(["'\\])/g, '$1').replace(/\\n/g, '\n');

/** A PO string. */
const po = (/** @type {string} */ text) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/**
 * languages/gym-realtime-widgets.pot: the strings of __(), _e(), esc_html__(),
 * esc_attr__() … with this text domain in PHP and JS, the plugin header and
 * block.json (which WordPress translates with the contexts below).
 * @param {string} dir the staged plugin
 * @param {string} version
 */
export function potFile(dir, version) {
  /** @type {Map<string, { context?: string, refs: Set<string>, comment?: string }>} */
  const entries = new Map();
  /** @param {string} text @param {string} ref @param {string} [context] @param {string} [comment] */
  const add = (text, ref, context, comment) => {
    const key = `${context ?? ''}\u0004${text}`;
    const entry = entries.get(key) ?? { context, refs: new Set() };
    entry.refs.add(ref);
    if (comment) entry.comment = comment;
    entries.set(key, entry);
  };
  const call = /(?:\/\*\s*translators:\s*([\s\S]*?)\s*\*\/\s*)?\b(?:__|_e|esc_html__|esc_html_e|esc_attr__|esc_attr_e)\(\s*(['"])((?:\\.|(?!\2)[^\\])*)\2\s*,\s*['"]gym-realtime-widgets['"]\s*\)/g;
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    if (!/\.(php|js)$/.test(file) || file.startsWith(`assets${sep}`)) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    for (const match of text.matchAll(call)) {
      const line = text.slice(0, match.index).split('\n').length;
      add(unescape(match[3], match[2]), `${file.split(sep).join('/')}:${line}`, undefined, match[1]);
    }
  }
  const header = readFileSync(join(dir, `${SLUG}.php`), 'utf8');
  for (const field of ['Plugin Name', 'Description']) {
    const value = new RegExp(`^ \\* ${field}:\\s+(.*)$`, 'm').exec(header)?.[1];
    if (value) add(value, `${SLUG}.php`, undefined, `${field} of the plugin`);
  }
  const block = JSON.parse(readFileSync(join(dir, 'blocks/live-checkins/block.json'), 'utf8'));
  add(block.title, 'blocks/live-checkins/block.json', 'block title');
  add(block.description, 'blocks/live-checkins/block.json', 'block description');
  for (const keyword of block.keywords) add(keyword, 'blocks/live-checkins/block.json', 'block keyword');

  const out = [
    '# This file is generated by scripts/build-wordpress.mjs.',
    'msgid ""',
    'msgstr ""',
    `"Project-Id-Version: Gym live check-ins ${version}\\n"`,
    '"MIME-Version: 1.0\\n"',
    '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Content-Transfer-Encoding: 8bit\\n"',
    '"X-Domain: gym-realtime-widgets\\n"',
    '',
  ];
  for (const [key, { context, refs, comment }] of entries) {
    if (comment) out.push(`#. ${comment.replace(/\s+/g, ' ')}`);
    out.push(`#: ${[...refs].join(' ')}`);
    if (context) out.push(`msgctxt ${po(context)}`);
    out.push(`msgid ${po(key.slice(key.indexOf('\u0004') + 1))}`, 'msgstr ""', '');
  }
  return out.join('\n');
}

/** Every file under `dir`, as [path in the zip, contents]; directories end in '/'. */
function zipEntries(/** @type {string} */ dir, /** @type {string} */ prefix) {
  /** @type {Record<string, [Uint8Array, { mtime: Date }]>} */
  const entries = {};
  // A fixed date: the same sources give the same zip.
  const mtime = new Date('2020-01-01T00:00:00Z');
  entries[`${prefix}/`] = [new Uint8Array(0), { mtime }];
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(dir, name);
    const zipPath = `${prefix}/${relative(dir, path).split(sep).join('/')}`;
    entries[statSync(path).isDirectory() ? `${zipPath}/` : zipPath] = [statSync(path).isDirectory() ? new Uint8Array(0) : readFileSync(path), { mtime }];
  }
  return entries;
}

function build() {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const manifestPath = join(root, 'custom-elements.json');
  if (!existsSync(manifestPath)) fail('custom-elements.json is missing: run `cem analyze` first (npm run build:wordpress does)');
  try {
    verifyBundle(BUNDLE, version);
  } catch (error) {
    fail(/** @type {Error} */ (error).message);
  }
  const integrity = JSON.parse(readFileSync(join(BUNDLE, 'integrity.json'), 'utf8'));

  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  cpSync(SOURCE, PLUGIN_DIR, { recursive: true, filter: (path) => !DEV_FILES.has(relative(SOURCE, path)) });
  stampVersion(version);

  let allowed;
  try {
    allowed = allowedHtmlPhp(elementAttributes(JSON.parse(readFileSync(manifestPath, 'utf8'))));
  } catch (error) {
    fail(/** @type {Error} */ (error).message);
  }
  writeFileSync(join(PLUGIN_DIR, 'includes/allowed-html.php'), /** @type {string} */ (allowed));

  // The CDN files as built, side by side (the module imports its chunks from beside it): the
  // module, its chunks, the classic script, source maps and the hashes.
  mkdirSync(join(PLUGIN_DIR, 'assets'));
  for (const file of readdirSync(BUNDLE)) cpSync(join(BUNDLE, file), join(PLUGIN_DIR, 'assets', file));

  mkdirSync(join(PLUGIN_DIR, 'languages'), { recursive: true });
  writeFileSync(join(PLUGIN_DIR, `languages/${SLUG}.pot`), potFile(PLUGIN_DIR, version));

  const zip = zipSync(zipEntries(PLUGIN_DIR, SLUG), { level: 9 });
  writeFileSync(ZIP, zip);
  console.log(`${relative(root, ZIP)}  ${(zip.length / 1024).toFixed(1)} kB  (plugin ${version}, ${integrity.files[ENTRY].integrity})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) build();
