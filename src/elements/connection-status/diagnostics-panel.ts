import { html, svg, type TemplateResult } from 'lit';
import type { ConnectionHistory } from '../../core/diagnostics.js';
import { formatNumber, formatTime } from '../shared/format.js';
import type { DiagnosticsReport } from './diagnostics-report.js';

type Translate = (key: string, values?: Record<string, string | number>) => string;

/** The details panel's fields: what support asks about, in the page's language. */
export function renderFields(report: DiagnosticsReport, t: Translate, locale: string): TemplateResult {
  const n = (value: number) => formatNumber(locale, value);
  const since = report.connectedSince ?? report.downSince;
  const { lastRoundTripMs: last, medianRoundTripMs: middle, samples } = report.heartbeat;
  const rows: [string, string][] = [
    [t('diagState'), report.reason ? `${report.state} (${report.reason})` : report.state],
    [t(report.connectedSince ? 'diagConnectedSince' : 'diagDownSince'), since ? formatTime(locale, Date.parse(since)) : '–'],
    [t('diagRoundTrip'), last === null ? '–' : t('diagRoundTripValue', { last: n(last), median: n(middle ?? last), count: samples })],
    [t('diagReconnects'), t('diagCounts', { hour: n(report.reconnects.lastHour), total: n(report.reconnects.sinceLoad) })],
    [t('diagFailures'), t('diagCounts', { hour: n(report.failedAttempts.lastHour), total: n(report.failedAttempts.sinceLoad) })],
    [t('diagFrames'), `${n(report.frames.in)} / ${n(report.frames.out)}`],
    [t('diagBytes'), `${n(report.bytes.in)} / ${n(report.bytes.out)}`],
    [t('diagProtocolErrors'), n(report.protocolErrors)],
    [t('diagQueue'), `${n(report.queue.waiting)} / ${n(report.queue.awaitingReply)}`],
    [t('diagVersion'), report.version],
    [t('diagServer'), report.url],
  ];
  return html`<dl part="fields">${rows.map(([term, value]) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`)}</dl>`;
}

/**
 * The last hour as two sparklines: the heartbeat round trip (a line, scaled to
 * its highest value) and, below it, one mark per minute: open all the minute,
 * part of it, not at all, or before the page loaded. Its label says the same in words.
 */
export function renderSparkline(history: ConnectionHistory, t: Translate, locale: string): TemplateResult {
  const { roundTrip, up, start } = history.minutes;
  const measured = roundTrip.filter((value): value is number => value !== null);
  const highest = Math.max(1, ...measured);
  const points = roundTrip.flatMap((value, minute) => (value === null ? [] : [`${minute + 0.5},${(17 - (value / highest) * 15).toFixed(1)}`])).join(' ');
  const seen = up.filter((_, minute) => start + (minute + 1) * 60_000 > history.since);
  const share = seen.length ? Math.round((100 * seen.reduce((total, value) => total + value, 0)) / seen.length) : 0;
  const mark = (value: number, minute: number) =>
    start + (minute + 1) * 60_000 <= history.since ? 'none' : value >= 0.99 ? 'up' : value <= 0.01 ? 'down' : 'partly';
  return html`<svg part="sparkline" viewBox="0 0 60 24" preserveAspectRatio="none" role="img"
    aria-label=${t('diagLastHour', { highest: formatNumber(locale, measured.length ? highest : 0), share })}>
    ${svg`<polyline class="round-trip" points=${points}></polyline>`}
    ${up.map((value, minute) => svg`<rect class=${mark(value, minute)} x=${minute} y="20" width="1" height="4"></rect>`)}
  </svg>`;
}
