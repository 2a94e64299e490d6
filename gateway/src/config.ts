import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_TIMINGS as DEFAULT_TIMINGS_OF_CLIENT, type ClientTimings } from '../../src/core/options.js';
import { FIELDS, NAMES_MODES, type Field, type NamesMode } from './redaction.js';
import type { GatewayLogLevel } from './log.js';

/** Where the gateway's own AV-Gym token comes from. Secrets are read when needed, never logged. */
export type CredentialsOptions =
  /** A service account: `POST /api/auth/token/` with these, then refreshed as tokens run out. */
  | { username: string; password: string | (() => Promise<string>) }
  /** A file holding an access token, read again each time one is needed (so it can be rotated). */
  | { tokenFile: string }
  /** A shell command that prints an access token, run each time one is needed. */
  | { tokenCommand: string }
  /** A fixed token (tests; a deployment should prefer the others). */
  | { token: string };

/** Per-connection, per-address and per-instance limits (see `--help` for what each means). */
export interface Limits {
  maxClients: number;
  maxClientsPerIp: number;
  maxFrameBytes: number;
  /** Sustained client frames per second; `maxFrameBurst` more may come at once. */
  maxFrameRate: number;
  maxFrameBurst: number;
  /** What all the connections of one address may send together: frames and bytes per second, and at once. */
  maxAddressFrameRate: number;
  maxAddressFrameBurst: number;
  maxAddressByteRate: number;
  maxAddressByteBurst: number;
  /** Items a `batch` frame may hold: the widgets' own client sends at most 50 (its `maxBatchSize`). */
  maxBatchItems: number;
  /** A client whose unsent backlog would exceed this is dropped at once: the memory one client may hold. */
  maxBufferedBytes: number;
  /** A client whose backlog stays above `slowClientBytes` for longer than `slowClientMs` is dropped. */
  slowClientBytes: number;
  slowClientMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxClients: 10_000,
  maxClientsPerIp: 100,
  maxFrameBytes: 4096,
  maxFrameRate: 1,
  maxFrameBurst: 10,
  // A gym's Wi-Fi puts 100 visitors behind one address: each heartbeats every 15 s.
  maxAddressFrameRate: 50,
  maxAddressFrameBurst: 200,
  maxAddressByteRate: 64 * 1024,
  maxAddressByteBurst: 256 * 1024,
  maxBatchItems: DEFAULT_TIMINGS_OF_CLIENT.maxBatchSize,
  maxBufferedBytes: 1024 * 1024,
  slowClientBytes: 64 * 1024,
  slowClientMs: 5000,
};

/** `maxClientsPerIp` → `--max-clients-per-ip`: every limit is a flag of the same name. */
export const limitFlag = (key: keyof Limits): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const LIMIT_KEYS = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[];

/** Timings that are no flags (tests shorten them). All in ms. */
export interface GatewayTimings {
  /** Clients are pinged this often; one that answered nothing since the last ping is dropped. */
  pingInterval: number;
  /** How long live frames wait for the upstream history after a reconnect before they go out anyway. */
  backfillTimeout: number;
  /** After SIGTERM, clients still connected after this long are cut off. */
  shutdownGrace: number;
}

export const DEFAULT_TIMINGS: GatewayTimings = { pingInterval: 30_000, backfillTimeout: 10_000, shutdownGrace: 5000 };

export interface GatewayOptions {
  /** The AV-Gym socket, `wss://gym.example/ws/checkins/`. */
  upstream: string;
  /** The AV-Gym REST history; default `/api/checkins/recent/` on the upstream's origin. */
  history?: string | undefined;
  /** AV-Gym's list of visits by day (`?date=YYYY-MM-DD`), for backfilling an outage; default `/api/checkins/checkins/` on the upstream's origin. */
  visits?: string | undefined;
  /** The AV-Gym token endpoint; default `/api/auth/token/` on the upstream's origin. */
  authUrl?: string | undefined;
  /** The `Origin` sent upstream (AV-Gym may check it against its allowed hosts); default the upstream's origin. */
  upstreamOrigin?: string | undefined;
  credentials?: CredentialsOptions | undefined;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  names?: NamesMode;
  fields?: readonly Field[];
  /** What `names: 'none'` shows instead of a name. */
  anonymousName?: string;
  /** Browser origins allowed to open the socket; empty: any. A client without `Origin` is always allowed. */
  allowOrigins?: readonly string[];
  /** Take the client address from `X-Forwarded-For` (its last entry), for a gateway behind nginx. */
  trustProxy?: boolean;
  limits?: Partial<Limits>;
  /** Visits kept in memory for `/api/checkins/recent/` and de-duplication. */
  historySize?: number;
  logLevel?: GatewayLogLevel;
  /** Where log lines go; default stdout. */
  logWrite?: (line: string) => void;
  timings?: Partial<GatewayTimings>;
  /** The upstream client's timings (backoff, heartbeat); its defaults unless given (tests shorten them). */
  upstreamTimings?: Partial<ClientTimings>;
}

/** Everything resolved: what the gateway runs with. */
export interface GatewayConfig {
  upstream: string;
  history: string;
  visits: string;
  authUrl: string;
  upstreamOrigin: string;
  credentials: CredentialsOptions | undefined;
  host: string;
  port: number;
  names: NamesMode;
  fields: ReadonlySet<Field>;
  anonymousName: string;
  allowOrigins: ReadonlySet<string>;
  trustProxy: boolean;
  limits: Limits;
  historySize: number;
  logLevel: GatewayLogLevel;
  logWrite: (line: string) => void;
  timings: GatewayTimings;
  upstreamTimings: Partial<ClientTimings>;
}

/** A configuration mistake: the CLI prints the message on one line and exits with 2. */
export class OptionError extends Error {
  override name = 'OptionError';
}

const LOG_LEVELS: readonly GatewayLogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

function parseUrl(value: string, what: string, protocols: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OptionError(`${what} must be an absolute URL, not ${JSON.stringify(value)}`);
  }
  if (!protocols.includes(url.protocol)) throw new OptionError(`${what} must use ${protocols.join(' or ')}, not ${url.protocol}`);
  return url;
}

/** `https://www.gym.example` as browsers send it in `Origin`: scheme, host and a non-default port, no path. */
export function normalizeOrigin(value: string, what = '--allow-origin'): string {
  const url = parseUrl(value, what, ['http:', 'https:']);
  if (url.pathname !== '/' || url.search || url.hash || value.endsWith('/')) {
    throw new OptionError(`${what} must be an origin such as https://www.gym.example (no path, no trailing slash), not ${JSON.stringify(value)}`);
  }
  return url.origin;
}

function whole(value: number, what: string, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new OptionError(`${what} must be a whole number ≥ ${min}, not ${value}`);
  return value;
}

/** Fills in the defaults and checks every value; throws a `OptionError` naming the first bad one. */
export function resolveConfig(options: GatewayOptions): GatewayConfig {
  const upstreamUrl = parseUrl(options.upstream, '--upstream', ['ws:', 'wss:', 'http:', 'https:']);
  upstreamUrl.protocol = upstreamUrl.protocol.replace(/^http/, 'ws');
  const restOrigin = `${upstreamUrl.protocol === 'wss:' ? 'https:' : 'http:'}//${upstreamUrl.host}`;
  const history = parseUrl(options.history ?? `${restOrigin}/api/checkins/recent/`, '--history', ['http:', 'https:']).href;
  const visits = parseUrl(options.visits ?? `${restOrigin}/api/checkins/checkins/`, '--visits', ['http:', 'https:']).href;
  const authUrl = parseUrl(options.authUrl ?? `${restOrigin}/api/auth/token/`, '--auth-url', ['http:', 'https:']).href;
  const names = options.names ?? 'first';
  if (!NAMES_MODES.includes(names)) throw new OptionError(`--names must be one of ${NAMES_MODES.join(', ')}, not ${JSON.stringify(names)}`);
  const fields = options.fields ?? ['location'];
  for (const field of fields) if (!FIELDS.includes(field)) throw new OptionError(`--fields takes ${FIELDS.join(', ')} (comma-separated) or none, not ${JSON.stringify(field)}`);
  const logLevel = options.logLevel ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new OptionError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(logLevel)}`);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  for (const key of LIMIT_KEYS) whole(limits[key], `--${limitFlag(key)}`, 1);
  const port = whole(options.port ?? 8090, '--port', 0);
  if (port > 65_535) throw new OptionError(`--port must be at most 65535, not ${port}`);
  const credentials = options.credentials;
  if (credentials && 'username' in credentials && !credentials.username) throw new OptionError('--username must not be empty');
  return {
    upstream: upstreamUrl.href,
    history,
    visits,
    authUrl,
    upstreamOrigin: normalizeOrigin(options.upstreamOrigin ?? restOrigin, '--upstream-origin'),
    credentials,
    host: options.host ?? '127.0.0.1',
    port,
    names,
    fields: new Set(fields),
    anonymousName: options.anonymousName ?? 'Member',
    allowOrigins: new Set((options.allowOrigins ?? []).map((origin) => normalizeOrigin(origin))),
    trustProxy: options.trustProxy ?? false,
    limits,
    historySize: whole(options.historySize ?? 200, '--history-size', 20),
    logLevel,
    logWrite: options.logWrite ?? ((line) => void process.stdout.write(`${line}\n`)),
    timings: { ...DEFAULT_TIMINGS, ...options.timings },
    upstreamTimings: { ...options.upstreamTimings },
  };
}

export const HELP = `Usage: gym-realtime-gateway --upstream URL [options]

A read-only gateway for public pages: one connection to AV-Gym, any number of
browsers on the same wire protocol (/ws/checkins/ and /api/checkins/recent/),
member names redacted server-side. Every option can also be set in the
environment as GYM_GATEWAY_<OPTION> (e.g. GYM_GATEWAY_PORT=8090); a flag wins.

Upstream (AV-Gym)
  --upstream URL          the AV-Gym socket, e.g. wss://gym.example/ws/checkins/ (required)
  --history URL           its REST history (default: /api/checkins/recent/ on the upstream's origin)
  --visits URL            its visits by day, read with ?date= to backfill an outage
                          (default: /api/checkins/checkins/ on the upstream's origin)
  --auth-url URL          its token endpoint (default: /api/auth/token/ on the upstream's origin)
  --upstream-origin URL   the Origin header sent upstream (default: the upstream's origin)
  --username NAME         a service account, signed in with POST /api/auth/token/ ...
  --password-file FILE    ... and the password in this file (or in GYM_GATEWAY_PASSWORD)
  --token-file FILE       or: an access token in this file, read again whenever one is needed
  --token-command CMD     or: a command that prints an access token

Serving
  --host HOST             address to listen on (default: 127.0.0.1)
  --port PORT             port to listen on (default: 8090; 0 picks a free one)
  --names MODE            how member names are shown: full ("Alice Example"), first ("Alice E.",
                          the default), initials ("A. E."), none (--anonymous-name)
  --anonymous-name TEXT   what --names none shows instead of a name (default: Member)
  --fields LIST           optional fields that pass, comma-separated, or none (default: location);
                          any of: ${FIELDS.join(', ')}
  --allow-origin ORIGIN   a browser origin allowed to connect, e.g. https://www.gym.example;
                          repeat it for more (default: any). Clients without Origin are allowed.
  --trust-proxy           take the client address from X-Forwarded-For (behind nginx)
  --history-size N        visits kept for /api/checkins/recent/ and de-duplication (default: 200)

Limits
  --max-clients N         connections in all (default: ${DEFAULT_LIMITS.maxClients})
  --max-clients-per-ip N  connections from one address (default: ${DEFAULT_LIMITS.maxClientsPerIp})
  --max-frame-bytes N     largest frame a client may send (default: ${DEFAULT_LIMITS.maxFrameBytes})
  --max-frame-rate N      frames a client may send per second, sustained (default: ${DEFAULT_LIMITS.maxFrameRate})
  --max-frame-burst N     frames a client may send at once (default: ${DEFAULT_LIMITS.maxFrameBurst})
  --max-address-frame-rate N, --max-address-frame-burst N
                          frames all connections of one address may send per second, and at once
                          (default: ${DEFAULT_LIMITS.maxAddressFrameRate}, ${DEFAULT_LIMITS.maxAddressFrameBurst})
  --max-address-byte-rate N, --max-address-byte-burst N
                          the same in bytes (default: ${DEFAULT_LIMITS.maxAddressByteRate}, ${DEFAULT_LIMITS.maxAddressByteBurst})
  --max-batch-items N     items a batch frame may hold; a larger one closes the connection
                          (default: ${DEFAULT_LIMITS.maxBatchItems}, what the widgets send at most)
  --max-buffered-bytes N  unsent bytes a client may hold; past them it is dropped (default: ${DEFAULT_LIMITS.maxBufferedBytes})
  --slow-client-bytes N, --slow-client-ms N
                          a client whose unsent backlog stays above N bytes for N ms is dropped
                          (default: ${DEFAULT_LIMITS.slowClientBytes}, ${DEFAULT_LIMITS.slowClientMs})

Other
  --log-level LEVEL       debug, info (default), warn, error or silent; one JSON object a line on stdout
  -h, --help              show this help
  -V, --version           show the version

Also served: /healthz (the process runs), /readyz (200 once the upstream is open),
/metrics (Prometheus text). Example:
  gym-realtime-gateway --upstream wss://gym.example/ws/checkins/ --username kiosk \\
    --password-file /run/secrets/gym --port 8090 --names initials --allow-origin https://www.gym.example
`;

const STRING_FLAGS = [
  'upstream', 'history', 'visits', 'auth-url', 'upstream-origin', 'username', 'password-file', 'token-file', 'token-command',
  'host', 'port', 'names', 'anonymous-name', 'fields', 'history-size', 'log-level',
] as const;

type StringFlag = (typeof STRING_FLAGS)[number] | ReturnType<typeof limitFlag>;

export type CliResult =
  | { action: 'help' }
  | { action: 'version' }
  /** `files`: what must be readable before starting (the password or token file). */
  | { action: 'run'; options: GatewayOptions; files: string[] };

/** `--max-clients` → `GYM_GATEWAY_MAX_CLIENTS`. */
export const envName = (flag: string): string => `GYM_GATEWAY_${flag.toUpperCase().replaceAll('-', '_')}`;

/** Says which option a `parseArgs` error is about, in one line. */
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const option = /'([^' ]+)/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(option)}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take') ? `${option} takes no value` : `${option} needs a value`;
    default:
      return message.split('\n')[0] ?? 'invalid arguments';
  }
}

function integer(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new OptionError(`${what} must be a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}

function boolean(value: string | undefined, what: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new OptionError(`${what} must be true or false, not ${JSON.stringify(value)}`);
}

/** A secret file's content without the line end editors add; read when needed, so it can be rotated. */
const readSecret = async (file: string): Promise<string> => (await readFile(file, 'utf8')).trim();

const list = (value: string) =>
  value
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * Reads the command line and the `GYM_GATEWAY_*` environment (a flag wins over its variable).
 * Throws a `OptionError` with a one-line message for anything wrong. The password itself is read
 * later, from `--password-file` or `GYM_GATEWAY_PASSWORD`, so it never sits in the options.
 */
export function parseCommandLine(args: readonly string[], env: Readonly<Record<string, string | undefined>>): CliResult {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries([...STRING_FLAGS, ...LIMIT_KEYS.map(limitFlag)].map((name) => [name, { type: 'string' as const }])),
        'allow-origin': { type: 'string', multiple: true },
        'trust-proxy': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (error) {
    throw new OptionError(describeParseError(error));
  }
  const values = parsed.values as Partial<Record<StringFlag, string>> & { 'allow-origin'?: string[]; 'trust-proxy'?: boolean; help?: boolean; version?: boolean };
  if (values.help) return { action: 'help' };
  if (values.version) return { action: 'version' };
  const get = (flag: StringFlag): string | undefined => values[flag] ?? (env[envName(flag)] || undefined);
  const number = (flag: StringFlag) => integer(get(flag), values[flag] !== undefined ? `--${flag}` : envName(flag));

  const upstream = get('upstream');
  if (!upstream) throw new OptionError(`--upstream is required (or ${envName('upstream')}), e.g. --upstream wss://gym.example/ws/checkins/`);

  const username = get('username');
  const passwordFile = get('password-file');
  const tokenFile = get('token-file');
  const tokenCommand = get('token-command');
  const hasPassword = passwordFile !== undefined || Boolean(env.GYM_GATEWAY_PASSWORD);
  const ways = [username !== undefined || hasPassword, tokenFile !== undefined, tokenCommand !== undefined].filter(Boolean).length;
  if (ways > 1) throw new OptionError('give one way to sign in upstream: --username with --password-file, --token-file or --token-command');
  if (ways === 0) throw new OptionError('the gateway needs a way to sign in upstream: --username with --password-file (or GYM_GATEWAY_PASSWORD), --token-file or --token-command');
  if (hasPassword && username === undefined) throw new OptionError('a password (--password-file or GYM_GATEWAY_PASSWORD) needs --username');
  if (username !== undefined && !hasPassword) throw new OptionError('--username needs --password-file (or GYM_GATEWAY_PASSWORD)');

  const fieldsText = get('fields');
  const allowOrigins = values['allow-origin'] ?? list(env[envName('allow-origin')] ?? '');
  const options: GatewayOptions = {
    upstream,
    history: get('history'),
    visits: get('visits'),
    authUrl: get('auth-url'),
    upstreamOrigin: get('upstream-origin'),
    credentials:
      username !== undefined
        ? { username, password: passwordFile !== undefined ? () => readSecret(passwordFile) : env.GYM_GATEWAY_PASSWORD! }
        : tokenFile !== undefined
          ? { tokenFile }
          : { tokenCommand: tokenCommand! },
    names: (get('names') as NamesMode | undefined) ?? 'first',
    fields: fieldsText === undefined ? ['location'] : fieldsText.trim() === 'none' ? [] : (list(fieldsText) as Field[]),
    allowOrigins,
    trustProxy: values['trust-proxy'] ?? boolean(env[envName('trust-proxy')], envName('trust-proxy')) ?? false,
    limits: Object.fromEntries(LIMIT_KEYS.map((key) => [key, number(limitFlag(key))]).filter(([, value]) => value !== undefined)),
  };
  const host = get('host');
  const port = number('port');
  const anonymousName = get('anonymous-name');
  const historySize = number('history-size');
  const logLevel = get('log-level');
  if (host !== undefined) options.host = host;
  if (port !== undefined) options.port = port;
  if (anonymousName !== undefined) options.anonymousName = anonymousName;
  if (historySize !== undefined) options.historySize = historySize;
  if (logLevel !== undefined) options.logLevel = logLevel as GatewayLogLevel;
  // Checks every value now, so a bad one is a one-line error before anything starts.
  resolveConfig(options);
  return { action: 'run', options, files: [passwordFile ?? tokenFile].filter((file): file is string => file !== undefined) };
}
