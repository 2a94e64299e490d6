// A throwaway WordPress for the plugin's end-to-end tests, from Debian's
// packages (`wordpress`, `mariadb-server`, `php-cli`, `php-mysql`): a private
// MariaDB in a temporary data directory on a socket of its own, a copy of
// /usr/share/wordpress with its own wp-config.php, served by `php -S` on a free
// loopback port. Nothing of the machine's own web server, MariaDB or
// /etc/wordpress is read or touched, and `stop()` ends every process started
// here and removes the directory.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const WORDPRESS = '/usr/share/wordpress';
const INSTALL_HINT = 'apt-get install -y wordpress wordpress-theme-twentytwentythree mariadb-server php-cli php-mysql';

/** The first of `names` that is an executable here (PATH, then sbin dirs), or undefined. */
function which(/** @type {string[]} */ names) {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const name of names) {
    for (const dir of dirs) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The programs this needs, or an error naming what to install. */
export function findTools() {
  const tools = {
    php: which(['php']),
    mariadbd: which(['mariadbd', 'mysqld']),
    installDb: which(['mariadb-install-db', 'mysql_install_db']),
    client: which(['mariadb', 'mysql']),
  };
  const missing = Object.entries(tools).filter(([, path]) => !path).map(([name]) => name);
  if (!existsSync(join(WORDPRESS, 'wp-settings.php'))) missing.push(WORDPRESS);
  if (!existsSync(join(WORDPRESS, 'wp-content/themes/twentytwentythree'))) missing.push('the Twenty Twenty-Three theme');
  if (missing.length) throw new Error(`WordPress tests need ${missing.join(', ')}: ${INSTALL_HINT}`);
  return /** @type {{ php: string, mariadbd: string, installDb: string, client: string }} */ (tools);
}

/** A port that was free a moment ago (php -S cannot pick one itself). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `command` in a process group of its own and resolves once a line of
 * its output matches `ready`; rejects when it exits first or `ms` pass.
 * @param {string} command @param {string[]} args @param {RegExp} ready @param {number} ms
 * @param {NodeJS.ProcessEnv} [env]
 */
function startProcess(command, args, ready, ms, env) {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  /** @type {string[]} */
  const log = [];
  const record = (/** @type {Buffer} */ chunk) => {
    log.push(...String(chunk).split('\n').filter(Boolean));
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stdout.on('data', record);
  child.stderr.on('data', record);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start within ${ms} ms:\n${log.slice(-15).join('\n')}`)), ms);
    const check = () => {
      if (log.some((line) => ready.test(line))) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.stderr.off('data', check);
        resolve(undefined);
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before it was ready:\n${log.slice(-15).join('\n')}`));
    });
  });
  return {
    child,
    log,
    started,
    /** Ends the whole group (php -S forks workers), then waits for the exit. */
    async stop(signal = /** @type {NodeJS.Signals} */ ('SIGTERM')) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-(/** @type {number} */ (child.pid)), signal);
      } catch {
        // already gone
      }
      await exited;
    },
  };
}

const phpString = (/** @type {string} */ value) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * @typedef {object} WordPressSite
 * @property {string} origin e.g. http://127.0.0.1:34567
 * @property {string} dir the copy of WordPress (ABSPATH)
 * @property {string} debugLog WP_DEBUG_LOG's file
 * @property {(sql: string) => Promise<string>} query runs SQL in the site's database; tab-separated rows, no header
 * @property {(on: boolean) => void} disallowUnfilteredHtml sets DISALLOW_UNFILTERED_HTML for the next requests
 * @property {() => string} serverLog the last lines php -S printed
 * @property {() => Promise<void>} stop
 */

/**
 * Sets up WordPress and its database, installed with an administrator.
 * @param {{ adminUser: string, adminPassword: string, adminEmail: string }} admin
 * @returns {Promise<WordPressSite>}
 */
export async function startWordPress({ adminUser, adminPassword, adminEmail }) {
  const tools = findTools();
  const work = mkdtempSync(join(tmpdir(), 'gym-wp-'));
  const dataDir = join(work, 'mysql');
  const socket = join(work, 'mysqld.sock');
  const dir = join(work, 'wordpress');
  const debugLog = join(work, 'debug.log');
  const disallowFlag = join(work, 'disallow-unfiltered-html');
  // mariadbd refuses to run as root unless told to; as anyone else it runs as that user.
  const user = userInfo().username;
  /** @type {ReturnType<typeof startProcess>[]} */
  const processes = [];
  const stopAll = async () => {
    for (const started of processes.reverse()) await started.stop();
    rmSync(work, { recursive: true, force: true });
  };
  // A crash or an interrupted run must not leave a database or web server behind: they run in
  // process groups of their own, which the terminal's Ctrl-C does not reach.
  const onExit = () => {
    for (const { child } of processes) {
      try {
        if (child.exitCode === null) process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  const onSignal = (/** @type {NodeJS.Signals} */ signal) => {
    onExit();
    rmSync(work, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const listen = () => {
    process.once('exit', onExit);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  };
  const unlisten = () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  listen();

  try {
    await run(tools.installDb, ['--no-defaults', `--datadir=${dataDir}`, `--user=${user}`, '--auth-root-authentication-method=normal', '--skip-test-db'], {
      maxBuffer: 1 << 24,
    });
    const db = startProcess(
      tools.mariadbd,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${socket}`,
        `--pid-file=${join(work, 'mysqld.pid')}`,
        '--skip-networking',
        `--user=${user}`,
        '--skip-log-bin',
        '--innodb-buffer-pool-size=32M',
        // A test database: durability traded for speed.
        '--innodb-flush-log-at-trx-commit=0',
        '--innodb-doublewrite=0',
      ],
      /ready for connections/,
      60_000,
    );
    processes.push(db);
    await db.started;

    const query = async (/** @type {string} */ sql, database = 'wordpress') =>
      (await run(tools.client, ['--no-defaults', `--socket=${socket}`, '-uroot', '-N', '-B', ...(database ? [database] : []), '-e', sql])).stdout;
    await query('CREATE DATABASE wordpress CHARACTER SET utf8mb4', '');

    // A copy, not symlinks: PHP resolves symlinks in __FILE__, and WordPress would find Debian's
    // wp-config.php (which reads /etc/wordpress) next to the real files. Dereferenced: Debian links
    // some scripts (underscore, cropper, getID3) relatively, which would point nowhere from the copy.
    cpSync(WORDPRESS, dir, { recursive: true, dereference: true });
    const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'];
    writeFileSync(
      join(dir, 'wp-config.php'),
      `<?php
// Written by test/wordpress/wordpress-site.js for one test run.
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', ${phpString(`localhost:${socket}`)} );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
${salts.map((name) => `define( '${name}', '${randomBytes(32).toString('hex')}' );`).join('\n')}
$table_prefix = 'wp_';
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', ${phpString(debugLog)} );
define( 'WP_DEBUG_DISPLAY', false );
// Application passwords without HTTPS.
define( 'WP_ENVIRONMENT_TYPE', 'local' );
// Read on every request, so a test can switch it between requests.
define( 'DISALLOW_UNFILTERED_HTML', file_exists( ${phpString(disallowFlag)} ) );
// Plugin upload writes its files directly.
define( 'FS_METHOD', 'direct' );
// A closed network: no update checks, no cron requests back to this server.
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'DISABLE_WP_CRON', true );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`,
    );
    const router = join(work, 'router.php');
    writeFileSync(
      router,
      `<?php
// php -S router: existing files (and directories with an index.php) as they are, anything else to WordPress.
$path = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
if ( '/' !== $path && file_exists( $_SERVER['DOCUMENT_ROOT'] . $path ) ) {
	return false;
}
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
`,
    );

    // Another process may take the port between freePort() and php binding it: try again then.
    let web;
    let origin = '';
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      origin = `http://127.0.0.1:${port}`;
      web = startProcess(
        tools.php,
        ['-d', 'display_errors=stderr', '-d', 'memory_limit=256M', '-S', `127.0.0.1:${port}`, '-t', dir, router],
        /Development Server \(http:\/\/127\.0\.0\.1:\d+\) started/,
        20_000,
        // Workers serve the browser's parallel requests (one PHP process would queue them).
        { PHP_CLI_SERVER_WORKERS: '4' },
      );
      processes.push(web);
      try {
        await web.started;
        break;
      } catch (error) {
        if (attempt === 3 || !web.log.some((line) => /Address already in use/.test(line))) throw error;
      }
    }

    // The installer, as a person would run it: step 2 of wp-admin/install.php.
    const response = await fetch(`${origin}/wp-admin/install.php?step=2`, {
      method: 'POST',
      body: new URLSearchParams({
        weblog_title: 'Gym test site',
        user_name: adminUser,
        admin_password: adminPassword,
        admin_password2: adminPassword,
        pw_weak: '1',
        admin_email: adminEmail,
        blog_public: '0',
      }),
    });
    const page = await response.text();
    if (!response.ok || !page.includes('WordPress has been installed')) {
      throw new Error(`WordPress did not install (HTTP ${response.status}): ${page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 500)}`);
    }
    // A closed network: no avatars from gravatar.com.
    await query("UPDATE wp_options SET option_value = '0' WHERE option_name = 'show_avatars'");
    const webLog = /** @type {ReturnType<typeof startProcess>} */ (web).log;

    return {
      origin,
      dir,
      debugLog,
      query,
      disallowUnfilteredHtml(on) {
        if (on) writeFileSync(disallowFlag, '');
        else rmSync(disallowFlag, { force: true });
      },
      serverLog: () => webLog.slice(-30).join('\n'),
      async stop() {
        unlisten();
        await stopAll();
      },
    };
  } catch (error) {
    unlisten();
    await stopAll();
    throw error;
  }
}
