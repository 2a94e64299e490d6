import { Connection } from './connection.js';
import { browserEnvironment, type Clock } from './environment.js';
import type { Counters } from './events.js';
import { Inbound } from './inbound.js';
import type { Link, LinkParts } from './link.js';
import type { ClientTimings, RealtimeClientOptions } from './options.js';
import { Outbound } from './outbound.js';
import { OutboxStore } from './outbox-store.js';
import type { Reporter } from './reporter.js';
import type { TokenSource } from './token-source.js';

export interface Assembly {
  options: RealtimeClientOptions;
  timings: ClientTimings;
  clock: Clock;
  random: () => number;
  fetch: typeof fetch;
  tokens: TokenSource;
  report: Reporter;
  /** The link the client holds now: every hook of the connection and of inbound frames goes to it. */
  link(): Link;
}

/**
 * Builds a client's one connection, outbox and inbound fan-out, wired so that what they report
 * reaches the link the client holds at that moment. The counters are written where things
 * happen (frames and attempts by the connection, frames in and errors by the inbound) and read
 * by the links.
 */
export function assembleParts({ options, timings, clock, random, fetch, tokens, report, link }: Assembly): LinkParts {
  const guard = (callback: () => void) => report.guard(callback);
  const counters: Counters = { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, connectAttempts: 0, reconnects: 0, protocolErrors: 0, lastHeartbeatRtt: undefined };
  const connection: Connection = new Connection(
    {
      timings,
      clock,
      WebSocket: options.WebSocket ?? globalThis.WebSocket,
      fetch,
      env: options.environment ?? browserEnvironment,
      random,
      authCheckUrl: options.authCheckUrl,
      counters,
      guard,
      internal: (error) => report.internal(error),
      log: (level, message) => report.log(level, message),
    },
    {
      state: (change) => link().stateChanged(change),
      live: () => outbound.opened(),
      lost: () => outbound.lost(),
      frame: (data) => link().frame(data),
      configError: (message) => link().configError(message),
    },
    options.url,
    tokens,
  );
  const inbound = new Inbound(counters, {
    heard: () => link().heard(),
    ack: () => link().ack(),
    malformed: (error) => {
      report.log('warn', `malformed frame: ${error}`);
      report.events.emit('protocol-error', { error, total: counters.protocolErrors });
    },
    reply: (message) => link().reply(message),
    subscriberError: (type, error) => report.events.emit('error', { source: 'subscriber', type, error }),
    gateway: (since) => report.delayed(since),
  });
  const store = options.outboxStorage && new OutboxStore(options.outboxStorage, options.outboxKey ?? 'gym-realtime-widgets.outbox', options.locks ?? globalThis.navigator?.locks);
  const outbound: Outbound = new Outbound(timings, clock, guard, report.events, store, () => connection.state === 'open', (text) => connection.write(text));
  return { connection, outbound, inbound, counters, report };
}
