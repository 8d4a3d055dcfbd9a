import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { Backoff } from '../core/backoff.js';
import type { Clock, Timer } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import { errnoCode, errorMessage } from '../core/errors.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import { describeMqttError } from './errors.js';
import { type Topics, topicMatches } from './topics.js';

export type MqttConnect = (url: string, options: IClientOptions) => MqttClient;

export interface MqttConnectionOptions {
  url: string;
  clientId: string;
  protocolVersion: 4 | 5;
  username?: string | undefined;
  password?: string | undefined;
  tls?: { ca?: string | undefined; cert?: string | undefined; key?: string | undefined; rejectUnauthorized: boolean };
  topics: Topics;
  log: Logger;
  clock: Clock;
  bus: EventBus<DaemonEvents>;
  /** mqtt.js's connect, replaceable in tests. */
  connect?: MqttConnect;
  reconnect?: { initialMs: number; maxMs: number };
}

export interface IncomingMessage {
  topic: string;
  payload: Buffer;
  retain: boolean;
  /** MQTT 5 request/response properties, when the sender set them. */
  responseTopic?: string;
  correlationData?: Buffer;
}

type MessageHandler = (message: IncomingMessage) => void | Promise<void>;

interface Subscription {
  owner: object;
  filter: string;
  handler: MessageHandler;
}

export interface PublishOptions {
  retain: boolean;
  qos?: 0 | 1;
  properties?: { correlationData?: Buffer };
}

/**
 * The daemon's MQTT session. It keeps trying to reach the broker from the first attempt on, with
 * capped exponential backoff; it marks the bridge `online` (retained) on every connect with
 * `offline` as the will; it drops publishes while disconnected rather than queueing them (the
 * publisher republishes current state on reconnect); and it re-subscribes everything after each
 * connect, since a clean session forgets subscriptions.
 */
export class MqttConnection implements Service {
  readonly name = 'mqtt';
  private client: MqttClient | undefined;
  private subscriptions: Subscription[] = [];
  private reconnectTimer: Timer | undefined;
  private stopping = false;
  private everConnected = false;
  private isConnected = false;
  private lastProblem: string | undefined;
  private readonly backoff: Backoff;
  private readonly options: MqttConnectionOptions;
  private protocolVersion: 4 | 5;

  constructor(options: MqttConnectionOptions) {
    this.options = options;
    this.protocolVersion = options.protocolVersion;
    this.backoff = new Backoff({
      initialMs: options.reconnect?.initialMs ?? 500,
      maxMs: options.reconnect?.maxMs ?? 10_000,
    });
  }

  get connected(): boolean {
    return this.isConnected;
  }

  get url(): string {
    return this.options.url;
  }

  /** The last reason a connection attempt failed, for health reports. */
  get problem(): string | undefined {
    return this.lastProblem;
  }

  async start(): Promise<void> {
    const { url, topics, log } = this.options;
    const connect = this.options.connect ?? mqtt.connect;
    const client = connect(url, this.clientOptions());
    this.client = client;
    client.on('connect', () => this.onConnect(client));
    client.on('close', () => this.onClose());
    client.on('error', (error) => this.onError(error));
    client.on('message', (topic, payload, packet) => {
      void this.dispatch({
        topic,
        payload,
        retain: packet.retain,
        ...(packet.properties?.responseTopic ? { responseTopic: packet.properties.responseTopic } : {}),
        ...(packet.properties?.correlationData ? { correlationData: packet.properties.correlationData } : {}),
      });
    });
    log.info(`connecting to MQTT broker ${redactUrl(url)}`, { bridgeState: topics.bridgeState });
    client.connect();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.reconnectTimer?.cancel();
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    if (this.isConnected) {
      // The will only fires on an unclean loss; a clean shutdown says offline itself.
      await this.withDeadline(client.publishAsync(this.options.topics.bridgeState, 'offline', { retain: true, qos: 1 }), 1500);
    }
    await this.withDeadline(client.endAsync(), 1500);
    client.end(true);
    this.isConnected = false;
  }

  /** Publishes now, or drops the message when not connected. Returns whether it was sent. */
  publish(topic: string, payload: string | Buffer, options: PublishOptions): boolean {
    const client = this.client;
    if (!client || !this.isConnected) return false;
    client.publish(
      topic,
      payload,
      {
        retain: options.retain,
        qos: options.qos ?? 0,
        ...(options.properties && this.protocolVersion === 5 ? { properties: options.properties } : {}),
      },
      (error) => {
        if (error) this.options.log.debug('publish not completed', { topic, error: errorMessage(error) });
      },
    );
    return true;
  }

  /** Every filter the daemon subscribes to. */
  get filters(): string[] {
    return [...new Set(this.subscriptions.map((s) => s.filter))];
  }

  subscribe(owner: object, filter: string, handler: MessageHandler): void {
    this.subscriptions.push({ owner, filter, handler });
    if (this.client && this.isConnected) this.client.subscribe(filter, this.subscribeOptions());
  }

  /**
   * MQTT 5's retain-as-published keeps the retain flag on live deliveries too, so a retained
   * command is recognised however it arrives (3.1.1 brokers only flag replays on subscribe).
   */
  private subscribeOptions(): { qos: 1; rap?: boolean } {
    return this.protocolVersion === 5 ? { qos: 1, rap: true } : { qos: 1 };
  }

  unsubscribeOwner(owner: object): void {
    const removed = this.subscriptions.filter((s) => s.owner === owner).map((s) => s.filter);
    this.subscriptions = this.subscriptions.filter((s) => s.owner !== owner);
    const stillWanted = new Set(this.subscriptions.map((s) => s.filter));
    const drop = [...new Set(removed)].filter((filter) => !stillWanted.has(filter));
    if (drop.length > 0 && this.client && this.isConnected) this.client.unsubscribe(drop);
  }

  private clientOptions(): IClientOptions {
    const { clientId, username, password, tls, topics } = this.options;
    return {
      clientId,
      protocolVersion: this.protocolVersion,
      clean: true,
      keepalive: 30,
      connectTimeout: 10_000,
      // Reconnects are ours (with backoff); mqtt.js would retry at a fixed period.
      reconnectPeriod: 0,
      manualConnect: true,
      resubscribe: false,
      queueQoSZero: false,
      // Without this, mqtt.js's packet writer keeps 65,536 ready-made two-byte buffers for packet ids and
      // lengths: about 6 MiB of heap for the daemon's life, to save a 2-byte allocation per packet.
      writeCache: false,
      will: { topic: topics.bridgeState, payload: Buffer.from('offline'), qos: 1, retain: true },
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(tls
        ? {
            rejectUnauthorized: tls.rejectUnauthorized,
            ...(tls.ca ? { ca: readFileSync(tls.ca) } : {}),
            ...(tls.cert ? { cert: readFileSync(tls.cert) } : {}),
            ...(tls.key ? { key: readFileSync(tls.key) } : {}),
          }
        : {}),
    };
  }

  private onConnect(client: MqttClient): void {
    const { log, topics, bus, url } = this.options;
    const reconnect = this.everConnected;
    this.everConnected = true;
    this.isConnected = true;
    this.lastProblem = undefined;
    this.backoff.reset();
    log.info(reconnect ? `reconnected to MQTT broker ${redactUrl(url)}` : `connected to MQTT broker ${redactUrl(url)}`, {
      protocol: this.protocolVersion === 5 ? 'MQTT 5' : 'MQTT 3.1.1',
    });
    client.publish(topics.bridgeState, 'online', { retain: true, qos: 1 });
    const filters = this.filters;
    if (filters.length > 0) client.subscribe(filters, this.subscribeOptions());
    bus.emit('mqtt.connected', { url, reconnect });
  }

  private onClose(): void {
    const wasConnected = this.isConnected;
    this.isConnected = false;
    if (this.stopping) return;
    if (wasConnected) {
      this.lastProblem = 'connection to the broker lost';
      this.options.log.warn(`lost connection to MQTT broker ${redactUrl(this.options.url)}; reconnecting`);
      this.options.bus.emit('mqtt.disconnected', { url: this.options.url, reason: this.lastProblem });
    }
    this.scheduleReconnect();
  }

  private onError(error: Error): void {
    const { log } = this.options;
    if (this.protocolVersion === 5 && isUnsupportedProtocol(error)) {
      this.protocolVersion = 4;
      if (this.client) this.client.options.protocolVersion = 4;
      log.warn('the MQTT broker does not speak MQTT 5; using MQTT 3.1.1 (set mqtt.protocol_version: 4 to skip this step)');
      return;
    }
    const described = describeMqttError(error, this.options.url);
    const repeated = described === this.lastProblem;
    this.lastProblem = described;
    // The first occurrence is a warning; identical retries only at debug level, so an outage
    // of hours does not flood the log.
    if (repeated) log.debug(described, { code: errnoCode(error) });
    else log.warn(described, { code: errnoCode(error) });
  }

  private scheduleReconnect(): void {
    if (this.stopping || this.reconnectTimer) return;
    const delay = this.backoff.next();
    this.options.log.debug('next MQTT connection attempt', { inMs: delay, attempt: this.backoff.attempts });
    this.reconnectTimer = this.options.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.stopping) this.client?.reconnect();
    }, delay);
  }

  private async dispatch(message: IncomingMessage): Promise<void> {
    for (const subscription of this.subscriptions) {
      if (!topicMatches(subscription.filter, message.topic)) continue;
      try {
        await subscription.handler(message);
      } catch (error) {
        this.options.log.error('MQTT message handler failed', { topic: message.topic, error });
      }
    }
  }

  private async withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
    let timer: Timer | undefined;
    await Promise.race([
      work.catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = this.options.clock.setTimeout(resolve, ms);
      }),
    ]);
    timer?.cancel();
  }
}

function isUnsupportedProtocol(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 132 || code === 1 || /unsupported protocol version|unacceptable protocol version/i.test(error.message);
}

/** The broker URL without a password, for log lines. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
