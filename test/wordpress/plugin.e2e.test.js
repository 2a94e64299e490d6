// The WordPress plugin in a real WordPress 6.1 (Debian's package): the built zip
// uploaded and activated as an administrator would, its settings page, posts
// saved through the REST API by an Author, an Editor and an Administrator with
// DISALLOW_UNFILTERED_HTML off and on, each page opened in Chromium against the
// local gym server, the block editor's preview, a CDN script source, WP_DEBUG,
// and uninstalling.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { startGymServer } from '../../demo/server/gym-server.js';
import { PLUGIN_DIR, ZIP } from '../../scripts/build-wordpress.mjs';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { startWordPress } from './wordpress-site.js';

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
const BUNDLE = JSON.parse(readFileSync(join(PLUGIN_DIR, 'assets/integrity.json'), 'utf8'));
const INTEGRITY = BUNDLE.files['gym-realtime-widgets.js'].integrity;

describe('the WordPress plugin in WordPress 6.1, end to end', { timeout: 600_000 }, () => {
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
    gym = await startGymServer({ port: 0 });
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

  /** Checks that `html` loads the module exactly once, from `src`, with its integrity and crossorigin. */
  function assertModuleOnce(/** @type {string} */ html, /** @type {RegExp} */ src) {
    const tags = scriptTags(html);
    assert.equal(tags.length, 1, `the widgets' script is on the page ${tags.length} times`);
    const tag = tags[0];
    assert.match(tag, /\btype="module"/);
    assert.match(tag, new RegExp(`\\bintegrity="${INTEGRITY.replace(/[+/]/g, '\\$&')}"`));
    assert.match(tag, /\bcrossorigin="anonymous"/);
    assert.match(/\bsrc="([^"]*)"/.exec(tag)?.[1] ?? '', src);
  }

  const ownCopy = () => new RegExp(`^${site.origin}/wp-content/plugins/gym-realtime-widgets/assets/gym-realtime-widgets\\.js\\?ver=[0-9a-f]+$`);

  /**
   * Opens `url` in Chromium as a visitor: it must go Live, a check-in made at the gym
   * server must appear in its feed, and the page must log no error or warning.
   * @param {string} url
   * @param {{ live?: RegExp, inspect?: (page: import('playwright-core').Page) => Promise<void>, screenshot?: string }} [options]
   */
  async function assertLive(url, { live = /^Live$/, inspect, screenshot } = {}) {
    const context = await browser.newContext();
    const page = await context.newPage();
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

  it('creates an Author, an Editor and an Administrator, each with an application password', async () => {
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

    // An invalid socket URL is refused with a message, and nothing is stored.
    const refused = await saveSettings({ socket_url: 'javascript:alert(1)', history_url: 'ftp://gym.test/recent' });
    assert.ok(refused.some((text) => text.includes('Socket URL was not saved')), `notices: ${refused.join(' | ')}`);
    assert.ok(refused.some((text) => text.includes('History URL was not saved')), `notices: ${refused.join(' | ')}`);
    assert.equal(await admin.locator('#gym-live-checkins-socket_url').inputValue(), '');

    const saved = await saveSettings({ ...settings, theme: 'auto', script_src: '' });
    assert.ok(saved.some((text) => text.includes('Settings saved.')), `notices: ${saved.join(' | ')}`);
    for (const [key, value] of Object.entries(settings)) assert.equal(await admin.locator(`#gym-live-checkins-${key}`).inputValue(), value);
    assert.equal(await admin.locator('#gym-live-checkins-theme').inputValue(), 'auto');
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
            html.includes(`<gym-realtime-provider url="${settings.socket_url}" token-url="${settings.token_url}" history-url="${settings.history_url}" theme="dark"><gym-error-boundary><gym-connection-status></gym-connection-status><gym-checkin-stats></gym-checkin-stats><gym-checkin-feed limit="3"></gym-checkin-feed></gym-error-boundary></gym-realtime-provider>`),
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
          assert.match(html, /<gym-realtime-provider [^>]*theme="auto"><gym-error-boundary><gym-connection-status><\/gym-connection-status><gym-checkin-stats><\/gym-checkin-stats><gym-checkin-feed limit="4"><\/gym-checkin-feed>/);
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
    const evil = { socket: 'wss://evil.test/ws/checkins/', history: 'https://evil.test/api/checkins/recent/' };
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
    const byAuthor = await savePost(users.author, 'Elsewhere, by an Author', post(evil));
    assert.equal(byAuthor.stored, post({}));
    const html = await fetchPage(byAuthor.link);
    assert.ok(!html.includes('evil.test'), 'the Author\'s page still sends tokens elsewhere');
    // Users who may post any HTML (and so any script) may connect elsewhere.
    assert.equal((await savePost(users.administrator, 'Elsewhere, by an Administrator', post(evil))).stored, post(evil));
  });

  it('loads the script only on pages that show a widget, and once however many they show', async () => {
    site.disallowUnfilteredHtml(false);
    const plain = await savePost(users.author, 'No widgets here', '<!-- wp:paragraph -->\n<p>Opening hours: 6 to 22.</p>\n<!-- /wp:paragraph -->');
    assert.deepEqual(scriptTags(await fetchPage(plain.link)), []);
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
      await editor.getByRole('checkbox', { name: 'Check-in form (staff)' }).check();
      await editor.getByRole('spinbutton', { name: 'Feed length' }).fill('7');
      await editor.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
      // The server renders the preview anew with the new attributes, and it goes live again.
      await expectVisible(block.locator('gym-realtime-provider[theme="dark"] gym-checkin-feed[limit="7"] ~ gym-checkin-form'), 'the preview did not show the form, feed length 7 and the dark theme', problems);
      await expectVisible(live, 'the updated preview did not go Live', problems, 30_000);
      await editor.screenshot({ path: fileURLToPath(new URL('wordpress-block-editor.png', ARTIFACTS)) });

      await editor.getByRole('button', { name: 'Update', exact: true }).click();
      await expectVisible(editor.getByText('Post updated.').first(), 'the post was not saved', problems);
    } finally {
      await context.close();
    }
    const { content: saved } = await rest(users.editor, 'GET', `/wp/v2/posts/${id}`, undefined, { context: 'edit' });
    assert.equal(saved.raw, `<!-- wp:${BLOCK} {"widgets":["status","stats","feed","form"],"limit":7,"theme":"dark"} /-->`);
    assert.deepEqual(problems, [], 'the editor logged errors');
  });

  it('serves the script from a CDN URL set in the settings, with the same integrity', async () => {
    // A CDN on another origin, serving the module the zip holds, with CORS as public CDNs do.
    const module = unzipSync(readFileSync(ZIP))['gym-realtime-widgets/assets/gym-realtime-widgets.js'];
    const server = createServer((request, response) => {
      if (request.url !== `/npm/gym-realtime-widgets@${BUNDLE.version}/dist/bundle/gym-realtime-widgets.js`) return void response.writeHead(404).end();
      response.writeHead(200, { 'Content-Type': 'text/javascript', 'Access-Control-Allow-Origin': '*' }).end(module);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
    const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
    const cdn = `http://127.0.0.1:${port}/npm/gym-realtime-widgets@${BUNDLE.version}/dist/bundle/gym-realtime-widgets.js`;
    try {
      assert.ok((await saveSettings({ script_src: cdn })).some((text) => text.includes('Settings saved.')));
      const { link } = await savePost(users.author, 'From the CDN', content.block());
      assertModuleOnce(await fetchPage(link), new RegExp(`^${cdn.replace(/[./]/g, '\\$&')}$`));
      await assertLive(link);
    } finally {
      await saveSettings({ script_src: '' });
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('deleting the plugin removes its settings (uninstall.php)', async () => {
    const plugin = '/wp/v2/plugins/gym-realtime-widgets/gym-realtime-widgets';
    const admin = users.administrator;
    assert.equal(await site.query("SELECT COUNT(*) FROM wp_options WHERE option_name = 'gym_live_checkins_settings'"), '1\n');
    await rest(admin, 'POST', plugin, { status: 'inactive' });
    await rest(admin, 'DELETE', plugin);
    assert.equal(await site.query("SELECT COUNT(*) FROM wp_options WHERE option_name LIKE 'gym\\_live\\_checkins%'"), '0\n');
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
