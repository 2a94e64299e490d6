import { GymCheckinStats } from './checkin-stats.component.js';

export { GymCheckinStats };

GymCheckinStats.define('gym-checkin-stats');

declare global {
  interface HTMLElementTagNameMap {
    'gym-checkin-stats': GymCheckinStats;
  }
}
