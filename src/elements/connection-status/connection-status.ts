import { GymConnectionStatus } from './connection-status.component.js';

export { GymConnectionStatus };

GymConnectionStatus.define('gym-connection-status');

declare global {
  interface HTMLElementTagNameMap {
    'gym-connection-status': GymConnectionStatus;
  }
}
