/**
 * The CDN's ES module (`gym-realtime-widgets.js`): the whole paste-in snippet is one
 * `<script type="module">`. It holds no element itself: each element's code is imported, from
 * the files beside it, when its tag first appears on the page (at load or later), so a page
 * pays only for what it shows; `data-gym-widget` blocks bring the upgrader with them.
 *
 * `ready` resolves once the elements on the page at load are defined (`gym-widgets-discovered`
 * is dispatched on the document then); `load(tag)` imports one ahead of time.
 *
 * Nothing here is shared with the chunks: they import Lit, the client and the provider from one
 * content-hashed file (vite.config.ts), never this one, whose URL a CMS may give a `?ver=`.
 */
import { Autoloader } from './autoload.js';

const loader = new Autoloader(
  {
    // In the shared file: asking for it starts that file's download with the elements'.
    'gym-realtime-provider': () => import('./elements/realtime-provider/realtime-provider.js'),
    'gym-connection-status': () => import('./elements/connection-status/connection-status.js'),
    'gym-checkin-feed': () => import('./elements/checkin-feed/checkin-feed.js'),
    'gym-checkin-stats': () => import('./elements/checkin-stats/checkin-stats.js'),
    'gym-checkin-form': () => import('./elements/checkin-form/checkin-form.js'),
    'gym-error-boundary': () => import('./elements/error-boundary/error-boundary.js'),
  },
  { upgrader: () => import('./upgrade.js'), containers: ['gym-realtime-provider', 'gym-error-boundary'] },
);

export const ready: Promise<void> = loader.start().then(() => {
  // `mark('defined')` of core/marks.ts, written out: importing it would share a module with the chunks.
  if ((globalThis as { gymMarks?: unknown }).gymMarks === true) performance.mark('gym:defined');
});
export const load = (tag: string): Promise<void> => loader.load(tag);
