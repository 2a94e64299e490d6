/**
 * gym-realtime-widgets: registers every `gym-*` element and exports their
 * classes, the realtime client and the event types.
 */
export { GymRealtimeProvider } from './elements/realtime-provider/realtime-provider.js';
export { GymConnectionStatus } from './elements/connection-status/connection-status.js';
export { GymCheckinFeed } from './elements/checkin-feed/checkin-feed.js';
export { GymCheckinStats } from './elements/checkin-stats/checkin-stats.js';
export { GymCheckinForm } from './elements/checkin-form/checkin-form.js';
export { GymErrorBoundary } from './elements/error-boundary/error-boundary.js';
export { GymElement } from './elements/shared/gym-element.js';
export { realtimeContext, type RealtimeSource } from './elements/shared/context.js';
export type * from './events/index.js';
export * from './core/index.js';
export { VERSION } from './version.js';
export { upgradeWidgets } from './upgrade.js';
