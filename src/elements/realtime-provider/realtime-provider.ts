import { GymRealtimeProvider } from './realtime-provider.component.js';

export { GymRealtimeProvider };

GymRealtimeProvider.define('gym-realtime-provider');

declare global {
  interface HTMLElementTagNameMap {
    'gym-realtime-provider': GymRealtimeProvider;
  }
}
