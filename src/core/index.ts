/**
 * The framework-free realtime client: no Lit, no DOM beyond WebSocket, fetch
 * and (when present) the browser's network and visibility events.
 */
export { RealtimeClient } from './client.js';
export type { ConnectionHistory, MinuteSeries, StateRecord } from './diagnostics.js';
export type { ClientEvents, ClientMetrics, ConnectionState, StateChange, StateReason, TabRole } from './events.js';
export type { ChannelLike, ElectionLocks, TabsEnvironment } from './tab-group.js';
export { DEFAULT_TIMINGS, socketUrl } from './options.js';
export type { ClientTimings, LogLevel, RealtimeClientOptions } from './options.js';
export { GymClientError, UnauthorizedError, isUnauthorized } from './errors.js';
export type { GymErrorCode } from './errors.js';
export type { TokenOptions, TokenProvider } from './token-source.js';
export type { Clock, NetworkEnvironment, NetworkSignal } from './environment.js';
export type { LockManagerLike, StorageLike, StoredRequest } from './outbox-store.js';
export { backoffDelay } from './backoff.js';
export { CloseCode } from '../protocol/close-codes.js';
export { decodeFrame, readCheckIn } from '../protocol/codec.js';
export type * from '../protocol/types.js';
