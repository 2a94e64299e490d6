/**
 * The CDN files (`dist/bundle`: the ES module and the classic script): every
 * element, and `data-gym-widget` blocks upgraded into elements on the page,
 * for CMS pages that cannot hold custom tags.
 */
import { mark } from './core/marks.js';
import { watchWidgets } from './upgrade.js';

export * from './index.js';

// Every element is defined once the modules above have run.
mark('defined');
watchWidgets();
