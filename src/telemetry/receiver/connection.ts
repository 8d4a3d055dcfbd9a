import type { WebSocket } from 'ws';
import type { Clock, Timer } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ReceiverConnection } from '../../http/web/providers.js';
import { decodeFrame, encodeAck, encodeError, type StreamFrame } from '../wire/envelope.js';
import { decodePayload, type Record as TelemetryRecord } from '../wire/payload.js';
import { RateWindow, type RefusalCause } from './limits.js';
import { LinkCheck } from './link-check.js';

export interface ConnectionSink {
  /**
   * Applies one message from `vin`, stamped `carAtMs` (the car's own time); resolves once it is
   * applied and what must survive a restart is saved. Only then is the message acked: a daemon
   * killed before loses nothing, the car sends it again.
   */
  receive(vin: string, record: TelemetryRecord, carAtMs: number): Promise<void>;
}

export interface ConnectionOptions {
  ws: WebSocket;
  vin: string;
  id: string;
  limits: { frame_bytes: number; idle_timeout: number; messages_per_minute: number };
  clock: Clock;
  sink: ConnectionSink;
  refuse: (cause: RefusalCause, detail?: string) => void;
  log: Logger;
}

/** Messages waiting to be applied before the socket stops being read (backpressure on the car). */
const MAX_QUEUED = 32;

/**
 * One car's WebSocket: every binary frame is a Fleet Telemetry envelope, applied in order and
 * acked once saved. A frame that cannot be read, is too large or is not binary gets Tesla's
 * "incorrect message format" reply and the connection goes on; frames over the rate are left
 * unacked (the car resends them); a message that names another VIN than the certificate closes it.
 */
export class CarConnection {
  private readonly rate: RateWindow;
  private idle: Timer | undefined;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private paused = false;
  private closed = false;
  private messages = 0;
  private lastMessageAt: number | undefined;
  private readonly since: number;
  private readonly options: ConnectionOptions;
  private readonly link: LinkCheck;

  constructor(options: ConnectionOptions) {
    this.options = options;
    this.since = options.clock.now();
    this.rate = new RateWindow(options.limits.messages_per_minute, this.since);
    options.ws.on('message', (data, isBinary) => this.frame(toBytes(data), isBinary));
    options.ws.on('error', () => options.ws.terminate());
    this.link = new LinkCheck({ clock: options.clock, ping: () => this.ping(), lost: () => this.lost() });
    options.ws.on('pong', () => {
      this.link.pong();
      this.touch();
    });
    this.touch();
  }

  summary(): ReceiverConnection {
    const { link } = this;
    return {
      vin: this.options.vin,
      since: this.since,
      lastMessageAt: this.lastMessageAt,
      heardAt: link.heardAt,
      awaitingPong: link.awaitingPong,
      messages: this.messages,
    };
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.idle?.cancel();
    this.link.stop();
    this.options.ws.close(code, reason);
  }

  /** The socket closed (whoever closed it). */
  stopped(): void {
    this.closed = true;
    this.idle?.cancel();
    this.link.stop();
  }

  private ping(): void {
    if (this.closed) return;
    try {
      this.options.ws.ping();
    } catch {
      // Not open any more: the close event follows.
    }
  }

  private lost(): void {
    if (this.closed) return;
    this.options.refuse('link_lost', this.options.vin);
    this.closed = true;
    this.idle?.cancel();
    this.options.ws.terminate();
  }

  private touch(): void {
    this.idle?.cancel();
    this.idle = this.options.clock.setTimeout(() => {
      this.options.refuse('idle_timeout', this.options.vin);
      this.close(1000, 'idle');
    }, this.options.limits.idle_timeout * 1000);
  }

  private reply(bytes: Uint8Array): void {
    if (!this.closed) this.options.ws.send(bytes, { binary: true });
  }

  private frame(bytes: Uint8Array, isBinary: boolean): void {
    if (this.closed) return;
    this.touch();
    const now = this.options.clock.now();
    this.link.message(now);
    if (!this.rate.take(now)) {
      this.options.refuse('rate_limited', this.options.vin);
      return;
    }
    if (bytes.length > this.options.limits.frame_bytes) {
      this.options.refuse('oversize_frame', `${bytes.length} bytes from ${this.options.vin}`);
      this.reply(encodeError(new Uint8Array(0)));
      return;
    }
    const frame = isBinary ? decodeFrame(bytes) : ({ kind: 'malformed', reason: 'a text frame' } as const);
    switch (frame.kind) {
      case 'malformed':
        this.options.refuse('malformed_frame', `${frame.reason}, from ${this.options.vin}`);
        this.reply(encodeError(new Uint8Array(0)));
        return;
      case 'ack':
        return;
      case 'unknown':
        this.reply(encodeAck(frame));
        return;
      case 'stream':
        this.enqueue(frame);
        return;
    }
  }

  private enqueue(frame: StreamFrame): void {
    this.queued += 1;
    if (this.queued >= MAX_QUEUED && !this.paused) {
      this.paused = true;
      this.options.ws.pause();
    }
    this.queue = this.queue
      .then(() => this.apply(frame))
      .finally(() => {
        this.queued -= 1;
        if (this.paused && this.queued < MAX_QUEUED / 2) {
          this.paused = false;
          this.options.ws.resume();
        }
      });
  }

  private async apply(frame: StreamFrame): Promise<void> {
    if (this.closed) return;
    const { vin } = this.options;
    if (frame.topic === '') {
      this.options.refuse('malformed_frame', `a message without topic from ${vin}`);
      this.reply(encodeError(frame.txid));
      return;
    }
    const decoded = decodePayload(frame.topic, frame.payload);
    if (!decoded.ok) {
      this.options.refuse('malformed_frame', `${decoded.reason}, from ${vin}`);
      this.reply(encodeError(frame.txid));
      return;
    }
    const record = decoded.record;
    if ('vin' in record && record.vin !== '' && record.vin !== vin) {
      this.options.refuse('vin_mismatch', `certificate ${vin}, message ${record.vin.slice(0, 32)}`);
      this.close(1008, 'vin does not match the certificate');
      return;
    }
    const now = this.options.clock.now();
    const carAt = carTime(record, frame, now);
    try {
      await this.options.sink.receive(vin, record, carAt);
    } catch (error) {
      // Not saved: not acked, so the car sends it again.
      this.options.log.warn(`telemetry from ${vin} not saved, left unacked: ${errorMessage(error)}`);
      return;
    }
    this.messages += 1;
    this.lastMessageAt = now;
    this.reply(encodeAck(frame));
  }
}

/** The car's time of a message: the payload's created_at, else the envelope's; never in the future. */
export function carTime(record: TelemetryRecord, frame: StreamFrame, now: number): number {
  const fromPayload = record.topic === 'V' ? record.createdAtMs : undefined;
  const stamped = fromPayload ?? (frame.createdAt > 0 ? frame.createdAt * 1000 : undefined);
  return stamped === undefined ? now : Math.min(stamped, now);
}

function toBytes(data: import('ws').RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
