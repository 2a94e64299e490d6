// The command line as an operator meets it: flags and GYM_GATEWAY_* variables, --help, a bad flag
// (one line, exit 2), SIGTERM on a running process (clients get 1001, exit 0), one-line JSON logs
// that never hold a password or a token, and the ways of signing in upstream.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { gatewayCli } from '../../bench/lib/gateway.mjs';
import { connect, gateway, startGym, until } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'gym-gateway-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The environment without any GYM_GATEWAY_* of the machine's, plus `extra`. */
const environment = (/** @type {Record<string, string>} */ extra = {}) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GYM_GATEWAY_'))),
  ...extra,
});

/**
 * Runs the command line in a process of its own.
 * @param {string[]} args
 */
function run(args, env = environment()) {
  const child = spawn(process.execPath, [gatewayCli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return {
    child,
    exit,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    /** The JSON log lines so far. */
    get lines() {
      return stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    },
  };
}

describe('parseCommandLine', () => {
  const parse = (/** @type {string[]} */ args, /** @type {Record<string, string>} */ env = {}) => gateway.parseCommandLine(args, env);
  const message = (/** @type {string[]} */ args, /** @type {Record<string, string>} */ env = {}) => {
    try {
      parse(args, env);
      return 'no error';
    } catch (error) {
      assert.ok(error instanceof gateway.OptionError, String(error));
      return error.message;
    }
  };
  const UPSTREAM = ['--upstream', 'wss://gym.example/ws/checkins/', '--token-file', '/run/secrets/token'];

  it('reads the example of the issue', () => {
    const result = parse(['--upstream', 'wss://gym.example/ws/checkins/', '--username', 'kiosk', '--password-file', '/run/secrets/gym', '--port', '8090', '--names', 'initials', '--allow-origin', 'https://www.gym.example']);
    assert.equal(result.action, 'run');
    const { options, files } = /** @type {any} */ (result);
    assert.deepEqual(files, ['/run/secrets/gym']);
    assert.equal(options.credentials.username, 'kiosk');
    assert.equal(typeof options.credentials.password, 'function', 'the password is read from its file when needed');
    assert.deepEqual({ port: options.port, names: options.names, allowOrigins: options.allowOrigins }, { port: 8090, names: 'initials', allowOrigins: ['https://www.gym.example'] });
    const config = gateway.resolveConfig(options);
    assert.equal(config.history, 'https://gym.example/api/checkins/recent/', 'derived from the upstream');
    assert.equal(config.authUrl, 'https://gym.example/api/auth/token/');
    assert.equal(config.upstreamOrigin, 'https://gym.example');
  });

  it('takes GYM_GATEWAY_* variables, and a flag wins over its variable', () => {
    const env = { GYM_GATEWAY_UPSTREAM: 'ws://gym.local/ws/checkins/', GYM_GATEWAY_TOKEN_COMMAND: 'cat /run/token', GYM_GATEWAY_PORT: '9000', GYM_GATEWAY_NAMES: 'none', GYM_GATEWAY_ALLOW_ORIGIN: 'https://a.example, https://b.example', GYM_GATEWAY_TRUST_PROXY: 'true', GYM_GATEWAY_MAX_CLIENTS: '50' };
    const { options } = /** @type {any} */ (parse(['--port', '9100'], env));
    assert.equal(options.upstream, 'ws://gym.local/ws/checkins/');
    assert.deepEqual(options.credentials, { tokenCommand: 'cat /run/token' });
    assert.equal(options.port, 9100);
    assert.equal(options.names, 'none');
    assert.deepEqual(options.allowOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(options.trustProxy, true);
    assert.equal(options.limits.maxClients, 50);
    const { options: repeated } = /** @type {any} */ (parse(['--allow-origin', 'https://c.example', '--allow-origin', 'https://d.example'], env));
    assert.deepEqual(repeated.allowOrigins, ['https://c.example', 'https://d.example'], 'flags replace the variable');
    const { options: withPassword } = /** @type {any} */ (parse(['--username', 'kiosk'], { GYM_GATEWAY_UPSTREAM: 'ws://gym.local/ws/checkins/', GYM_GATEWAY_PASSWORD: 'pw' }));
    assert.deepEqual(withPassword.credentials, { username: 'kiosk', password: 'pw' });
  });

  it('reads --fields as a list, or none', () => {
    assert.deepEqual(/** @type {any} */ (parse([...UPSTREAM, '--fields', 'location,notes'])).options.fields, ['location', 'notes']);
    assert.deepEqual(/** @type {any} */ (parse([...UPSTREAM, '--fields', 'none'])).options.fields, []);
  });

  it('says what is wrong in one line', () => {
    assert.equal(message(['--bogus']), 'unknown option --bogus');
    assert.equal(message(['extra']), 'unexpected argument "extra"');
    assert.equal(message(['--port']), '--port needs a value');
    assert.equal(message(['--trust-proxy=yes', ...UPSTREAM]), '--trust-proxy takes no value');
    assert.match(message([]), /^--upstream is required/);
    assert.equal(message(['--upstream', 'wss://gym.example/ws/checkins/']), 'the gateway needs a way to sign in upstream: --username with --password-file (or GYM_GATEWAY_PASSWORD), --token-file or --token-command');
    assert.equal(message([...UPSTREAM, '--token-command', 'x']), 'give one way to sign in upstream: --username with --password-file, --token-file or --token-command');
    assert.equal(message(['--upstream', 'wss://gym.example/ws/checkins/', '--username', 'kiosk']), '--username needs --password-file (or GYM_GATEWAY_PASSWORD)');
    assert.equal(message(['--upstream', 'ftp://gym.example/', '--token-file', 'f']), '--upstream must use ws: or wss: or http: or https:, not ftp:');
    assert.equal(message([...UPSTREAM, '--names', 'nicknames']), '--names must be one of full, first, initials, none, not "nicknames"');
    assert.equal(message([...UPSTREAM, '--fields', 'phone']), '--fields takes location, notes, email, membership_type, member_id (comma-separated) or none, not "phone"');
    assert.equal(message([...UPSTREAM, '--port', '80a']), '--port must be a whole number, not "80a"');
    assert.equal(message([...UPSTREAM, '--port', '70000']), '--port must be at most 65535, not 70000');
    assert.equal(message([...UPSTREAM, '--max-clients', '0']), '--max-clients must be a whole number ≥ 1, not 0');
    assert.equal(message(UPSTREAM, { GYM_GATEWAY_MAX_CLIENTS: 'lots' }), 'GYM_GATEWAY_MAX_CLIENTS must be a whole number, not "lots"');
    assert.equal(message([...UPSTREAM, '--allow-origin', 'https://www.gym.example/']), '--allow-origin must be an origin such as https://www.gym.example (no path, no trailing slash), not "https://www.gym.example/"');
    for (const text of ['--bogus', '--names', '--port']) assert.doesNotMatch(message([text]), /\n/);
  });
});

describe('the command line, run', { timeout: 30_000 }, () => {
  it('--help prints the usage and exits 0; --version the version', async () => {
    const help = run(['--help']);
    assert.equal(await help.exit, 0);
    assert.match(help.stdout, /^Usage: gym-realtime-gateway --upstream URL \[options\]/);
    for (const flag of ['--upstream', '--history', '--username', '--password-file', '--token-file', '--token-command', '--host', '--port', '--names', '--fields', '--allow-origin', '--max-clients', '--max-clients-per-ip', '--max-frame-bytes', '--max-frame-rate', '--max-buffered-bytes']) {
      assert.match(help.stdout, new RegExp(`^\\s+${flag}\\b`, 'm'), flag);
    }
    assert.equal(help.stderr, '');
    const version = run(['-V']);
    assert.equal(await version.exit, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('a bad flag or setting: one line on stderr, nothing on stdout, exit 2', async () => {
    for (const [args, env, line] of /** @type {[string[], Record<string, string>, string][]} */ ([
      [['--bogus'], {}, 'gym-realtime-gateway: unknown option --bogus (see --help)'],
      [['--upstream', 'wss://gym.example/ws/checkins/', '--token-file', join(work, 'missing')], {}, `gym-realtime-gateway: cannot read ${join(work, 'missing')} (see --help)`],
      [[], { GYM_GATEWAY_UPSTREAM: 'wss://gym.example/ws/checkins/', GYM_GATEWAY_TOKEN_FILE: '/x', GYM_GATEWAY_NAMES: 'all' }, 'gym-realtime-gateway: --names must be one of full, first, initials, none, not "all" (see --help)'],
    ])) {
      const result = run(args, environment(env));
      assert.equal(await result.exit, 2, line);
      assert.equal(result.stderr, `${line}\n`);
      assert.equal(result.stdout, '');
    }
  });

  it('runs until SIGTERM: browsers get 1001, the process exits 0; logs are JSON lines without secrets', async (t) => {
    const gym = await startGym({ accessLifetimeSeconds: 60 });
    t.after(() => gym.close());
    const passwordFile = join(work, 'password');
    writeFileSync(passwordFile, 'frontdesk\n');
    const cli = run(['--upstream', gym.socketUrl, '--username', 'frontdesk', '--password-file', passwordFile, '--port', '0', '--log-level', 'debug']);
    t.after(() => cli.child.kill('SIGKILL'));
    await until(() => cli.lines.some((line) => line.event === 'gateway.live'), 'the gateway to be live');
    const { url } = cli.lines.find((line) => line.event === 'gateway.listening');
    const client = /** @type {any} */ (await connect(url));
    await client.next((/** @type {any} */ frame) => frame.type === 'initial_stats', 'the figures');

    cli.child.kill('SIGTERM');
    assert.deepEqual(await client.closing(), { code: 1001, reason: 'Gateway shutting down' });
    assert.equal(await cli.exit, 0);
    assert.equal(cli.stderr, '');
    const events = cli.lines.map((line) => line.event);
    const order = ['gateway.signal', 'gateway.stopping', 'gateway.stopped'].map((event) => events.indexOf(event));
    assert.deepEqual([...order].sort((a, b) => a - b), order);
    assert.ok(order[0] >= 0, 'the signal is logged');
    for (const line of cli.lines) assert.ok(line.time && line.level && line.event, JSON.stringify(line));
    // Signed in with a password and got tokens: neither appears anywhere in the logs.
    assert.doesNotMatch(cli.stdout, /frontdesk/);
    assert.doesNotMatch(cli.stdout, /eyJ/);
    await until(async () => /** @type {{ connections: number }} */ (await (await fetch(`${gym.origin}/control/state`)).json()).connections === 0, 'the upstream socket to close');
  });
});

describe('signing in upstream', { timeout: 20_000 }, () => {
  const silent = gateway.createLogger('silent', () => {});

  it('a service account signs in once, then refreshes; signs in again once the refresh token is refused', async (t) => {
    const gym = await startGym();
    t.after(() => gym.close());
    /** @type {string[]} */
    const calls = [];
    /** @type {typeof fetch} */
    const spy = (input, init) => {
      calls.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    const next = /** @type {() => Promise<string>} */ (gateway.tokenGetter({ username: 'frontdesk', password: async () => 'frontdesk' }, `${gym.origin}/api/auth/token/`, silent, spy));
    const first = await next();
    const second = await next();
    assert.deepEqual(calls, ['/api/auth/token/', '/api/auth/token/refresh/']);
    assert.notEqual(first, second);
    assert.equal(decodeJwt(second).token_type, 'access');
    assert.ok(await gym.tokens.verify(second), 'the refreshed token is good');
    gym.tokens.expireAll();
    const third = await next();
    assert.deepEqual(calls, ['/api/auth/token/', '/api/auth/token/refresh/', '/api/auth/token/refresh/', '/api/auth/token/']);
    assert.ok(await gym.tokens.verify(third));
  });

  it('a wrong password is a 401 the client takes as "signed out"', async (t) => {
    const gym = await startGym();
    t.after(() => gym.close());
    const next = /** @type {() => Promise<string>} */ (gateway.tokenGetter({ username: 'frontdesk', password: 'wrong' }, `${gym.origin}/api/auth/token/`, silent));
    await assert.rejects(next(), (/** @type {any} */ error) => error.status === 401);
  });

  it('a token file is read each time (so it can be rotated); a token command is run each time', async () => {
    const file = join(work, 'token');
    writeFileSync(file, 'first-token\n');
    const fromFile = /** @type {() => Promise<string>} */ (gateway.tokenGetter({ tokenFile: file }, 'http://unused/', silent));
    assert.equal(await fromFile(), 'first-token');
    writeFileSync(file, 'second-token\n');
    assert.equal(await fromFile(), 'second-token');
    const fromCommand = /** @type {() => Promise<string>} */ (gateway.tokenGetter({ tokenCommand: `cat ${file}` }, 'http://unused/', silent));
    assert.equal(await fromCommand(), 'second-token');
    // A failing command says how it ended, never what it printed (which may be a token).
    const failing = /** @type {() => Promise<string>} */ (gateway.tokenGetter({ tokenCommand: 'echo secret-output; exit 3' }, 'http://unused/', silent));
    await assert.rejects(failing(), { message: 'the token command failed (exit 3)' });
  });

  it('log lines mask JWTs, labelled secrets and every secret the gateway handled, wherever they hide', () => {
    /** @type {string[]} */
    const lines = [];
    const log = gateway.createLogger('info', (line) => lines.push(line));
    log.secret('hunter2-password');
    log.info('test', {
      url: 'wss://gym.example/ws/checkins/?token=abc.def&x=1',
      header: 'Bearer opaque-token-value',
      body: '{"password":"p4ss","refresh":"r3fresh"}',
      jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      error: new Error('sign-in with hunter2-password failed'),
    });
    log.debug('hidden', { x: 1 });
    assert.equal(lines.length, 1);
    const line = JSON.parse(/** @type {string} */ (lines[0]));
    assert.deepEqual(
      { url: line.url, header: line.header, body: line.body, jwt: line.jwt, error: line.error },
      {
        url: 'wss://gym.example/ws/checkins/?token=[redacted]&x=1',
        header: 'Bearer [redacted]',
        body: '{"password":"[redacted]","refresh":"[redacted]"}',
        jwt: '[redacted]',
        error: 'sign-in with [redacted] failed',
      },
    );
  });
});
