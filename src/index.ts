/** gym-realtime-widgets: the shared realtime client (the elements build on it). */
export * from './core/index.js';
