/**
 * The read-only gateway for public pages (Node only; the `gym-realtime-gateway` bin runs it).
 * No browser entry imports this folder.
 */
export { Gateway, startGateway } from './gateway.js';
export { OptionError, DEFAULT_LIMITS, HELP, parseCommandLine, resolveConfig } from './config.js';
export type { CredentialsOptions, GatewayConfig, GatewayOptions, GatewayTimings, Limits } from './config.js';
export { FIELDS, NAMES_MODES, redactName, redactVisit } from './redaction.js';
export type { Field, NamesMode, PublicVisit, RedactionPolicy } from './redaction.js';
export { main } from './cli.js';
export { keepsUp, take } from './downstream.js';
export { tokenGetter } from './credentials.js';
export { createLogger } from './log.js';
export { RecentVisits } from './recent-visits.js';
export { PacedSocket, PAUSE_AT, SLICE_MS } from './paced-socket.js';
export type { Logger, GatewayLogLevel } from './log.js';
