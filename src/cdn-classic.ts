/**
 * The classic CDN script (`gym-realtime-widgets.classic.js`, global
 * `GymRealtimeWidgets`), for CMSs that cannot add `type="module"`: every
 * element in one file, and `data-gym-widget` blocks upgraded into elements on
 * the page, for CMS pages that cannot hold custom tags.
 */
import { mark } from './core/marks.js';
import { watchWidgets } from './upgrade.js';

export * from './index.js';

// Every element is defined once the modules above have run.
mark('defined');
watchWidgets();
