import { GymCheckinFeed } from './checkin-feed.component.js';

export { GymCheckinFeed };

GymCheckinFeed.define('gym-checkin-feed');

declare global {
  interface HTMLElementTagNameMap {
    'gym-checkin-feed': GymCheckinFeed;
  }
}
