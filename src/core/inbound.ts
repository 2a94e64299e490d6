import { decodeFrame } from '../protocol/codec.js';
import type { CheckInMessage, GymStats, KnownMessage, MessageOf, ServerMessage } from '../protocol/types.js';
import { Emitter } from './emitter.js';
import { utf8Length, type Counters } from './events.js';
import { RecentKeys } from './recent-keys.js';

export type MessageHandler = (message: ServerMessage) => void;

/** A reply to one of our requests. */
export type ReplyMessage = MessageOf<'check_in_success'> | MessageOf<'check_out_success'> | MessageOf<'check_in_error'> | MessageOf<'check_out_error'>;

export interface InboundHooks {
  /** A frame arrived: the link is alive. */
  heard(): void;
  /** A frame or batch item could not be decoded, or a field of one was cut at `FIELD_CAP` (already counted). */
  malformed(error: string): void;
  /** A `heartbeat_ack`. */
  ack(): void;
  /** A reply to one of our requests (`*_success` / `*_error`). */
  reply(message: ReplyMessage): void;
  /** A subscriber threw. */
  subscriberError(type: string, error: unknown): void;
  /** The gateway in between says its own link to AV-Gym is down (since when) or back (`undefined`). */
  gateway(downSince: string | undefined): void;
}

/**
 * Inbound frames: counted, decoded once, de-duplicated and fanned out by type
 * to subscribers. Keeps the gym's latest figures for elements that arrive late.
 */
export class Inbound {
  readonly #subscribers = new Emitter<Record<string, ServerMessage>>((type, error) => this.#hooks.subscriberError(String(type), error));
  readonly #delivered = new RecentKeys(1000);
  /** The gym's latest figures (from `initial_stats` / `check_in_stats`). */
  stats: GymStats | undefined;

  readonly #counters: Counters;
  readonly #hooks: InboundHooks;

  constructor(
    counters: Counters,
    hooks: InboundHooks,
  ) {
    this.#counters = counters;
    this.#hooks = hooks;
    counters.truncated ??= 0;
  }

  subscribe(type: string, handler: MessageHandler): () => void {
    return this.#subscribers.on(type, handler);
  }

  clear(): void {
    this.#subscribers.clear();
  }

  /** Delivers a message that did not come off the socket (the figures a leading tab already had). */
  inject(message: ServerMessage): void {
    this.#handle(message);
  }

  receive(data: unknown): void {
    const counters = this.#counters;
    counters.framesIn++;
    counters.bytesIn += typeof data === 'string' ? utf8Length(data) : ((data as { byteLength?: number; size?: number }).byteLength ?? (data as { size?: number }).size ?? 0);
    this.#hooks.heard();
    const { messages, errors, truncated } = decodeFrame(data);
    for (const error of errors) {
      counters.protocolErrors++;
      this.#hooks.malformed(error);
    }
    // A field over the cap is the server's fault too: said like a malformed frame, though its message is delivered, cut.
    for (const line of truncated) {
      counters.truncated = (counters.truncated ?? 0) + 1;
      counters.protocolErrors++;
      this.#hooks.malformed(line);
    }
    for (const message of messages) this.#handle(message);
  }

  #handle(message: ServerMessage): void {
    const known = message as KnownMessage;
    switch (known.type) {
      case 'heartbeat_ack':
        this.#hooks.ack();
        break;
      case 'check_in_success':
      case 'check_out_success':
        this.#hooks.reply(known as ReplyMessage);
        this.#deliver(known);
        // The sender hears of its own check-in first through the reply; the broadcast that follows is the same event.
        this.#deliverOnce({ type: known.type === 'check_in_success' ? 'member_checked_in' : 'member_checked_out', payload: known.payload });
        return;
      case 'check_in_error':
      case 'check_out_error':
        this.#hooks.reply(known);
        break;
      case 'member_checked_in':
      case 'member_checked_out':
        this.#deliverOnce(known);
        return;
      case 'initial_stats':
      case 'check_in_stats':
        this.stats = known.payload;
        break;
      default:
        if (message.type === 'gateway_status') this.#gatewayStatus(message.payload);
    }
    this.#deliver(message);
  }

  /** `gateway_status` comes only from the read-only gateway; anything but a clear "down" counts as up. */
  #gatewayStatus(payload: unknown): void {
    const { upstream, since } = (payload ?? {}) as { upstream?: unknown; since?: unknown };
    this.#hooks.gateway(upstream === 'down' ? (typeof since === 'string' ? since : new Date().toISOString()) : undefined);
  }

  #deliverOnce(message: CheckInMessage): void {
    if (this.#delivered.add(`${message.type}:${message.payload.id}`)) this.#deliver(message);
  }

  #deliver(message: ServerMessage): void {
    this.#subscribers.emit(message.type, message);
    this.#subscribers.emit('*', message);
  }
}
