import type { Clock } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { type IncomingMessage, type MqttConnect, MqttConnection } from '../mqtt/connection.js';
import { Topics } from '../mqtt/topics.js';
import type { InputTarget, TelemetryInput } from './input.js';

export interface FeedOptions {
  /** Read at start: the embedded broker's URL is known only once it listens. */
  url: () => string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  tls?: { ca?: string | undefined; cert?: string | undefined; key?: string | undefined; rejectUnauthorized: boolean } | undefined;
  /** teslahub's base topic: this connection's own online/offline state goes under `<base>/telemetry`. */
  baseTopic: string;
  discoveryPrefix: string;
  clock: Clock;
  log: Logger;
  connect?: MqttConnect;
}

export type FeedListener = (up: boolean, problem: string | undefined) => void;

/**
 * The subscription to fleet-telemetry's MQTT output: its own MQTT session (on the same broker as
 * teslahub's or another one), with the same reconnect behaviour. MQTT 3.1.1 on purpose: a live
 * message then never carries the retain flag, so values replayed from the broker on subscribe
 * (which may be hours old) are told apart from values that just arrived.
 */
export class TelemetryFeed implements TelemetryInput {
  readonly name = 'telemetry-feed';
  readonly kind = 'broker';
  private readonly connection: MqttConnection;
  private readonly bus = new EventBus<DaemonEvents>(() => undefined);
  private readonly listeners = new Set<FeedListener>();

  constructor(options: FeedOptions) {
    const { url } = options;
    this.connection = new MqttConnection({
      get url() {
        return url();
      },
      clientId: options.clientId,
      protocolVersion: 4,
      username: options.username,
      password: options.password,
      ...(options.tls ? { tls: options.tls } : {}),
      topics: new Topics(`${options.baseTopic}/telemetry`, options.discoveryPrefix),
      log: options.log,
      clock: options.clock,
      bus: this.bus,
      ...(options.connect ? { connect: options.connect } : {}),
    });
    this.bus.on(this, 'mqtt.connected', () => this.tell(true, undefined));
    this.bus.on(this, 'mqtt.disconnected', (event) => this.tell(false, event.reason));
  }

  get connected(): boolean {
    return this.connection.connected;
  }

  get url(): string {
    return this.connection.url;
  }

  get problem(): string | undefined {
    return this.connection.problem;
  }

  onChange(listener: FeedListener): void {
    this.listeners.add(listener);
  }

  subscribe(owner: object, filter: string, handler: (message: IncomingMessage) => void): void {
    this.connection.subscribe(owner, filter, handler);
  }

  /** Subscribes fleet-telemetry's topic tree and hands every message to the consumer. */
  attach(owner: object, target: InputTarget): void {
    for (const filter of target.topics.filters) this.subscribe(owner, filter, (message) => target.consumer.handle(message));
  }

  async start(): Promise<void> {
    await this.connection.start();
  }

  async stop(): Promise<void> {
    this.bus.removeOwner(this);
    await this.connection.stop();
  }

  private tell(up: boolean, problem: string | undefined): void {
    for (const listener of this.listeners) listener(up, problem);
  }
}
