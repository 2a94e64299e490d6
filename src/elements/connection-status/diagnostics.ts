/**
 * The diagnostics panel, as one module the status imports only when its `details` attribute is
 * on: a public page, which never shows the panel, does not download it.
 */
export { renderFields, renderSparkline } from './diagnostics-panel.js';
export { diagnosticsReport } from './diagnostics-report.js';
