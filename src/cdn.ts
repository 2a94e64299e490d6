/**
 * The CDN files (`dist/bundle`: the ES module and the classic script): every
 * element, and `data-gym-widget` blocks upgraded into elements on the page,
 * for CMS pages that cannot hold custom tags.
 */
import { watchWidgets } from './upgrade.js';

export * from './index.js';

watchWidgets();
