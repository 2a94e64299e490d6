import { GymErrorBoundary } from './error-boundary.component.js';

export { GymErrorBoundary };

GymErrorBoundary.define('gym-error-boundary');

declare global {
  interface HTMLElementTagNameMap {
    'gym-error-boundary': GymErrorBoundary;
  }
}
