import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { Clock, Timer } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { decodeFrame, encodeStream } from '../../telemetry/wire/envelope.js';

/**
 * The car's side of Fleet Telemetry (docs/telemetry-wire.md): it dials
 * `wss://hostname:port/` with its client certificate (CN = VIN), sends each message as a
 * FlatBuffers envelope, keeps every message until the server acks it, resends what is unacked
 * after a reconnect, keeps at most `maxBuffered` (the oldest go first), and reconnects with a
 * doubling backoff capped at 30 s.
 */

export interface CarClientOptions {
  url: string;
  /** Server name for SNI and the certificate check (the configuration's hostname). */
  servername: string;
  /** The chain the car trusts for the server (the configuration's `ca`). */
  ca: string;
  cert: string;
  key: string;
  vin: string;
  clock: Clock;
  log?: Logger | undefined;
  maxBuffered?: number;
  backoffStartMs?: number;
  backoffMaxMs?: number;
}

interface Outgoing {
  txid: Uint8Array;
  topic: string;
  createdAt: number;
  /** The payload, built when sent (a resend carries is_resend). */
  build: (resend: boolean) => Uint8Array;
  sent: number;
  lastSentAt: number;
}

export const CAR_BUFFER = 5_000;
export const CAR_BACKOFF_MAX_MS = 30_000;

export class CarClient {
  /** Messages acked by the server, error replies received, connections made. */
  acked = 0;
  errors = 0;
  connects = 0;
  private ws: WebSocket | undefined;
  private open = false;
  private halted = true;
  private retry: Timer | undefined;
  private backoff: number;
  private readonly buffer = new Map<string, Outgoing>();
  private readonly ackListeners = new Set<(topic: string, at: number) => void>();
  private readonly connectListeners = new Set<() => void>();
  private readonly options: CarClientOptions;

  constructor(options: CarClientOptions) {
    this.options = options;
    this.backoff = options.backoffStartMs ?? 1000;
  }

  get connected(): boolean {
    return this.open;
  }

  /** Not started, or stopped (the car is asleep): it does not dial. */
  get stopped(): boolean {
    return this.halted;
  }

  /** A connection is being opened (TCP, TLS, the WebSocket upgrade). */
  get dialing(): boolean {
    return this.ws !== undefined && !this.open;
  }

  /** Messages not acked yet. */
  get unacked(): number {
    return this.buffer.size;
  }

  onAck(listener: (topic: string, createdAt: number) => void): void {
    this.ackListeners.add(listener);
  }

  onConnect(listener: () => void): void {
    this.connectListeners.add(listener);
  }

  /** Sends again, on the open connection, what was sent before `before` (car time) and not acked. */
  resendOlderThan(before: number): void {
    if (!this.open) return;
    for (const message of this.buffer.values()) if (message.sent > 0 && message.lastSentAt < before) this.write(message);
  }

  start(): void {
    if (!this.halted) return;
    this.halted = false;
    this.dial();
  }

  stop(): void {
    this.halted = true;
    this.retry?.cancel();
    this.retry = undefined;
    this.open = false;
    this.ws?.terminate();
    this.ws = undefined;
  }

  /** Queues a message and sends it now when connected. */
  send(topic: string, createdAtMs: number, build: (resend: boolean) => Uint8Array): void {
    const txid = randomBytes(16);
    const message: Outgoing = { txid, topic, createdAt: Math.floor(createdAtMs / 1000), build, sent: 0, lastSentAt: 0 };
    this.buffer.set(txid.toString('hex'), message);
    const limit = this.options.maxBuffered ?? CAR_BUFFER;
    for (const key of this.buffer.keys()) {
      if (this.buffer.size <= limit) break;
      this.buffer.delete(key);
    }
    if (this.open) this.write(message);
  }

  private write(message: Outgoing): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const payload = message.build(message.sent > 0);
    message.sent += 1;
    message.lastSentAt = this.options.clock.now();
    const frame = encodeStream({
      txid: message.txid,
      topic: message.topic,
      messageId: message.txid,
      createdAt: message.createdAt,
      senderId: `vehicle_device.${this.options.vin}`,
      deviceType: 'vehicle_device',
      deviceId: this.options.vin,
      deliveredAtMs: 0,
      payload,
    });
    ws.send(frame, { binary: true });
  }

  private dial(): void {
    if (this.halted) return;
    const { options } = this;
    // ws hands these to tls.connect (servername: SNI and the name the server certificate must cover).
    const tlsOptions = {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      servername: options.servername,
      handshakeTimeout: 10_000,
      perMessageDeflate: false,
      headers: { Version: 'teslahub-simulator' },
    };
    const ws = new WebSocket(options.url, tlsOptions);
    this.ws = ws;
    ws.on('open', () => {
      this.open = true;
      this.connects += 1;
      this.backoff = options.backoffStartMs ?? 1000;
      for (const listener of this.connectListeners) listener();
      // Everything not acked goes again, oldest first.
      for (const message of this.buffer.values()) this.write(message);
    });
    ws.on('message', (data: Buffer) => this.reply(data));
    ws.on('error', (error) => options.log?.debug(`car ${options.vin}: ${error.message}`));
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.open = false;
      this.ws = undefined;
      this.scheduleDial();
    });
  }

  private scheduleDial(): void {
    if (this.halted) return;
    const wait = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.options.backoffMaxMs ?? CAR_BACKOFF_MAX_MS);
    this.retry = this.options.clock.setTimeout(() => this.dial(), wait);
  }

  private reply(data: Buffer): void {
    const frame = decodeFrame(data);
    if (frame.kind === 'ack') {
      const key = Buffer.from(frame.txid).toString('hex');
      const message = this.buffer.get(key);
      if (!message) return;
      this.buffer.delete(key);
      this.acked += 1;
      for (const listener of this.ackListeners) listener(message.topic, message.createdAt);
      return;
    }
    if (frame.kind === 'stream' && frame.topic === '') {
      // The server could not read a message: it is dropped rather than sent forever.
      this.errors += 1;
      this.buffer.delete(Buffer.from(frame.txid).toString('hex'));
    }
  }
}
