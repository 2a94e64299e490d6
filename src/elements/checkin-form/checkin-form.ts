import { GymCheckinForm } from './checkin-form.component.js';

export { GymCheckinForm };

GymCheckinForm.define('gym-checkin-form');

declare global {
  interface HTMLElementTagNameMap {
    'gym-checkin-form': GymCheckinForm;
  }
}
