export type GatewayLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const RANK: Record<GatewayLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** A JWT anywhere in a text (header.payload.signature, base64url). */
const JWT = /\beyJ[\w-]*\.[\w-]*\.[\w-]*/g;
/**
 * `token=…` in a URL, `Bearer …` in a header, `"password":"…"`, `"access":"…"`, `"refresh":"…"` in a
 * body, also as a string inside the JSON line (quotes escaped).
 */
const LABELLED = /([?&]token=|\bBearer\s+|\\?"(?:password|access|refresh|token)\\?"\s*:\s*\\?")[^&\s"\\]+/gi;

/** `sometimes()` writes one line per event name at most this often. */
const SOMETIMES_MS = 10_000;

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /**
   * `info`, at most once every 10 s per event name and `reason` field, with how many lines were
   * left out since (`suppressed`): for what one hostile address can make happen thousands of
   * times a second.
   */
  sometimes(event: string, fields?: Record<string, unknown>): void;
  /** A value that must never appear in a log line (a password, a token): it is masked wherever it shows up. */
  secret(value: string | undefined): void;
}

/**
 * Structured logs: one JSON object a line, `{"time","level","event",…fields}`. Every line is
 * scrubbed before it is written: JWTs, labelled secrets and every value given to `secret()`
 * become `[redacted]`, whatever field or error message they hid in.
 */
export function createLogger(level: GatewayLogLevel, write: (line: string) => void): Logger {
  const secrets = new Set<string>();
  const scrub = (text: string) => {
    let out = text.replace(JWT, '[redacted]').replace(LABELLED, '$1[redacted]');
    for (const secret of secrets) out = out.replaceAll(secret, '[redacted]');
    return out;
  };
  const log = (at: Exclude<GatewayLogLevel, 'silent'>) => (event: string, fields: Record<string, unknown> = {}) => {
    if (RANK[at] < RANK[level]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: at, event, ...fields }, (_key, value: unknown) =>
      value instanceof Error ? value.message : value,
    );
    try {
      write(scrub(line));
    } catch {
      // A closed stdout must not take the gateway down.
    }
  };
  const info = log('info');
  /** Per event name and reason: when it was last written, and how many lines were left out since. */
  const throttled = new Map<string, { at: number; suppressed: number }>();
  return {
    debug: log('debug'),
    info,
    sometimes(event, fields = {}) {
      const now = Date.now();
      const key = `${event} ${String(fields.reason ?? '')}`;
      const last = throttled.get(key);
      if (last && now - last.at < SOMETIMES_MS) {
        last.suppressed++;
        return;
      }
      info(event, last?.suppressed ? { ...fields, suppressed: last.suppressed } : fields);
      throttled.set(key, { at: now, suppressed: 0 });
    },
    warn: log('warn'),
    error: log('error'),
    secret(value) {
      // JSON-escaped too, since lines are JSON; short values would mask ordinary words.
      if (value && value.length >= 4) {
        secrets.add(value);
        secrets.add(JSON.stringify(value).slice(1, -1));
      }
    },
  };
}
