import { plausibleTime } from '../../core/visit-log.js';

const cache = new Map<string, Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.DateTimeFormat>();

/**
 * One formatter per locale and kind: renders happen often, formatters are costly to build. A
 * locale `Intl` refuses gets English rather than an exception in the middle of a render.
 */
function formatter<T>(kind: string, locale: string, make: (locale: string) => T): T {
  const key = `${kind}|${locale}`;
  let value = cache.get(key) as T | undefined;
  if (!value) {
    try {
      value = make(locale);
    } catch {
      value = make('en');
    }
    cache.set(key, value as never);
  }
  return value;
}

const canonical = new Map<string, string | undefined>();

/**
 * `lang` as `Intl` takes it, or undefined for a value it refuses. Lenient with what pages write:
 * `en_US` and `de_DE.UTF-8@euro` (POSIX) become `en-US` and `de-DE`.
 */
function canonicalLocale(lang: string): string | undefined {
  if (!canonical.has(lang)) {
    let locale: string | undefined;
    try {
      locale = Intl.getCanonicalLocales(lang.trim().split(/[.@]/)[0]!.replaceAll('_', '-'))[0];
    } catch {
      // "x", "123", "🙂": not a language tag.
    }
    canonical.set(lang, locale);
  }
  return canonical.get(lang);
}

/** The first of `langs` that `Intl` takes (canonicalised), else English. Never throws. */
export function usableLocale(langs: Iterable<string | null | undefined>): string {
  for (const lang of langs) {
    const locale = lang ? canonicalLocale(lang) : undefined;
    if (locale) return locale;
  }
  return 'en';
}

export const formatNumber = (locale: string, value: number): string =>
  formatter('number', locale, (tag) => new Intl.NumberFormat(tag)).format(value);

export const formatTime = (locale: string, time: number): string =>
  formatter('time', locale, (tag) => new Intl.DateTimeFormat(tag, { timeStyle: 'short' })).format(time);

export const formatDate = (locale: string, time: number): string =>
  formatter('date', locale, (tag) => new Intl.DateTimeFormat(tag, { dateStyle: 'medium' })).format(time);

/**
 * How long ago `time` was, e.g. "3 min. ago", or `justNow` under a minute.
 * Coarse on purpose: one shared tick every 30 s keeps every row current.
 * A time that is not plausible (`plausibleTime`) shows as its date, not "just now".
 */
export function formatAgo(locale: string, time: number, now: number, justNow: string): string {
  if (!plausibleTime(time, now)) return formatDate(locale, time);
  const minutes = Math.floor((now - time) / 60_000);
  if (minutes < 1) return justNow;
  const rtf = formatter('ago', locale, (tag) => new Intl.RelativeTimeFormat(tag, { numeric: 'auto', style: 'short' }));
  if (minutes < 60) return rtf.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  return hours < 24 ? rtf.format(-hours, 'hour') : rtf.format(-Math.floor(hours / 24), 'day');
}
