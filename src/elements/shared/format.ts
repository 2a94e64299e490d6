const cache = new Map<string, Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.DateTimeFormat>();

/** One formatter per locale and kind: renders happen often, formatters are costly to build. */
function formatter<T>(kind: string, locale: string, make: () => T): T {
  const key = `${kind}|${locale}`;
  let value = cache.get(key) as T | undefined;
  if (!value) {
    value = make();
    cache.set(key, value as never);
  }
  return value;
}

export const formatNumber = (locale: string, value: number): string =>
  formatter('number', locale, () => new Intl.NumberFormat(locale)).format(value);

export const formatTime = (locale: string, time: number): string =>
  formatter('time', locale, () => new Intl.DateTimeFormat(locale, { timeStyle: 'short' })).format(time);

/**
 * How long ago `time` was, e.g. "3 min. ago", or `justNow` under a minute.
 * Coarse on purpose: one shared tick every 30 s keeps every row current.
 */
export function formatAgo(locale: string, time: number, now: number, justNow: string): string {
  const minutes = Math.floor((now - time) / 60_000);
  if (minutes < 1) return justNow;
  const rtf = formatter('ago', locale, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' }));
  if (minutes < 60) return rtf.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? rtf.format(-hours, 'hour') : rtf.format(-Math.floor(hours / 24), 'day');
}
