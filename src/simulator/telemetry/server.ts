import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Clock, Timer } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { TelemetryTopics } from '../../mqtt/topics.js';
import { stableUuid } from '../util/random.js';
import type { Vehicle } from '../vehicle/vehicle.js';
import type { World } from '../world/world.js';
import { asSent, carFieldValues } from './car-fields.js';
import { CarStream, type StreamFieldOptions } from './car-stream.js';
import type { CarConfig, TelemetryConfigs } from './configs.js';

/** Where the simulated fleet-telemetry server listens (what cars must be configured with) and publishes. */
export interface TelemetryServerOptions {
  /** The MQTT broker its dispatcher publishes to. */
  brokerUrl: string;
  hostname: string;
  /** Default 443. */
  port?: number;
  /** fleet-telemetry's mqtt.topic_base; default `telemetry`. */
  topicBase?: string;
  /** Default 1. */
  qos?: 0 | 1;
  /** Default true (each topic keeps its last value). */
  retained?: boolean;
  /** Delay of the first look at the cars, ms (default 0): shifts the ticks off the whole seconds. */
  phaseMs?: number;
  username?: string;
  password?: string;
}

export interface TelemetryServerDeps {
  world: World;
  configs: TelemetryConfigs;
  clock: Clock;
  /** Tesla bills every value a car streams. */
  bill(signals: number): void;
  log?: Logger;
  connect?: (url: string, options: IClientOptions) => MqttClient;
}

/**
 * How often connected cars are looked at: as often as the cars that stream straight to teslahub
 * (car-streamer.ts), so both paths bill the same signals for the same day (the real car sends in
 * 500 ms buckets, whichever server it dials); asleep cars reconnect within 30 s.
 */
export const CONNECTED_TICK_MS = 1_000;
export const IDLE_TICK_MS = 30_000;

interface CarLink {
  stream: CarStream;
  connectionId: string | undefined;
  /** pushedAt of the configuration the stream follows. */
  configAt: number | undefined;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The fleet-telemetry server role: cars whose adopted configuration
 * points at this server's host and port connect while awake, and their values go out through the
 * MQTT dispatcher in its exact format: `<base>/<VIN>/v/<Field>` with the bare JSON value,
 * `<base>/<VIN>/connectivity` with ConnectionId, Status and CreatedAt. A car that falls asleep
 * disconnects. A car whose configuration names another host, or that cannot reach this server
 * (`reachable = false`), reports an error Tesla lists in fleet_telemetry_errors.
 */
export class FleetTelemetryServer {
  /** Cars can reach the server (false: as if it were down or behind a closed port). */
  reachable = true;
  private client: MqttClient | undefined;
  private options: Required<Omit<TelemetryServerOptions, 'username' | 'password' | 'phaseMs'>> | undefined;
  private topics = new TelemetryTopics('telemetry');
  private timer: Timer | undefined;
  private readonly links = new Map<string, CarLink>();
  private pending = 0;
  private acked = 0;
  private readonly deps: TelemetryServerDeps;

  constructor(deps: TelemetryServerDeps) {
    this.deps = deps;
  }

  /** Publishes not yet confirmed by the broker (for tests and the bench waiting for quiet). */
  get inFlight(): number {
    return this.pending;
  }

  /** Whether its MQTT client is connected to the broker right now. */
  get brokerConnected(): boolean {
    return this.client?.connected === true;
  }

  /** Publishes the broker confirmed. */
  get published(): number {
    return this.acked;
  }

  async start(options: TelemetryServerOptions): Promise<void> {
    if (this.client) await this.stop();
    const { phaseMs: _phase, ...rest } = options;
    this.options = { port: 443, topicBase: 'telemetry', qos: 1, retained: true, ...rest };
    this.topics = new TelemetryTopics(this.options.topicBase);
    const connect = this.deps.connect ?? mqtt.connect;
    const client = connect(options.brokerUrl, {
      clientId: `fleet-telemetry-sim-${Math.random().toString(16).slice(2, 10)}`,
      reconnectPeriod: 500,
      connectTimeout: 5_000,
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
    });
    client.on('error', (error) => this.deps.log?.debug(`fleet-telemetry simulator: MQTT ${errorMessage(error)}`));
    this.client = client;
    // Like the real server, it waits for its broker at start.
    await new Promise<void>((resolve, reject) => {
      const timer = this.deps.clock.setTimeout(() => reject(new Error(`the fleet-telemetry simulator could not reach ${options.brokerUrl}`)), 10_000);
      client.once('connect', () => {
        timer.cancel();
        resolve();
      });
    });
    if (options.phaseMs) this.timer = this.deps.clock.setTimeout(() => this.tick(), options.phaseMs);
    else this.tick();
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    this.links.clear();
    if (client) await client.endAsync(true).catch(() => undefined);
  }

  /** Looks at every car now (also runs on its own timer). */
  tick(): void {
    this.timer?.cancel();
    const options = this.options;
    if (!this.client || !options) return;
    const now = this.deps.clock.now();
    this.deps.world.advanceTo(now);
    let anyConnected = false;
    for (const car of this.deps.world.vehicles) anyConnected = this.step(car, now, options) || anyConnected;
    this.timer = this.deps.clock.setTimeout(() => this.tick(), anyConnected ? CONNECTED_TICK_MS : IDLE_TICK_MS);
  }

  /** One car; true while it is connected. */
  private step(car: Vehicle, now: number, options: NonNullable<FleetTelemetryServer['options']>): boolean {
    const { configs } = this.deps;
    const link = this.links.get(car.vin) ?? { stream: new CarStream(), connectionId: undefined, configAt: undefined };
    this.links.set(car.vin, link);
    const awake = car.status === 'online';
    if (awake && car.state.keyPaired) configs.adoptPending(car.vin, now);
    const config = configs.forCar(car.vin).find((c) => c.synced && this.targets(c, options));
    const usable = awake && car.state.keyPaired && this.reachable && config !== undefined && !expired(config, now);
    if (awake) this.reportUnreachable(car, now, options);
    if (!usable || !config) {
      if (link.connectionId !== undefined) this.connectivity(car.vin, link, 'DISCONNECTED', now, options);
      link.connectionId = undefined;
      return false;
    }
    if (link.configAt !== config.pushedAt) {
      link.configAt = config.pushedAt;
      link.stream.reconfigure(fieldsOf(config));
    }
    if (link.connectionId === undefined) {
      link.connectionId = stableUuid(`${car.vin}:${now}`);
      link.stream.connected();
      configs.clearErrors(config.clientId, car.vin);
      this.connectivity(car.vin, link, 'CONNECTED', now, options);
    }
    const preferTyped = config.claims.prefer_typed === true;
    const sent = link.stream.step(now, carFieldValues(car, now), fieldsOf(config));
    for (const [name, value] of sent) this.publish(this.topics.field(car.vin, name), JSON.stringify(asSent(name, value, preferTyped)), options);
    if (sent.length > 0) this.deps.bill(sent.length);
    return true;
  }

  private targets(config: CarConfig, options: { hostname: string; port: number }): boolean {
    return config.claims.hostname === options.hostname && config.claims.port === options.port;
  }

  /** An awake car with an adopted configuration it cannot use tells Tesla why. */
  private reportUnreachable(car: Vehicle, now: number, options: { hostname: string; port: number }): void {
    for (const config of this.deps.configs.forCar(car.vin)) {
      if (!config.synced || !car.state.keyPaired) continue;
      const host = String(config.claims.hostname);
      const error = !this.targets(config, options)
        ? `dial tcp: lookup ${host}: no such host`
        : !this.reachable
          ? `dial tcp ${host}:${String(config.claims.port)}: connect: connection refused`
          : undefined;
      if (error) this.deps.configs.report(config.clientId, { vin: car.vin, name: config.clientId, error, at: now });
    }
  }

  private connectivity(
    vin: string,
    link: CarLink,
    status: 'CONNECTED' | 'DISCONNECTED',
    now: number,
    options: NonNullable<FleetTelemetryServer['options']>,
  ): void {
    const payload = { ConnectionId: link.connectionId ?? '', Status: status, CreatedAt: rfc3339(now) };
    this.publish(this.topics.connectivity(vin), JSON.stringify(payload), options);
  }

  private publish(topic: string, payload: string, options: { qos: 0 | 1; retained: boolean }): void {
    const client = this.client;
    // Without its broker the server cannot dispatch; without reliable acks the values are lost.
    if (!client?.connected) return;
    this.pending += 1;
    client.publish(topic, payload, { qos: options.qos, retain: options.retained }, (error) => {
      this.pending -= 1;
      if (!error) this.acked += 1;
    });
  }
}

function fieldsOf(config: CarConfig): Record<string, StreamFieldOptions> {
  const fields = config.claims.fields;
  return typeof fields === 'object' && fields !== null ? (fields as Record<string, StreamFieldOptions>) : {};
}

function expired(config: CarConfig, now: number): boolean {
  const exp = config.claims.exp;
  return typeof exp === 'number' && exp * 1000 <= now;
}
