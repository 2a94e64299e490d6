export type { GymErrorDetail, GymErrorEvent, GymErrorSource } from './gym-error.js';
export type { GymConnectionChangeEvent } from './gym-connection-change.js';
export type { GymCheckinResultDetail, GymCheckinResultEvent } from './gym-checkin-result.js';
export type { GymMetricsDetail, GymMetricsEvent } from './gym-metrics.js';
