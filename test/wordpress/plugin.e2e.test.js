// The WordPress plugin in a real WordPress 6.1 (Debian's package): the built zip
// uploaded and activated as an administrator would, its settings page, posts
// saved through the REST API by an Author, an Editor and an Administrator with
// DISALLOW_UNFILTERED_HTML off and on, each page opened in Chromium against the
// local gym server, the page policy, the ways an Author could send visitors'
// tokens elsewhere (against a stand-in "evil" server that counts what reaches
// it), excerpts and archives, the block editor's preview (also in its iframes
// and the Site Editor), screenshots in Twenty Twenty-Three light and dark, the
// import map with the chunks' hashes (and a changed chunk refused by the
// browser), a CDN script source serving the whole folder, one without the
// chunks and a failing one, WP_DEBUG, and uninstalling.
import assert from 'node:assert/strict';
import process from 'node:process';
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { startGymServer } from '../../demo/server/gym-server.js';
import { CLASSIC, ENTRY, PLUGIN_DIR, ZIP } from '../../scripts/build-wordpress.mjs';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { findTools, startWordPress } from './wordpress-site.js';

const ADMIN = { login: 'admin', password: 'install-admin-pass-1', email: 'admin@gym.test' };
/** The users the tests create, one per role, with the application password each gets. */
const USERS = /** @type {const} */ ([
  { role: 'author', label: 'Author', login: 'ann-author' },
  { role: 'editor', label: 'Editor', login: 'ed-editor' },
  { role: 'administrator', label: 'Administrator', login: 'ada-admin' },
]);
/** @typedef {{ role: string, label: string, login: string, password: string, id: number, appPassword: string }} User */

const BLOCK = 'gym-realtime-widgets/live-checkins';
const SCRIPT_ID = 'gym-live-checkins-js';
/** Screenshots are test artifacts: written here, never committed. */
const ARTIFACTS = new URL('../../test-results/', import.meta.url);
/** The screenshots of the plugin's pages in the theme's light and dark styles, to look at. */
const SHOTS = process.env.WP_SHOTS_DIR ?? '/tmp/wp-shots';
/** The attributes that send a visitor's token somewhere, or fetch one (and their data-gym-widget forms). */
const TOKEN_ATTRIBUTE = /^(data-)?(url|token-url|history-url|search-url|visits-url)$/;
/** The fallback line before the module has defined the widgets. */
const LOADING = 'Live check-ins are loading…';
const FAILED = 'Live check-ins could not load.';
const BUNDLE = JSON.parse(readFileSync(join(PLUGIN_DIR, 'assets/integrity.json'), 'utf8'));
const INTEGRITY = BUNDLE.files[ENTRY].integrity;
/** The files the module imports from beside it (every script integrity.json lists but the module and the classic one). */
const CHUNKS = Object.keys(BUNDLE.files).filter((file) => file !== ENTRY && file !== CLASSIC);
/** The chunk of one element, e.g. chunk('checkin-feed') → gym-realtime-widgets.checkin-feed.<hash>.js. */
const chunk = (/** @type {string} */ element) => {
  const file = CHUNKS.find((name) => name.startsWith(`gym-realtime-widgets.${element}.`));
  if (!file) throw new Error(`integrity.json lists no chunk for ${element}: ${CHUNKS.join(', ')}`);
  return file;
};
/** What the autoloader puts in an element whose code did not load. */
const CHUNK_FAILED = /^This live widget could not load \(/;

/**
 * A CDN on another origin, with CORS as public CDNs send it, serving the CDN files the zip holds under
 * /npm/gym-realtime-widgets@<version>/dist/bundle/: all of them, or `only` these; `change` rewrites a file
 * on the way (an optimising proxy). Notes the path of each request.
 * @param {{ only?: string[], change?: Record<string, (body: Uint8Array) => Uint8Array> }} [options]
 */
async function startCdn({ only, change = {} } = {}) {
  const assets = unzipSync(readFileSync(ZIP));
  const prefix = `/npm/gym-realtime-widgets@${BUNDLE.version}/dist/bundle/`;
  /** @type {string[]} */
  const requests = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://cdn.invalid').pathname;
    requests.push(path);
    const name = path.startsWith(prefix) ? path.slice(prefix.length) : '';
    const body = name && !name.includes('/') && (!only || only.includes(name)) ? assets[`gym-realtime-widgets/assets/${name}`] : undefined;
    if (!body) return void response.writeHead(404, { 'Access-Control-Allow-Origin': '*' }).end();
    const type = name.endsWith('.js') ? 'text/javascript' : 'application/json';
    response.writeHead(200, { 'Content-Type': type, 'Access-Control-Allow-Origin': '*' }).end(change[name] ? change[name](body) : body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    /** The module's URL, for Settings → Script source. */
    url: `${origin}${prefix}${ENTRY}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A copy of a script with one more statement: still valid, it would run if the browser took it. */
const changed = (/** @type {Uint8Array} */ body) => Buffer.concat([Buffer.from(body), Buffer.from('\n;window.gymChangedChunkRan = true;\n')]);

/**
 * A stand-in for an Author's server on another loopback port: it answers
 * everything (a token to a token request, an empty list otherwise, with CORS
 * for any page) and notes each request and WebSocket handshake that reaches
 * it, and whether it carried a token (`token=` in its query, or an
 * Authorization header). Only that yes or no is kept, never a token.
 */
async function startEvilServer() {
  /** @type {{ kind: string, method: string | undefined, path: string, token: boolean }[]} */
  const requests = [];
  const note = (/** @type {import('node:http').IncomingMessage} */ request, /** @type {string} */ kind) => {
    const url = new URL(request.url ?? '/', 'http://evil.invalid');
    requests.push({ kind, method: request.method, path: url.pathname, token: url.searchParams.has('token') || Boolean(request.headers.authorization) });
  };
  const server = createServer((request, response) => {
    note(request, 'http');
    response.writeHead(200, {
      'Access-Control-Allow-Origin': request.headers.origin ?? '*',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Content-Type': 'application/json',
    });
    response.end(request.url?.startsWith('/token') ? JSON.stringify({ access: 'evil.issued.token' }) : '[]');
  });
  server.on('upgrade', (request, socket) => {
    note(request, 'websocket');
    socket.destroy();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    host: `127.0.0.1:${port}`,
    socketUrl: `ws://127.0.0.1:${port}/ws/checkins/`,
    tokenUrl: `${origin}/token`,
    historyUrl: `${origin}/api/checkins/recent/`,
    searchUrl: `${origin}/api/members/search/`,
    visitsUrl: `${origin}/api/checkins/checkins/`,
    requests,
    reset: () => void requests.splice(0),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('the WordPress plugin in WordPress 6.1, end to end', { timeout: 600_000 }, () => {
  /** @type {Awaited<ReturnType<typeof startEvilServer>>} */
  let evil;
  /** A signed-in visitor (a Subscriber), whose widgets get a token from the token URL. */
  const visitor = { login: 'sam-subscriber', password: 'sam-subscriber-pass-42' };
  /** A blank page whose DOMParser reads served HTML (parseServed). */
  let parser = /** @type {import('playwright-core').Page | undefined} */ (undefined);
  /** The visitor's login cookies, once logged in. */
  let visitorState = /** @type {Awaited<ReturnType<import('playwright-core').BrowserContext['storageState']>> | undefined} */ (undefined);
  /** @type {Awaited<ReturnType<typeof startGymServer>>} */
  let gym;
  /** @type {import('./wordpress-site.js').WordPressSite} */
  let site;
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {import('playwright-core').BrowserContext} */
  let adminContext;
  /** @type {import('playwright-core').Page} */
  let admin;
  /** @type {Record<string, User>} */
  const users = {};
  /** The gym's URLs as the settings page gets them. */
  let settings = /** @type {Record<string, string>} */ ({});
  /** Each page checks in a member not seen before, so the name can only come from that check-in. */
  let nextMember = 1;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    mkdirSync(SHOTS, { recursive: true });
    gym = await startGymServer({ port: 0 });
    evil = await startEvilServer();
    site = await startWordPress({ adminUser: ADMIN.login, adminPassword: ADMIN.password, adminEmail: ADMIN.email });
    browser = await launchChromium();
    adminContext = await browser.newContext();
    admin = await logIn(adminContext, ADMIN.login, ADMIN.password);
    settings = {
      socket_url: gym.socketUrl,
      token_url: `${gym.origin}/demo/token`,
      history_url: `${gym.origin}/api/checkins/recent/`,
    };
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
    await gym?.close();
    await evil?.close();
  });

  /** Logs in at wp-login.php and returns the dashboard page. */
  async function logIn(/** @type {import('playwright-core').BrowserContext} */ context, /** @type {string} */ login, /** @type {string} */ password) {
    const page = await context.newPage();
    await page.goto(`${site.origin}/wp-login.php`);
    await page.locator('#user_login').fill(login);
    await page.locator('#user_pass').fill(password);
    await page.locator('#wp-submit').click();
    await page.waitForURL(/\/wp-admin\//, { timeout: 30_000 }).catch(async () => {
      const error = await page.locator('#login_error').textContent({ timeout: 1000 }).catch(() => 'no error shown');
      throw new Error(`${login} could not log in: ${error?.trim()} (at ${page.url()})`);
    });
    return page;
  }

  /**
   * A REST request as `user`, authenticated with the user's application password.
   * @param {User} user @param {string} method @param {string} route @param {object} [body] @param {Record<string, string>} [query]
   */
  async function rest(user, method, route, body, query = {}) {
    const response = await fetch(`${site.origin}/?${new URLSearchParams({ rest_route: route, ...query })}`, {
      method,
      headers: {
        Authorization: `Basic ${Buffer.from(`${user.login}:${user.appPassword}`).toString('base64')}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`${method} ${route} as ${user.label}: HTTP ${response.status} ${json.code}: ${json.message}`);
    return json;
  }

  /** A REST request with the administrator's login cookie and a REST nonce, as wp-admin's own scripts make them. */
  async function adminRest(/** @type {string} */ method, /** @type {string} */ route, /** @type {object} */ data) {
    const nonce = await (await admin.request.get(`${site.origin}/wp-admin/admin-ajax.php?action=rest-nonce`)).text();
    const response = await admin.request.fetch(`${site.origin}/?${new URLSearchParams({ rest_route: route })}`, { method, headers: { 'X-WP-Nonce': nonce }, data });
    const json = await response.json();
    if (!response.ok()) throw new Error(`${method} ${route}: HTTP ${response.status()} ${json.code}: ${json.message}`);
    return json;
  }

  /** Saves Settings → Live check-ins through its form; returns the notices shown after saving. */
  async function saveSettings(/** @type {Record<string, string>} */ values) {
    await admin.goto(`${site.origin}/wp-admin/options-general.php?page=gym-live-checkins`);
    for (const [key, value] of Object.entries(values)) {
      const field = admin.locator(`#gym-live-checkins-${key}`);
      if (key === 'theme') await field.selectOption(value);
      else await field.fill(value);
    }
    await Promise.all([admin.waitForURL(/settings-updated=true/), admin.locator('#submit').click()]);
    return admin.locator('.notice, .error, .updated').allTextContents();
  }

  /** The page as WordPress serves it to a visitor. */
  async function fetchPage(/** @type {string} */ url) {
    const response = await fetch(url);
    assert.equal(response.status, 200, `${url} answered HTTP ${response.status}`);
    return response.text();
  }

  /** The widgets' script tags in `html`. */
  const scriptTags = (/** @type {string} */ html) => html.match(new RegExp(`<script[^>]*id=["']${SCRIPT_ID}["'][^>]*>`, 'g')) ?? [];

  /** Waits for `locator`, failing with `what` (and the page's errors) rather than a bare timeout. */
  async function expectVisible(/** @type {import('playwright-core').Locator} */ locator, /** @type {string} */ what, /** @type {string[]} */ problems = [], timeout = 20_000) {
    await locator.waitFor({ timeout }).catch(() => {
      throw new Error(`${what} (after ${timeout} ms)${problems.length ? `; the page logged: ${problems.join('; ')}` : ''}`);
    });
  }

  /**
   * Checks that `html` loads the module exactly once, from `src`, with its integrity and crossorigin, after
   * the page's one import map, which gives every chunk's hash at its URL beside the module.
   */
  function assertModuleOnce(/** @type {string} */ html, /** @type {RegExp} */ src) {
    const tags = scriptTags(html);
    assert.equal(tags.length, 1, `the widgets' script is on the page ${tags.length} times`);
    const tag = tags[0];
    assert.match(tag, /\btype="module"/);
    assert.match(tag, new RegExp(`\\bintegrity="${INTEGRITY.replace(/[+/]/g, '\\$&')}"`));
    assert.match(tag, /\bcrossorigin="anonymous"/);
    const moduleSrc = (/\bsrc="([^"]*)"/.exec(tag)?.[1] ?? '').replaceAll('&#038;', '&').replaceAll('&amp;', '&');
    assert.match(moduleSrc, src);
    assertImportMap(html, moduleSrc);
  }

  /**
   * The import map: one on the page (WordPress 6.1 prints none of its own), before the module, with an
   * empty `imports` and, in `integrity`, every chunk's absolute URL (resolved against the module's, as the
   * browser resolves the module's imports) and its hash from integrity.json.
   */
  function assertImportMap(/** @type {string} */ html, /** @type {string} */ moduleSrc) {
    const maps = [...html.matchAll(/<script\b[^>]*\btype=["']?importmap\b[^>]*>([\s\S]*?)<\/script>/g)];
    assert.equal(maps.length, 1, `the page has ${maps.length} import maps`);
    const [map] = maps;
    assert.match(map[0], /\bid="gym-live-checkins-importmap"/);
    assert.ok(/** @type {number} */ (map.index) < html.indexOf(scriptTags(html)[0]), 'the import map comes after the module');
    assert.ok(CHUNKS.length >= 2, `integrity.json lists only these chunks: ${CHUNKS.join(', ')}`);
    const expected = Object.fromEntries(CHUNKS.map((file) => [new URL(file, moduleSrc).href, BUNDLE.files[file].integrity]));
    assert.deepEqual(JSON.parse(map[1]), { imports: {}, integrity: expected });
  }

  const ownCopy = () => new RegExp(`^${site.origin}/wp-content/plugins/gym-realtime-widgets/assets/gym-realtime-widgets\\.js\\?ver=[0-9a-f]+$`);

  /**
   * Opens `url` in Chromium as a visitor: it must go Live, a check-in made at the gym
   * server must appear in its feed, and the page must log no error or warning.
   * @param {string} url
   * @param {{ live?: RegExp, inspect?: (page: import('playwright-core').Page) => Promise<void>, screenshot?: string, setUp?: (page: import('playwright-core').Page) => void }} [options]
   */
  async function assertLive(url, { live = /^Live$/, inspect, screenshot, setUp } = {}) {
    const context = await browser.newContext();
    const page = await context.newPage();
    setUp?.(page);
    /** @type {string[]} */
    const problems = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    try {
      await page.goto(url);
      const status = page.locator('gym-connection-status [part=label]');
      await status.filter({ hasText: live }).waitFor({ timeout: 30_000 }).catch(async () => {
        throw new Error(`${url} did not go Live: status ${JSON.stringify(await status.allTextContents())}; ${problems.join('; ') || 'no console errors'}`);
      });
      // The history is in: a name seen now came from the check-in below, not from it.
      await page.locator('gym-checkin-feed [part=skeleton]').first().waitFor({ state: 'detached' });
      const memberId = `00000000-0000-4000-8000-${String(nextMember++).padStart(12, '0')}`;
      const response = await fetch(`${gym.origin}/control/check-in?${new URLSearchParams({ memberId, location: 'Front desk' })}`, { method: 'POST' });
      const visit = await response.json();
      assert.equal(response.status, 200, `check-in at the gym server failed: ${JSON.stringify(visit)}`);
      await page
        .locator('gym-checkin-feed [part=name]')
        .filter({ hasText: visit.member.full_name })
        .first()
        .waitFor({ timeout: 20_000 })
        .catch(() => {
          throw new Error(`${url}: ${visit.member.full_name}'s check-in did not appear in the feed`);
        });
      await inspect?.(page);
      if (screenshot) await page.screenshot({ path: fileURLToPath(new URL(screenshot, ARTIFACTS)), fullPage: true });
    } finally {
      await context.close();
    }
    assert.deepEqual(problems, [], `${url} logged errors`);
  }

  /** What each kind of post holds as sent: the block, the shortcode, and tags pasted into a Custom HTML block. */
  const content = {
    block: () => `<!-- wp:${BLOCK} {"widgets":["status","stats","feed"],"limit":3,"theme":"dark"} /-->`,
    // A classic-editor post: no block markup.
    shortcode: () => '[gym_live_checkins show="status,stats,feed" limit="4"]',
    pasted: () =>
      [
        '<!-- wp:html -->',
        `<gym-realtime-provider url="${settings.socket_url}" token-url="${settings.token_url}" history-url="${settings.history_url}" theme="dark">`,
        '<gym-error-boundary text-retry="Try again">',
        '<gym-connection-status text-live="Live now"></gym-connection-status>',
        '<gym-checkin-stats></gym-checkin-stats>',
        '<gym-checkin-feed limit="2" onclick="window.clicked = true"></gym-checkin-feed>',
        '</gym-error-boundary>',
        '</gym-realtime-provider>',
        '<gym-unlisted data-note="not a widget">Not a widget</gym-unlisted>',
        '<script>window.pwned = true;</script>',
        '<!-- /wp:html -->',
      ].join('\n'),
  };

  /** What kses makes of pasted tags for a user without unfiltered_html: the widgets stay, with their attributes. */
  const filteredPaste = (/** @type {string} */ pasted) =>
    pasted
      .replace(' onclick="window.clicked = true"', '')
      .replace('<gym-unlisted data-note="not a widget">Not a widget</gym-unlisted>', 'Not a widget')
      .replace('<script>window.pwned = true;</script>', 'window.pwned = true;');

  /** Saves a post as `user`, published; returns its id, link and stored content (post_content). */
  async function savePost(/** @type {User} */ user, /** @type {string} */ title, /** @type {string} */ body) {
    const { id, link } = await rest(user, 'POST', '/wp/v2/posts', { title, content: body, status: 'publish' });
    const stored = await rest(user, 'GET', `/wp/v2/posts/${id}`, undefined, { context: 'edit' });
    return { id, link, stored: /** @type {string} */ (stored.content.raw) };
  }

  /**
   * What a browser makes of `html` (parsed by Chromium with scripts off): the policy metas in
   * <head> and elsewhere, and every token attribute on a widget tag or data-gym-widget block.
   */
  async function parseServed(/** @type {string} */ html) {
    // DOMParser: Chromium's HTML parser, without running anything (it reads <noscript> as markup, which can only find more).
    parser ??= await (await browser.newContext()).newPage();
    return parser.evaluate(
      ([markup, pattern]) => {
        const doc = new DOMParser().parseFromString(markup, 'text/html');
        const tokenAttribute = new RegExp(pattern);
        const contents = (/** @type {Iterable<Element>} */ metas) => [...metas].map((meta) => meta.getAttribute('content'));
        return {
          policies: contents(doc.head.querySelectorAll('meta[name="gym-realtime-policy"]')),
          elsewhere: contents(doc.body.querySelectorAll('meta[name="gym-realtime-policy"]')),
          tokenAttributes: [...doc.querySelectorAll('*')]
            .filter((element) => element.localName.startsWith('gym-') || element.hasAttribute('data-gym-widget'))
            .flatMap((element) => [...element.attributes].filter(({ name }) => tokenAttribute.test(name)).map(({ name, value }) => ({ tag: element.localName, name, value }))),
        };
      },
      [html, TOKEN_ATTRIBUTE.source],
    );
  }

  /** The policy the settings give: the gym server's origin (its socket, token and history URLs are all on it). */
  const policy = () => gym.origin;

  /**
   * Checks a served page: the policy meta in its head (and nowhere else), and no widget attribute that sends
   * a token to the evil server. Returns the HTML.
   */
  async function assertServedSafe(/** @type {string} */ url, expected = policy()) {
    const html = await fetchPage(url);
    const served = await parseServed(html);
    assert.deepEqual(served.policies, [expected], `${url}: the policy meta in <head>`);
    assert.deepEqual(served.elsewhere, [], `${url}: a policy meta outside <head>`);
    const elsewhere = served.tokenAttributes.filter(({ value }) => value.includes(evil.host));
    assert.deepEqual(elsewhere, [], `${url} still points a widget at the evil server`);
    return { html, served };
  }

  /**
   * Opens `url` in Chromium as the signed-in visitor, waits until its widgets are Live (they got a
   * token and connected), runs `act`, and checks that no request reached the evil server.
   * @param {string} url
   * @param {{ act?: (page: import('playwright-core').Page) => Promise<void>, live?: boolean }} [options]
   */
  async function assertNothingReachesEvil(url, { act, live = true } = {}) {
    evil.reset();
    const context = await browser.newContext({ storageState: visitorState });
    /** @type {string[]} */
    const problems = [];
    try {
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      await page.goto(url);
      if (live) {
        const status = page.locator('gym-connection-status [part=label]');
        await status
          .filter({ hasText: /^Live$/ })
          .first()
          .waitFor({ timeout: 30_000 })
          .catch(async () => {
            throw new Error(`${url} did not go Live: status ${JSON.stringify(await status.allTextContents())}; ${problems.join('; ') || 'no page errors'}`);
          });
        // The history is in too: everything a widget sends on load has been sent.
        await page.locator('gym-checkin-feed [part=skeleton]').first().waitFor({ state: 'detached' });
      }
      await act?.(page);
    } finally {
      await context.close();
    }
    const withToken = evil.requests.filter((request) => request.token);
    assert.deepEqual(withToken, [], `${url}: the evil server got the visitor's token`);
    assert.deepEqual(evil.requests, [], `${url}: the evil server got requests (none with a token)`);
    assert.deepEqual(problems, [], `${url} threw`);
  }

  it('installs WordPress from the Debian package, and the built zip uploads and activates at Plugins → Add New', async () => {
    await admin.goto(`${site.origin}/wp-admin/plugin-install.php?tab=upload`);
    await admin.locator('#pluginzip').setInputFiles(ZIP);
    await Promise.all([admin.waitForURL(/update\.php\?action=upload-plugin/), admin.locator('#install-plugin-submit').click()]);
    await admin.getByText('Plugin installed successfully.').waitFor();
    await Promise.all([admin.waitForURL(/plugins\.php/), admin.getByRole('link', { name: 'Activate Plugin' }).click()]);
    await admin.getByText('Plugin activated.').waitFor();
    const row = admin.locator('tr[data-plugin="gym-realtime-widgets/gym-realtime-widgets.php"]');
    assert.match(await row.innerText(), new RegExp(`Gym live check-ins[\\s\\S]*Version ${BUNDLE.version.replace(/\./g, '\\.')}`));
    // The Settings link on the plugin's row.
    assert.ok(await row.getByRole('link', { name: 'Settings' }).count());
  });

  it('creates an Author, an Editor and an Administrator, each with an application password, and a Subscriber (a signed-in visitor)', async () => {
    await adminRest('POST', '/wp/v2/users', { username: visitor.login, email: `${visitor.login}@gym.test`, password: visitor.password, roles: ['subscriber'] });
    const context = await browser.newContext();
    try {
      await logIn(context, visitor.login, visitor.password);
      visitorState = await context.storageState();
    } finally {
      await context.close();
    }
    for (const { role, label, login } of USERS) {
      const password = `${login}-pass-42`;
      const { id } = await adminRest('POST', '/wp/v2/users', { username: login, email: `${login}@gym.test`, password, roles: [role] });
      const { password: appPassword } = await adminRest('POST', `/wp/v2/users/${id}/application-passwords`, { name: 'end-to-end tests' });
      users[role] = { role, label, login, password, id, appPassword };
      const me = await rest(users[role], 'GET', '/wp/v2/users/me', undefined, { context: 'edit' });
      assert.deepEqual(me.roles, [role]);
    }
  });

  it('Settings → Live check-ins: managers only, nonce-checked, sanitised; saves the gym server\'s URLs', async () => {
    // Until a socket URL is set, a visitor sees nothing of a block, and no script is loaded.
    const early = await savePost(users.author, 'Before the settings', content.block());
    const visitorView = await fetchPage(early.link);
    assert.deepEqual([visitorView.includes('<gym-'), scriptTags(visitorView).length], [false, 0]);
    // No token URL yet: the page tells the widgets to send no token anywhere.
    assert.deepEqual((await parseServed(visitorView)).policies, ['none']);

    // An invalid socket URL is refused with a message, and nothing is stored; the field keeps what was typed.
    const refused = await saveSettings({ socket_url: 'javascript:alert(1)', history_url: 'ftp://gym.test/recent' });
    assert.ok(refused.some((text) => text.includes('Socket URL was not saved')), `notices: ${refused.join(' | ')}`);
    assert.ok(refused.some((text) => text.includes('History URL was not saved')), `notices: ${refused.join(' | ')}`);
    assert.equal(await admin.locator('#gym-live-checkins-socket_url').inputValue(), 'javascript:alert(1)');
    assert.equal(await admin.locator('#gym-live-checkins-socket_url').getAttribute('aria-invalid'), 'true');
    assert.equal(await admin.locator('#gym-live-checkins-history_url').inputValue(), 'ftp://gym.test/recent');
    assert.doesNotMatch(await site.query("SELECT option_value FROM wp_options WHERE option_name = 'gym_live_checkins_settings'"), /javascript|ftp:/);
    // Shown once: the next visit shows what is saved.
    await admin.reload();
    assert.equal(await admin.locator('#gym-live-checkins-socket_url').inputValue(), '');
    // The script source's example is an address that answers: the plugin's own copy.
    const example = /** @type {string} */ (await admin.locator('#gym-live-checkins-script_src').getAttribute('placeholder'));
    assert.match(example, /\/wp-content\/plugins\/gym-realtime-widgets\/assets\/gym-realtime-widgets\.js$/);
    assert.equal((await fetch(example)).status, 200, `the placeholder ${example} does not answer`);

    const saved = await saveSettings({ ...settings, theme: 'auto', script_src: '' });
    assert.ok(saved.some((text) => text.includes('Settings saved.')), `notices: ${saved.join(' | ')}`);
    for (const [key, value] of Object.entries(settings)) assert.equal(await admin.locator(`#gym-live-checkins-${key}`).inputValue(), value);
    assert.equal(await admin.locator('#gym-live-checkins-theme').inputValue(), 'auto');
    assert.match(await admin.locator('#gym-live-checkins-policy').innerText(), new RegExp(`only these servers may receive a visitor's token: ${gym.origin.replace(/[./]/g, '\\$&')}\\.`));
    // Every page, with a widget or not, now lists the gym server's origin (socket, token and history are on it).
    assert.deepEqual((await parseServed(await fetchPage(early.link))).policies, [gym.origin]);
    assert.deepEqual((await parseServed(await fetchPage(`${site.origin}/`))).policies, [gym.origin]);
    // And the admin's pages, where the block editor shows the widgets.
    assert.equal(await admin.locator('head meta[name="gym-realtime-policy"]').getAttribute('content'), gym.origin);
    await admin.screenshot({ path: fileURLToPath(new URL('wordpress-settings.png', ARTIFACTS)), fullPage: true });

    // options.php refuses a post without the page's nonce.
    const forged = await admin.request.post(`${site.origin}/wp-admin/options.php`, {
      form: { option_page: 'gym_live_checkins', action: 'update', _wpnonce: 'forged', 'gym_live_checkins_settings[socket_url]': 'wss://evil.test/ws/' },
      maxRedirects: 0,
    });
    assert.equal(forged.status(), 403);
    assert.match(await site.query("SELECT option_value FROM wp_options WHERE option_name = 'gym_live_checkins_settings'"), new RegExp(gym.socketUrl.replace(/[./]/g, '\\$&')));

    // An Editor (no manage_options) cannot open the page.
    const editorContext = await browser.newContext();
    try {
      const editor = await logIn(editorContext, users.editor.login, users.editor.password);
      const response = await editor.goto(`${site.origin}/wp-admin/options-general.php?page=gym-live-checkins`);
      assert.equal(response?.status(), 403);
      assert.equal(await editor.locator('#gym-live-checkins-socket_url').count(), 0);
    } finally {
      await editorContext.close();
    }
  });

  for (const disallow of [false, true]) {
    describe(`DISALLOW_UNFILTERED_HTML ${disallow ? 'on' : 'off'}`, () => {
      before(() => site.disallowUnfilteredHtml(disallow));

      for (const { role, label: name } of USERS) {
        // Authors never have unfiltered_html; Editors and Administrators lose it under DISALLOW_UNFILTERED_HTML.
        const filtered = role === 'author' || disallow;
        const label = `${name} (DISALLOW_UNFILTERED_HTML ${disallow ? 'on' : 'off'})`;

        it(`as ${label}: the block is stored as sent and renders live widgets with its own theme and feed length`, async () => {
          const sent = content.block();
          const { link, stored } = await savePost(users[role], `Block by ${name}`, sent);
          assert.equal(stored, sent);
          const html = await fetchPage(link);
          assertModuleOnce(html, ownCopy());
          assert.ok(
            html.includes(
              `<gym-realtime-provider url="${settings.socket_url}" token-url="${settings.token_url}" history-url="${settings.history_url}" theme="dark"><gym-error-boundary><gym-connection-status><span class="gym-live-checkins-fallback" data-failed="${FAILED}">${LOADING}</span></gym-connection-status><gym-checkin-stats></gym-checkin-stats><gym-checkin-feed limit="3"></gym-checkin-feed></gym-error-boundary></gym-realtime-provider>`,
            ),
            'the block did not render its elements with the settings\' URLs',
          );
          await assertLive(link, {
            inspect: async (page) => assert.equal(await page.locator('gym-checkin-feed').getAttribute('limit'), '3'),
            screenshot: role === 'author' && !disallow ? 'wordpress-block-page.png' : undefined,
          });
        });

        it(`as ${label}: the shortcode is stored as sent and renders live widgets with the settings' default theme`, async () => {
          const sent = content.shortcode();
          const { link, stored } = await savePost(users[role], `Shortcode by ${name}`, sent);
          assert.equal(stored, sent);
          const html = await fetchPage(link);
          assertModuleOnce(html, ownCopy());
          assert.match(html, /<gym-realtime-provider [^>]*theme="auto"><gym-error-boundary><gym-connection-status><span class="gym-live-checkins-fallback"[^>]*>[^<]*<\/span><\/gym-connection-status><gym-checkin-stats><\/gym-checkin-stats><gym-checkin-feed limit="4"><\/gym-checkin-feed>/);
          await assertLive(link);
        });

        it(`as ${label}: pasted <gym-*> tags keep their attributes${filtered ? '; onclick and <script> are stripped' : ' (unfiltered_html: stored as sent)'}`, async () => {
          const sent = content.pasted();
          const { link, stored } = await savePost(users[role], `Pasted tags by ${name}`, sent);
          if (filtered) {
            assert.equal(stored, filteredPaste(sent));
          } else {
            assert.equal(stored, sent);
          }
          const html = await fetchPage(link);
          assertModuleOnce(html, ownCopy());
          assert.ok(html.includes(`<gym-realtime-provider url="${settings.socket_url}" token-url="${settings.token_url}" history-url="${settings.history_url}" theme="dark">`));
          assert.equal(html.includes('onclick="window.clicked'), !filtered);
          assert.equal(html.includes('<script>window.pwned'), !filtered);
          await assertLive(link, {
            live: /^Live now$/,
            inspect: async (page) => {
              assert.equal(await page.evaluate(() => /** @type {any} */ (window).pwned), filtered ? undefined : true);
              await page.locator('gym-checkin-feed').click();
              assert.equal(await page.evaluate(() => /** @type {any} */ (window).clicked), filtered ? undefined : true);
            },
          });
        });
      }
    });
  }

  it("an Editor without unfiltered_html re-saving an Administrator's post keeps the widgets", async () => {
    // As on multisite: the Administrator's post was saved unfiltered, the Editor's save is filtered.
    site.disallowUnfilteredHtml(false);
    const { id, stored } = await savePost(users.administrator, 'Re-saved by an Editor', content.pasted());
    assert.equal(stored, content.pasted());
    site.disallowUnfilteredHtml(true);
    const edited = `${stored}\n\n<!-- wp:paragraph -->\n<p>Edited by the Editor.</p>\n<!-- /wp:paragraph -->`;
    await rest(users.editor, 'POST', `/wp/v2/posts/${id}`, { content: edited });
    const { content: after } = await rest(users.editor, 'GET', `/wp/v2/posts/${id}`, undefined, { context: 'edit' });
    assert.equal(after.raw, filteredPaste(edited));
    site.disallowUnfilteredHtml(false);
  });

  it("keeps the addresses that receive visitors' tokens to the settings' ones for users without unfiltered_html", async () => {
    site.disallowUnfilteredHtml(false);
    // The socket gets the token in its URL, the history URL as a bearer header: an Author must not choose them.
    const away = { socket: 'wss://evil.test/ws/checkins/', history: 'https://evil.test/api/checkins/recent/' };
    const post = (/** @type {{ socket?: string, history?: string }} */ elsewhere) => {
      const attribute = (/** @type {string} */ name, /** @type {string | undefined} */ value) => (value ? ` ${name}="${value}"` : '');
      const json = JSON.stringify({ ...(elsewhere.socket && { socketUrl: elsewhere.socket }), ...(elsewhere.history && { historyUrl: elsewhere.history }), tokenUrl: settings.token_url, limit: 2 });
      return [
        `<!-- wp:${BLOCK} ${json} /-->`,
        `<!-- wp:shortcode -->[gym_live_checkins show="status,feed"${attribute('url', elsewhere.socket)}${attribute('history_url', elsewhere.history)} limit="2"]<!-- /wp:shortcode -->`,
        '<!-- wp:html -->',
        `<gym-realtime-provider${attribute('url', elsewhere.socket)} token-url="${settings.token_url}"${attribute('history-url', elsewhere.history)}><gym-checkin-feed${attribute('history-url', elsewhere.history)}></gym-checkin-feed></gym-realtime-provider>`,
        `<div data-gym-widget="checkin-feed"${attribute('data-url', elsewhere.socket)} data-token-url="${settings.token_url}"${attribute('data-history-url', elsewhere.history)}></div>`,
        `<gym-realtime-provider url="${settings.socket_url}" history-url="${settings.history_url}"></gym-realtime-provider>`,
        '<!-- /wp:html -->',
      ].join('\n');
    };
    const byAuthor = await savePost(users.author, 'Elsewhere, by an Author', post(away));
    assert.equal(byAuthor.stored, post({}));
    const html = await fetchPage(byAuthor.link);
    assert.ok(!html.includes('evil.test'), 'the Author\'s page still sends tokens elsewhere');
    // Users who may post any HTML (and so any script) may connect elsewhere.
    assert.equal((await savePost(users.administrator, 'Elsewhere, by an Administrator', post(away))).stored, post(away));
  });

  it("reads tags as Chromium does: no quoting, separator or comment trick keeps a widget pointed elsewhere", async () => {
    // The sanitizer's own reading of HTML (includes/html.php), run by PHP on tricky markup; Chromium then
    // parses what it returns, followed by more markup (a page goes on after a post), as a page would.
    const E = evil.host;
    const cases = [
      `<gym-realtime-provider url='ws://${E}/ws/' token-url='${settings.token_url}' history-url='http://${E}/h'>`,
      `<gym-realtime-provider url=ws://${E}/ws/ token-url=${settings.token_url}>`,
      `<gym-realtime-provider/url='ws://${E}/ws/'>`,
      `<gym-realtime-provider title="a>" url="ws://${E}/ws/">`,
      `<gym-realtime-provider theme="dark"url="ws://${E}/ws/">`,
      `<gym-realtime-provider\furl="ws://${E}/ws/"\ttoken-url="http://${E}/token">`,
      `<GYM-REALTIME-PROVIDER URL="ws://${E}/ws/">`,
      `<gym-realtime-provider url="${settings.socket_url}x" url="ws://${E}/ws/">`,
      `<gym-realtime-provider =url=x url="ws://${E}/ws/">`,
      `<gym-realtime-provider url="ws&#58;//${E}/ws/" history-url="&#x68;ttp://${E}/h">`,
      `<gym-realtime-provider data-gym-widget="checkin-feed" url="ws://${E}/ws/">`,
      `<div data-gym-widget='checkin-feed' data-url='ws://${E}/ws/' data-token-url=http://${E}/token>`,
      `<DIV DATA-GYM-WIDGET=realtime-provider DATA-URL=ws://${E}/ws/ DATA-HISTORY-URL=http://${E}/h>`,
      `<div data-gym-widget="checkin-form" data-search-url="http://${E}/s" data-visits-url='http://${E}/v'>`,
      `<gym-checkin-form search-url='http://${E}/s' visits-url=http://${E}/v></gym-checkin-form>`,
      `<gym-checkin-feed history-url='http://${E}/h'></gym-checkin-feed>`,
      `<script>var s = '<div title="';</script><gym-realtime-provider url='ws://${E}/ws/'>`,
      `<textarea><gym-realtime-provider url='x'></textarea><gym-realtime-provider url='ws://${E}/ws/'>`,
      `<svg><title><gym-realtime-provider url='ws://${E}/ws/'></gym-realtime-provider></title></svg>`,
      `<svg><style><div data-gym-widget="realtime-provider" data-url="ws://${E}/ws/"></div></style></svg>`,
      `<!--><gym-realtime-provider url='ws://${E}/ws/'>`,
      `<!---><gym-realtime-provider url='ws://${E}/ws/'>`,
      `<!-- x --!><gym-realtime-provider url='ws://${E}/ws/'>`,
      `</p title="x>"><gym-realtime-provider url='ws://${E}/ws/'>`,
      `<p title="<gym-realtime-provider url='ws://${E}/ws/'>">text</p>`,
      `<gym-realtime-provider url = 'ws://${E}/ws/' />`,
      `<noscript><gym-realtime-provider url='ws://${E}/ws/'></noscript><template><gym-realtime-provider url='ws://${E}/ws/'></template>`,
      `<gym-realtime-provider url='ws://${E}/ws/'`,
      `<gym-realtime-provider token-url="${settings.token_url}" url="ws://${E}/ws/" `,
      `<div data-gym-widget="realtime-provider" data-url="ws://${E}/ws/`,
    ];
    const allowed = { url: settings.socket_url, 'token-url': settings.token_url, 'history-url': settings.history_url, 'search-url': '', 'visits-url': '' };
    const code = `define('ABSPATH', '/'); require ${JSON.stringify(join(PLUGIN_DIR, 'includes/html.php'))};
      $in = json_decode(stream_get_contents(STDIN), true);
      echo json_encode(array_map(function ($html) use ($in) { return gym_live_checkins_pin_html($html, $in['allowed'], null, $in['allowed']); }, $in['cases']));`;
    const pinned = JSON.parse(execFileSync(findTools().php, ['-r', code], { input: JSON.stringify({ cases, allowed }), encoding: 'utf8' }));
    for (const [index, html] of pinned.entries()) {
      // The page goes on after the post, as block themes and classic themes print it.
      const served = await parseServed(`<!doctype html><html><head></head><body><main>${html}</div><p>More of the page.</p></main></body></html>`);
      const elsewhere = served.tokenAttributes.filter(({ value }) => value.includes(E) || !Object.values(allowed).includes(value));
      assert.deepEqual(elsewhere, [], `case ${index}: ${JSON.stringify(cases[index])} became ${JSON.stringify(html)}`);
    }
  });

  for (const { role, label, disallow } of [
    { role: 'author', label: 'an Author', disallow: false },
    { role: 'editor', label: 'an Editor under DISALLOW_UNFILTERED_HTML', disallow: true },
  ]) {
    describe(`as ${label}: nothing sends a signed-in visitor's token to a server the author chose`, () => {
      before(() => site.disallowUnfilteredHtml(disallow));
      after(() => site.disallowUnfilteredHtml(false));

      it(`1, 2, 3, 6: single-quoted and unquoted tags, the form's URLs, a shortcode split by a block comment, token URLs in the shortcode and the block (${role})`, async () => {
        const split = `[gym_live_<!-- wp:x /-->checkins show="status,feed" url="${evil.socketUrl}" history_url="${evil.historyUrl}" token_url="${evil.tokenUrl}"]`;
        const payload = [
          '<!-- wp:html -->',
          // 1. Single quotes and no quotes: on the tags, and data-url on a data-gym-widget block.
          `<gym-realtime-provider url='${evil.socketUrl}' token-url='${settings.token_url}' history-url='${evil.historyUrl}'><gym-connection-status></gym-connection-status><gym-checkin-feed history-url='${evil.historyUrl}' limit="2"></gym-checkin-feed></gym-realtime-provider>`,
          `<gym-realtime-provider url=${evil.socketUrl} token-url=${settings.token_url}><gym-connection-status></gym-connection-status></gym-realtime-provider>`,
          `<div data-gym-widget='checkin-feed' data-url='${evil.socketUrl}' data-token-url='${settings.token_url}' data-history-url='${evil.historyUrl}' data-limit="2"></div>`,
          // 2. The form sends its bearer token to its member search and visits.
          `<gym-realtime-provider url="${settings.socket_url}" token-url="${settings.token_url}" history-url="${settings.history_url}"><gym-connection-status></gym-connection-status><gym-checkin-form search-url="${evil.searchUrl}" visits-url='${evil.visitsUrl}'></gym-checkin-form></gym-realtime-provider>`,
          '<!-- /wp:html -->',
          // 3. Stored as written (no shortcode yet); rendering blocks removes the comment, then shortcodes run.
          split,
          // 6. The token URL: who hands out tokens.
          `<!-- wp:shortcode -->[gym_live_checkins show="status" token_url="${evil.tokenUrl}"]<!-- /wp:shortcode -->`,
          `<!-- wp:${BLOCK} {"tokenUrl":"${evil.tokenUrl}","searchUrl":"${evil.searchUrl}","widgets":["status","feed"]} /-->`,
        ].join('\n');
        const { link, stored } = await savePost(users[role], `Elsewhere, quoted otherwise, by ${label}`, payload);
        // On save: every tag, block and shortcode loses its evil address (the split shortcode is no shortcode yet).
        assert.ok(!stored.replace(split, '').includes(evil.host), `stored: ${stored}`);
        assert.ok(stored.includes(split));
        await assertServedSafe(link);
        await assertNothingReachesEvil(link, {
          act: async (page) => {
            // Every provider uses the settings (a removed URL gets the settings' one) and goes Live.
            const statuses = page.locator('gym-connection-status [part=label]');
            assert.equal(await statuses.count(), 6);
            for (let i = 0; i < 6; i++) await expectVisible(statuses.nth(i).filter({ hasText: /^Live$/ }), `status ${i} did not go Live`);
            // The form looks members up, with its token, on the settings' server.
            await page.locator('gym-checkin-form [part=input]').fill('ali');
            await expectVisible(page.locator('gym-checkin-form [part=option]').first(), 'the form found no member');
          },
        });
      });

      it(`4: a tag written as entities, decoded by a Latest Posts block showing full posts (${role})`, async () => {
        const encoded = `&lt;gym-realtime-provider url='${evil.socketUrl}' token-url="${settings.token_url}" history-url="${evil.historyUrl}"&gt;&lt;gym-connection-status&gt;&lt;/gym-connection-status&gt;&lt;gym-checkin-feed&gt;&lt;/gym-checkin-feed&gt;&lt;/gym-realtime-provider&gt;`;
        await savePost(users[role], `Entities by ${label}`, `<!-- wp:paragraph -->\n<p>${encoded}</p>\n<!-- /wp:paragraph -->`);
        // Shown on an Administrator's page: whose author could connect widgets elsewhere.
        const page = await rest(users.administrator, 'POST', '/wp/v2/pages', {
          title: `Latest post in full, after ${label}`,
          status: 'publish',
          content: `<!-- wp:latest-posts {"postsToShow":1,"displayPostContent":true,"displayPostContentRadio":"full_post"} /-->\n<!-- wp:${BLOCK} /-->`,
        });
        const { html } = await assertServedSafe(page.link);
        assert.match(html, /wp-block-latest-posts[\s\S]*<gym-realtime-provider [^>]*\burl="/, 'Latest Posts did not show the decoded widget at all');
        await assertNothingReachesEvil(page.link);
      });

      it(`5: a shortcode in a post title, shown by a Latest Posts block (${role})`, async () => {
        const title = `[gym_live_checkins show="status,feed" url="${evil.socketUrl}" token_url="${evil.tokenUrl}" history_url="${evil.historyUrl}"]`;
        await savePost(users[role], title, '<!-- wp:paragraph -->\n<p>A title that is a shortcode.</p>\n<!-- /wp:paragraph -->');
        const page = await rest(users.administrator, 'POST', '/wp/v2/pages', {
          title: `Latest post's title, after ${label}`,
          status: 'publish',
          content: `<!-- wp:latest-posts {"postsToShow":1} /-->\n<!-- wp:${BLOCK} /-->`,
        });
        const { html } = await assertServedSafe(page.link);
        // A title is text: the shortcode in it does not run (here, nor where block themes run shortcodes over the page).
        assert.match(html, /wp-block-latest-posts__post-title[^>]*>&#91;gym_live_checkins show=/);
        assert.equal(html.match(/<gym-realtime-provider/g)?.length, 1, 'only the page\'s own block shows widgets');
        await assertNothingReachesEvil(page.link);
      });
    });
  }

  it("the page policy keeps even an Administrator's widgets from sending a token to a server it does not list (the browser's check)", async () => {
    site.disallowUnfilteredHtml(false);
    // An Administrator may post any HTML, so the sanitizer keeps these as written; the policy in <head>
    // still lists only the gym server, and the widgets' script refuses the rest.
    const sent = [
      '<!-- wp:html -->',
      `<gym-realtime-provider id="socket-elsewhere" url="${evil.socketUrl}" token-url="${settings.token_url}" history-url="${evil.historyUrl}"><gym-connection-status></gym-connection-status><gym-checkin-feed></gym-checkin-feed></gym-realtime-provider>`,
      `<gym-realtime-provider id="token-elsewhere" url="${settings.socket_url}" token-url="${evil.tokenUrl}"><gym-connection-status></gym-connection-status></gym-realtime-provider>`,
      `<gym-realtime-provider id="form-elsewhere" url="${settings.socket_url}" token-url="${settings.token_url}" history-url="${settings.history_url}"><gym-connection-status></gym-connection-status><gym-checkin-form search-url="${evil.searchUrl}" visits-url="${evil.visitsUrl}"></gym-checkin-form></gym-realtime-provider>`,
      '<!-- /wp:html -->',
      `<!-- wp:${BLOCK} {"socketUrl":"${evil.socketUrl}","widgets":["status"]} /-->`,
    ].join('\n');
    const { link, stored } = await savePost(users.administrator, 'Elsewhere, by an Administrator, refused by the page', sent);
    assert.equal(stored, sent);
    const parsed = await parseServed(await fetchPage(link));
    assert.deepEqual(parsed.policies, [policy()]);
    assert.ok(parsed.tokenAttributes.some(({ value }) => value.includes(evil.host)));
    await assertNothingReachesEvil(link, {
      live: false,
      act: async (page) => {
        // The providers that would send a token elsewhere say why, and connect nowhere.
        for (const id of ['socket-elsewhere', 'token-elsewhere']) {
          await expectVisible(page.locator(`#${id} [part=error]`).filter({ hasText: /gym-realtime-policy/ }), `#${id} did not refuse its addresses`);
        }
        // The block's own socket: an Administrator's post, so it is used; the browser refuses it.
        await expectVisible(page.locator(`.wp-block-gym-realtime-widgets-live-checkins gym-realtime-provider [part=error]`).filter({ hasText: /gym-realtime-policy/ }), 'the block did not refuse its socket');
        // The form's provider goes Live; the form refuses to search the unlisted server.
        await expectVisible(page.locator('#form-elsewhere gym-connection-status [part=label]').filter({ hasText: /^Live$/ }), 'the form\'s provider did not go Live');
        await page.locator('#form-elsewhere gym-checkin-form [part=input]').fill('ali');
        await expectVisible(page.locator('#form-elsewhere gym-checkin-form').getByText(/Search is unavailable/).first(), 'the form did not refuse its member search');
      },
    });
  });

  it('loads the script only on pages that show a widget, and once however many they show', async () => {
    site.disallowUnfilteredHtml(false);
    const plain = await savePost(users.author, 'No widgets here', '<!-- wp:paragraph -->\n<p>Opening hours: 6 to 22.</p>\n<!-- /wp:paragraph -->');
    const plainHtml = await fetchPage(plain.link);
    assert.deepEqual(scriptTags(plainHtml), []);
    assert.doesNotMatch(plainHtml, /importmap/, 'a page without widgets has the import map');
    const blocks =
      '<!-- wp:html -->\n<div data-gym-widget="realtime-provider" data-url="' +
      settings.socket_url +
      '" data-token-url="' +
      settings.token_url +
      '"><div data-gym-widget="connection-status"></div><div data-gym-widget="checkin-feed" data-limit="2">Live check-ins appear here.</div></div>\n<!-- /wp:html -->';
    const onlyBlocks = await savePost(users.author, 'data-gym-widget blocks', blocks);
    assertModuleOnce(await fetchPage(onlyBlocks.link), ownCopy());
    await assertLive(onlyBlocks.link);
    const all = await savePost(users.author, 'Everything at once', [content.block(), `<!-- wp:shortcode -->${content.shortcode()}<!-- /wp:shortcode -->`, content.pasted(), blocks].join('\n\n'));
    const html = await fetchPage(all.link);
    assertModuleOnce(html, ownCopy());
    assert.equal(html.match(/<gym-realtime-provider/g)?.length, 3);
  });

  it('prints no widget and loads no script where posts are excerpts: the blog home, search results, an author archive', async () => {
    site.disallowUnfilteredHtml(false);
    // WordPress makes an excerpt by running the whole post through the_content, then removing the tags.
    const word = 'zebrafinch';
    const body = [
      `<!-- wp:paragraph -->\n<p>The ${word} timetable, with the live widgets below.</p>\n<!-- /wp:paragraph -->`,
      content.block(),
      `<!-- wp:shortcode -->${content.shortcode()}<!-- /wp:shortcode -->`,
      content.pasted(),
      '[gym_live_<!-- wp:x /-->checkins show="status"]',
    ].join('\n\n');
    const { link } = await savePost(users.author, `Live at the ${word} gym`, body);
    assertModuleOnce(await fetchPage(link), ownCopy());
    for (const url of [`${site.origin}/`, `${site.origin}/?s=${word}`, `${site.origin}/?author=${users.author.id}`]) {
      const html = await fetchPage(url);
      assert.ok(html.includes(`Live at the ${word} gym`), `${url} does not list the post`);
      // Tags, not the title of the post "data-gym-widget blocks".
      const widgets = html.match(/.{0,120}(<gym-[a-z]|<[a-z][^>]*\sdata-gym-widget=|gym-live-checkins-fallback).{0,120}/g) ?? [];
      assert.deepEqual(widgets, [], `${url} prints widgets in an excerpt`);
      assert.deepEqual(scriptTags(html), [], `${url} loads the widgets' script`);
      assert.doesNotMatch(html, /importmap/, `${url} has the import map`);
    }
  });

  it('the block editor previews the real widget, live, and its sidebar sets the widgets, feed length and theme', async () => {
    const { id } = await savePost(users.editor, 'Edited in the block editor', `<!-- wp:${BLOCK} /-->`);
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    /** @type {string[]} */
    const problems = [];
    try {
      const editor = await logIn(context, users.editor.login, users.editor.password);
      editor.on('pageerror', (error) => problems.push(error.message));
      editor.on('console', (message) => {
        const url = message.location().url;
        // WordPress's own requests that fail here by design: pictures from wordpress.org and
        // gravatar.com (no internet), and the theme's template, which an Editor may not edit.
        if (/^Failed to load resource/.test(message.text()) && (!url.startsWith('http://127.0.0.1:') || /\/wp\/v2\/templates\//.test(url))) return;
        if (message.type() === 'error') problems.push(`${message.text()} ${url}`);
      });
      await editor.goto(`${site.origin}/wp-admin/post.php?post=${id}&action=edit`);
      const block = editor.locator(`[data-type="${BLOCK}"]`);
      const live = block.locator('gym-connection-status [part=label]').filter({ hasText: /^Live$/ });
      await expectVisible(live, 'the block\'s preview in the editor did not go Live', problems, 30_000);
      // A user's first visit shows the welcome guide over the editor, loaded by now.
      const guide = editor.getByRole('dialog', { name: 'Welcome to the block editor' });
      if (await guide.isVisible()) await guide.getByRole('button', { name: 'Close' }).click();
      assert.equal(await block.locator('gym-checkin-form').count(), 0);

      // Select the block (its preview is inert), then change its settings in the sidebar.
      await block.click({ position: { x: 5, y: 5 }, force: true });
      await editor.getByRole('textbox', { name: 'Heading' }).fill('At the front desk');
      await editor.getByRole('checkbox', { name: 'Check-in form (staff)' }).check();
      await editor.getByRole('spinbutton', { name: 'Feed length' }).fill('7');
      await editor.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
      await editor.getByRole('combobox', { name: 'Names in the feed' }).selectOption('first');
      await editor.getByRole('checkbox', { name: 'Pop-up for each check-in' }).check();
      // The server renders the preview anew with the new attributes (the last request wins), and it goes live again.
      await expectVisible(
        block.locator('h2.gym-live-checkins-heading + gym-realtime-provider[theme="dark"] gym-checkin-feed[limit="7"][names="first"][notify] ~ gym-checkin-form'),
        'the preview did not show the heading, the form, feed length 7, first names, pop-ups and the dark theme',
        problems,
        45_000,
      );
      assert.equal(await block.locator('h2.gym-live-checkins-heading').innerText(), 'At the front desk');
      await expectVisible(live, 'the updated preview did not go Live', problems, 30_000);
      await editor.screenshot({ path: fileURLToPath(new URL('wordpress-block-editor.png', ARTIFACTS)) });

      await editor.getByRole('button', { name: 'Update', exact: true }).click();
      await expectVisible(editor.getByText('Post updated.').first(), 'the post was not saved', problems);
    } finally {
      await context.close();
    }
    const { content: saved } = await rest(users.editor, 'GET', `/wp/v2/posts/${id}`, undefined, { context: 'edit' });
    assert.equal(saved.raw, `<!-- wp:${BLOCK} {"widgets":["status","stats","feed","form"],"limit":7,"theme":"dark","heading":"At the front desk","names":"first","notify":true} /-->`);
    assert.deepEqual(problems, [], 'the editor logged errors');
  });

  it("the block editor's iframes (tablet preview) and the Site Editor show the live widget, with the page's policy", async () => {
    const { id } = await savePost(users.editor, 'Previewed as on a tablet', `<!-- wp:${BLOCK} {"widgets":["status","feed"]} /-->`);
    // A template with the block, opened in the Site Editor (an Administrator's), which always edits in an iframe.
    const template = await rest(users.administrator, 'POST', '/wp/v2/templates', { slug: 'gym-live-preview', title: 'Gym live preview', content: `<!-- wp:${BLOCK} {"widgets":["status","stats"]} /-->` });
    for (const [who, url, setUp] of /** @type {const} */ ([
      [
        users.editor,
        `${site.origin}/wp-admin/post.php?post=${id}&action=edit`,
        // WordPress 6.1's post editor uses an iframe for tablet and mobile previews (and template mode).
        (/** @type {import('playwright-core').Page} */ page) => page.evaluate(() => /** @type {any} */ (window).wp.data.dispatch('core/edit-post').__experimentalSetPreviewDeviceType('Tablet')),
      ],
      [users.administrator, `${site.origin}/wp-admin/site-editor.php?postType=wp_template&postId=${encodeURIComponent(template.id)}`, async () => {}],
    ])) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      /** @type {string[]} */
      const problems = [];
      try {
        const page = await logIn(context, who.login, who.password);
        page.on('pageerror', (error) => problems.push(error.message));
        await page.goto(url);
        await page.waitForFunction(() => Boolean(/** @type {any} */ (window).wp?.data?.select('core/block-editor')?.getBlocks().length));
        await setUp(page);
        const frame = page.frameLocator('iframe[name="editor-canvas"]');
        const block = frame.locator(`[data-type="${BLOCK}"]`);
        await expectVisible(block.locator('gym-connection-status [part=label]').filter({ hasText: /^Live$/ }), `${url}: the block's preview in the iframe did not go Live`, problems, 45_000);
        // The policy meta was copied into the iframe's head before the widgets' script ran.
        assert.equal(await frame.locator('head meta[name="gym-realtime-policy"]').getAttribute('content'), policy());
        assert.equal(await frame.locator('head script#gym-live-checkins-classic-js').count(), 1);
        await page.screenshot({ path: join(SHOTS, url.includes('site-editor') ? 'site-editor.png' : 'post-editor-tablet.png') });
      } finally {
        await context.close();
      }
      assert.deepEqual(problems, [], `${url} threw`);
    }
    await rest(users.administrator, 'DELETE', `/wp/v2/templates/${template.id}`, undefined, { force: 'true' });
  });

  it('the block: a heading, names and pop-ups for the feed, colours from the theme palette; screenshots in Twenty Twenty-Three light and dark', async () => {
    site.disallowUnfilteredHtml(false);
    const attributes = {
      heading: 'Now at the gym',
      widgets: ['status', 'stats', 'feed'],
      limit: 4,
      names: 'first',
      notify: true,
    };
    const colored = { ...attributes, heading: 'In the palette', widgets: ['status', 'feed'], limit: 2, textColor: 'contrast', backgroundColor: 'tertiary' };
    const page = await rest(users.editor, 'POST', '/wp/v2/pages', {
      title: 'The gym, live',
      status: 'publish',
      content: [
        `<!-- wp:${BLOCK} ${JSON.stringify(attributes)} /-->`,
        `<!-- wp:${BLOCK} ${JSON.stringify(colored)} /-->`,
        `<!-- wp:shortcode -->[gym_live_checkins show="status,feed" limit="3" names="initials" heading="From the shortcode"]<!-- /wp:shortcode -->`,
      ].join('\n'),
    });
    const html = await fetchPage(page.link);
    assert.match(html, /<h2 class="gym-live-checkins-heading">Now at the gym<\/h2><gym-realtime-provider /);
    assert.match(html, /<gym-checkin-feed limit="4" names="first" notify>/);
    assert.match(html, /<gym-checkin-feed limit="3" names="initials">/);
    // The palette's colours: WordPress's classes on the block, and the widgets' tokens from them.
    const wrapper = html.match(/<div [^>]*class="[^"]*has-tertiary-background-color[^"]*"[^>]*>/)?.[0] ?? '';
    for (const part of ['wp-block-gym-realtime-widgets-live-checkins', 'has-contrast-color', '--gym-color-text:var(--wp--preset--color--contrast);', '--gym-color-surface:var(--wp--preset--color--tertiary);']) {
      assert.ok(wrapper.includes(part), `the coloured block's wrapper lacks ${part}: ${wrapper}`);
    }

    const shoot = async (/** @type {string} */ name, /** @type {'light' | 'dark'} */ scheme) => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, colorScheme: scheme });
      try {
        const tab = await context.newPage();
        await tab.goto(page.link);
        const statuses = tab.locator('gym-connection-status [part=label]');
        for (let i = 0; i < 3; i++) await expectVisible(statuses.nth(i).filter({ hasText: /^Live$/ }), `${name}: status ${i} did not go Live`);
        await tab.locator('gym-checkin-feed [part=skeleton]').first().waitFor({ state: 'detached' });
        // Once the widgets are defined, the fallback line is in the page but not shown.
        assert.equal(await tab.locator('.gym-live-checkins-fallback').count(), 3);
        assert.equal(await tab.locator('.gym-live-checkins-fallback').first().isVisible(), false);
        // The palette's colours reach the widgets' tokens.
        const [surface, tertiary] = await tab.evaluate(() => {
          const feed = /** @type {Element} */ (document.querySelectorAll('gym-checkin-feed')[1]);
          return [getComputedStyle(feed).getPropertyValue('--gym-color-surface').trim(), getComputedStyle(document.body).getPropertyValue('--wp--preset--color--tertiary').trim()];
        });
        assert.ok(tertiary && surface === tertiary, `--gym-color-surface ${surface}, the palette's tertiary ${tertiary}`);
        await tab.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    };
    // The settings' default theme is auto: the widgets follow the visitor's system, as the dark style expects.
    await shoot('twentytwentythree-light', 'light');
    const [theme] = await rest(users.administrator, 'GET', '/wp/v2/themes', undefined, { status: 'active' });
    const stylesId = theme._links['wp:user-global-styles'][0].href.match(/global-styles\/(\d+)/)[1];
    const variations = await rest(users.administrator, 'GET', '/wp/v2/global-styles/themes/twentytwentythree/variations');
    const pitch = variations.find((/** @type {{ title: string }} */ variation) => variation.title === 'Pitch');
    assert.ok(pitch, `no Pitch variation among ${variations.map((/** @type {{ title: string }} */ v) => v.title).join(', ')}`);
    await rest(users.administrator, 'POST', `/wp/v2/global-styles/${stylesId}`, { settings: pitch.settings, styles: pitch.styles });
    try {
      await shoot('twentytwentythree-pitch-dark', 'dark');
    } finally {
      await rest(users.administrator, 'POST', `/wp/v2/global-styles/${stylesId}`, { settings: {}, styles: {} });
    }
  });

  /**
   * Opens `url`, whose page shows a block of status, stats and feed, while `feed` (the feed's chunk) is served
   * changed: the browser must refuse it for its hash, the feed must say it could not load and fire `gym-error`
   * (source `load`), the changed code must never run, and the status and the figures must still go live.
   */
  async function assertChangedChunkRefused(/** @type {string} */ url, /** @type {string} */ feedUrl) {
    const context = await browser.newContext();
    /** @type {string[]} */
    const consoleErrors = [];
    try {
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      await page.addInitScript(() => {
        const errors = /** @type {{ tag: string, source: string, message: string }[]} */ ([]);
        /** @type {any} */ (window).gymErrors = errors;
        document.addEventListener('gym-error', (event) => {
          const { detail, target } = /** @type {CustomEvent} */ (event);
          errors.push({ tag: /** @type {Element} */ (target).localName, source: detail.source, message: detail.message });
        });
      });
      await page.goto(url);
      await expectVisible(page.locator('gym-checkin-feed [data-gym-load-error]').filter({ hasText: CHUNK_FAILED }), 'the feed does not say it could not load', consoleErrors);
      // The other widgets: the status goes Live, the figures fill in and count a new check-in.
      await expectVisible(page.locator('gym-connection-status [part=label]').filter({ hasText: /^Live$/ }), 'the status did not go Live beside the refused feed', consoleErrors);
      await page.locator('gym-checkin-stats [part=skeleton]').first().waitFor({ state: 'detached' });
      const figures = () => page.evaluate(() => [...(document.querySelector('gym-checkin-stats')?.shadowRoot?.querySelectorAll('[part=value]') ?? [])].map((value) => value.textContent?.trim()).join(' | '));
      const before = await figures();
      assert.ok(before, 'the figures show nothing');
      const memberId = `00000000-0000-4000-8000-${String(nextMember++).padStart(12, '0')}`;
      assert.equal((await fetch(`${gym.origin}/control/check-in?${new URLSearchParams({ memberId, location: 'Front desk' })}`, { method: 'POST' })).status, 200);
      await page
        .waitForFunction((old) => [...(document.querySelector('gym-checkin-stats')?.shadowRoot?.querySelectorAll('[part=value]') ?? [])].map((value) => value.textContent?.trim()).join(' | ') !== old, before, { timeout: 20_000 })
        .catch(async () => {
          throw new Error(`the figures did not count the check-in beside the refused feed: still ${await figures()}`);
        });
      const errors = await page.evaluate(() => /** @type {any} */ (window).gymErrors);
      assert.ok(
        errors.some((/** @type {any} */ error) => error.tag === 'gym-checkin-feed' && error.source === 'load' && CHUNK_FAILED.test(error.message)),
        `no gym-error (load) from the feed: ${JSON.stringify(errors)}`,
      );
      assert.deepEqual(errors.filter((/** @type {any} */ error) => error.source === 'load' && error.tag !== 'gym-checkin-feed'), [], 'another widget failed to load');
      assert.equal(await page.evaluate(() => /** @type {any} */ (window).gymChangedChunkRan), undefined, 'the changed chunk ran');
      // Refused for its hash (not a 404 or the network): Chromium names the file and the digest it computed.
      assert.ok(consoleErrors.some((text) => /integrity/i.test(text) && text.includes(feedUrl)), `no integrity error for ${feedUrl}: ${consoleErrors.join(' | ')}`);
    } finally {
      await context.close();
    }
  }

  it("prints the import map with every chunk's hash before the module; a chunk changed on the server is refused by the browser, and only its widget says so", async () => {
    site.disallowUnfilteredHtml(false);
    const { link } = await savePost(users.author, 'A changed chunk', content.block());
    const html = await fetchPage(link);
    assertModuleOnce(html, ownCopy());
    const feed = chunk('checkin-feed');
    const assets = join(site.dir, 'wp-content/plugins/gym-realtime-widgets/assets');
    // A copy changed on the server (an optimising plugin, a bad upload); the module and its hash are untouched.
    const original = readFileSync(join(assets, feed));
    writeFileSync(join(assets, feed), changed(original));
    try {
      await assertChangedChunkRefused(link, `${site.origin}/wp-content/plugins/gym-realtime-widgets/assets/${feed}`);
    } finally {
      writeFileSync(join(assets, feed), original);
    }
    // The same page with the file as built: the feed loads again.
    await assertLive(link);
  });

  it('serves the script from a CDN URL set in the settings, with the same integrity: the module and its chunks from the CDN, each checked', async () => {
    // A CDN on another origin, serving the whole folder the zip holds (the module and its chunks side by side).
    const cdn = await startCdn();
    const tampered = await startCdn({ change: { [chunk('checkin-feed')]: changed } });
    try {
      assert.ok((await saveSettings({ script_src: cdn.url })).some((text) => text.includes('Settings saved.')));
      // The settings page checks, from the administrator's browser, that the CDN serves every file.
      const check = admin.locator('#gym-live-checkins-cdn-check[data-state="success"]');
      await expectVisible(check, 'the settings page did not confirm the CDN serves the module and its chunks');
      assert.match(await check.innerText(), new RegExp(`serves the module and its ${CHUNKS.length} chunks of version ${BUNDLE.version.replace(/\./g, '\\.')}, each matching its hash`));

      const { link } = await savePost(users.author, 'From the CDN', content.block());
      const html = await fetchPage(link);
      assertModuleOnce(html, new RegExp(`^${cdn.url.replace(/[./]/g, '\\$&')}$`));
      assert.ok(!html.includes('/wp-content/plugins/gym-realtime-widgets/assets/'), 'the page still names the plugin\'s own copy');
      cdn.requests.splice(0);
      /** @type {string[]} */
      const scripts = [];
      await assertLive(link, {
        setUp: (page) => page.on('request', (request) => void (request.resourceType() === 'script' && scripts.push(request.url()))),
      });
      // Every widget's code came from beside the module on the CDN, none from the plugin's own copy.
      const ours = scripts.filter((url) => /\/gym-realtime-widgets[.][^/]*js$/.test(url));
      const base = cdn.url.replace(ENTRY, '');
      for (const file of [ENTRY, chunk('base'), chunk('connection-status'), chunk('checkin-stats'), chunk('checkin-feed'), chunk('error-boundary')]) {
        assert.ok(ours.includes(`${base}${file}`), `${file} was not loaded from the CDN: ${ours.join(', ')}`);
        assert.ok(cdn.requests.some((path) => path.endsWith(`/${file}`)), `the CDN did not serve ${file}`);
      }
      assert.deepEqual(ours.filter((url) => !url.startsWith(base)), [], 'widget code loaded from elsewhere than the CDN');
      // Nothing the page does not show: no form, no upgrader.
      assert.deepEqual(ours.filter((url) => /[.](checkin-form|upgrade)[.]/.test(url)), []);

      // The CDN's copy of one chunk changed on the way: the browser refuses it against the import map.
      assert.ok((await saveSettings({ script_src: tampered.url })).some((text) => text.includes('Settings saved.')));
      const refused = admin.locator('#gym-live-checkins-cdn-check[data-state="error"]');
      await expectVisible(refused, 'the settings page did not report the changed chunk');
      assert.match(await refused.innerText(), new RegExp(`${chunk('checkin-feed').replace(/\./g, '\\.')}: not the file of this version`));
      await assertChangedChunkRefused(link, tampered.url.replace(ENTRY, chunk('checkin-feed')));
    } finally {
      await saveSettings({ script_src: '' });
      await cdn.close();
      await tampered.close();
    }
  });

  it('a CDN URL that serves the module without its chunks: the settings page names each missing file, and the widgets say they could not load', async () => {
    // The folder not copied whole: only the module, as before the widgets were split.
    const cdn = await startCdn({ only: [ENTRY] });
    try {
      assert.ok((await saveSettings({ script_src: cdn.url })).some((text) => text.includes('Settings saved.')));
      const check = admin.locator('#gym-live-checkins-cdn-check[data-state="error"]');
      await expectVisible(check, 'the settings page did not report the missing chunks');
      assert.match(await check.innerText(), /The widgets will not load from this script source\. Put the whole dist\/bundle\/ folder of version/);
      const listed = await check.locator('li').allTextContents();
      assert.deepEqual(listed.sort(), CHUNKS.map((file) => `${file}: not found (HTTP 404).`).sort());

      const { link } = await savePost(users.author, 'From a CDN without the chunks', content.block());
      assertModuleOnce(await fetchPage(link), new RegExp(`^${cdn.url.replace(/[./]/g, '\\$&')}$`));
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.addInitScript(() => {
          /** @type {any} */ (window).gymLoadErrors = 0;
          document.addEventListener('gym-error', (event) => {
            if (/** @type {CustomEvent} */ (event).detail.source === 'load') /** @type {any} */ (window).gymLoadErrors++;
          });
        });
        await page.goto(link);
        // Never a blank space: the widgets' place says why, and each failure is a gym-error.
        await expectVisible(page.locator('[data-gym-load-error]').filter({ hasText: CHUNK_FAILED }).first(), 'the widgets do not say they could not load');
        assert.ok((await page.evaluate(() => /** @type {any} */ (window).gymLoadErrors)) > 0, 'no gym-error with source load');
        assert.equal(await page.locator('gym-connection-status [part=label]').count(), 0);
      } finally {
        await context.close();
      }
    } finally {
      await saveSettings({ script_src: '' });
      await cdn.close();
    }
  });

  it('a module that never arrives (404, or a file that fails its integrity check) leaves "could not load" where the widgets go', async () => {
    // Before the script runs (here: never, scripts off), the first widget of a block shows the loading line.
    const { link } = await savePost(users.author, 'Before the script', content.block());
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    try {
      const tab = await noScript.newPage();
      await tab.goto(link);
      await expectVisible(tab.getByText(LOADING), 'the loading line is not shown before the script');
    } finally {
      await noScript.close();
    }
    const module = unzipSync(readFileSync(ZIP))['gym-realtime-widgets/assets/gym-realtime-widgets.js'];
    const server = createServer((request, response) => {
      const headers = { 'Content-Type': 'text/javascript', 'Access-Control-Allow-Origin': '*' };
      // A copy changed on the way (an optimising plugin, a proxy): its hash no longer matches.
      if (request.url === '/changed/gym-realtime-widgets.js') return void response.writeHead(200, headers).end(Buffer.concat([Buffer.from(module), Buffer.from('\n// changed\n')]));
      response.writeHead(404, headers).end('// not here');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
    const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
    try {
      for (const path of ['/missing/gym-realtime-widgets.js', '/changed/gym-realtime-widgets.js']) {
        assert.ok((await saveSettings({ script_src: `http://127.0.0.1:${port}${path}` })).some((text) => text.includes('Settings saved.')));
        const context = await browser.newContext();
        try {
          const tab = await context.newPage();
          await tab.goto(link);
          await expectVisible(tab.getByText(FAILED), `${path}: the widgets' place does not say the script could not load`);
          assert.equal(await tab.getByText(LOADING).count(), 0);
        } finally {
          await context.close();
        }
      }
    } finally {
      await saveSettings({ script_src: '' });
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('without a token URL: the policy is "none", no token goes anywhere, and the block leaves out the check-in form', async () => {
    site.disallowUnfilteredHtml(false);
    assert.ok((await saveSettings({ token_url: '' })).some((text) => text.includes('Settings saved.')));
    try {
      // An Administrator's widget with its own token URL: kept as written, refused by the page.
      const sent = [
        `<!-- wp:${BLOCK} {"widgets":["status","feed","form"]} /-->`,
        '<!-- wp:html -->',
        `<gym-realtime-provider id="own-token" url="${settings.socket_url}" token-url="${evil.tokenUrl}"><gym-connection-status></gym-connection-status></gym-realtime-provider>`,
        '<!-- /wp:html -->',
      ].join('\n');
      const { link } = await savePost(users.administrator, 'A public page', sent);
      const html = await fetchPage(link);
      assert.deepEqual((await parseServed(html)).policies, ['none']);
      assert.ok(!html.includes('<gym-checkin-form'), 'the form is shown without a token URL');
      // The block editor does not offer the form either.
      const editorPage = await (await admin.request.get(`${site.origin}/wp-admin/post-new.php`)).text();
      assert.match(editorPage, /window\.gymLiveCheckinsEditor = \{"canChangeConnection":true,"hasTokenUrl":false\};/);
      await assertNothingReachesEvil(link, {
        live: false,
        act: async (page) => {
          // The block connects without a token (the gym server answers Sign-in required; the gateway would stream).
          await expectVisible(page.locator('#own-token [part=error]').filter({ hasText: /gym-realtime-policy/ }), 'the widget with its own token URL was not refused');
        },
      });
    } finally {
      await saveSettings(settings);
    }
  });

  it('deleting the plugin removes its settings (uninstall.php)', async () => {
    const plugin = '/wp/v2/plugins/gym-realtime-widgets/gym-realtime-widgets';
    const admin = users.administrator;
    assert.equal(await site.query("SELECT COUNT(*) FROM wp_options WHERE option_name = 'gym_live_checkins_settings'"), '1\n');
    await rest(admin, 'POST', plugin, { status: 'inactive' });
    await rest(admin, 'DELETE', plugin);
    assert.equal(await site.query("SELECT COUNT(*) FROM wp_options WHERE option_name LIKE '%gym\\_live\\_checkins%'"), '0\n');
  });

  it('logs no PHP notice, warning or deprecation from the plugin under WP_DEBUG', () => {
    let log = '';
    try {
      log = readFileSync(site.debugLog, 'utf8');
    } catch {
      // no log: nothing was logged at all
    }
    // WordPress 6.1 itself logs PHP 8.2 deprecations and failed wordpress.org requests here;
    // anything from the plugin's files or functions, and any notice (_doing_it_wrong) or fatal error, is ours to fix.
    const ours = log.split('\n').filter((line) => /\/plugins\/gym-realtime-widgets\/|gym_live_checkins|PHP (Notice|Fatal error|Parse error)/.test(line));
    assert.deepEqual(ours, []);
  });
});
