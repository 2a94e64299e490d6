/**
 * Time-to-live marks (`performance.mark('gym:<stage>')`): the script's
 * elements defined, the token received, the socket open, "Live" shown, the
 * first figures and the first feed entry rendered. Made only when the page
 * sets `globalThis.gymMarks = true` before the script runs (the benchmark
 * does); otherwise each is one property read.
 */
export function mark(stage: 'defined' | 'token' | 'open' | 'live' | 'stats' | 'entry'): void {
  if ((globalThis as { gymMarks?: unknown }).gymMarks === true) performance.mark(`gym:${stage}`);
}
