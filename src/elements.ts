/**
 * The element classes without registering any tag: for apps that define
 * their own tag names or scoped registries.
 */
export { GymElement } from './elements/shared/gym-element.js';
export { GymRealtimeProvider } from './elements/realtime-provider/realtime-provider.component.js';
export { GymConnectionStatus } from './elements/connection-status/connection-status.component.js';
export { GymCheckinFeed } from './elements/checkin-feed/checkin-feed.component.js';
export { GymCheckinStats } from './elements/checkin-stats/checkin-stats.component.js';
export { GymCheckinForm } from './elements/checkin-form/checkin-form.component.js';
export { GymErrorBoundary } from './elements/error-boundary/error-boundary.component.js';
export { realtimeContext, type RealtimeSource } from './elements/shared/context.js';
