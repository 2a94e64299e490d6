import { ContextRoot } from '@lit/context';

const ATTACHED = Symbol.for('gym-realtime-widgets.context-root');

/**
 * Lets elements find a provider that is defined or upgraded after them: the
 * root holds their unanswered context requests and replays them when a
 * provider appears. Attached once per page, however many copies of the bundle run.
 */
export function ensureContextRoot(): void {
  const global = globalThis as { [ATTACHED]?: true };
  if (global[ATTACHED] || typeof document === 'undefined') return;
  global[ATTACHED] = true;
  new ContextRoot().attach(document.documentElement);
}
