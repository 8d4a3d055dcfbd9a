import type { Clock, Timer } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { encodeVehicleData } from '../../telemetry/wire/payload-encode.js';
import type { Vehicle } from '../vehicle/vehicle.js';
import type { World } from '../world/world.js';
import { CarClient } from './car-client.js';
import { asSent, carFieldValues } from './car-fields.js';
import { CarStream, type StreamFieldOptions } from './car-stream.js';
import type { CarConfig, TelemetryConfigs } from './configs.js';
import type { Issued } from './pki.js';

/** How the simulated cars reach a receiver whose host name is not in DNS (loopback tests, demo mode). */
export interface DirectStreamOptions {
  /** The configuration's hostname the cars stream to (SNI, certificate check). */
  hostname: string;
  port: number;
  /** Where that host name leads (default: the host name itself). */
  address?: string;
  /** Issues a car's client certificate (CN = VIN), as Tesla does in the factory. */
  certificate: (vin: string) => Issued;
  /** Delay of the first look at the cars, ms. */
  phaseMs?: number;
}

export interface CarStreamerDeps {
  world: World;
  configs: TelemetryConfigs;
  clock: Clock;
  bill(signals: number): void;
  log?: Logger | undefined;
}

/** How often cars are looked at: the real car sends in 500 ms buckets; awake cars here every second. */
export const STREAM_TICK_MS = 1_000;
export const STREAM_IDLE_TICK_MS = 5_000;
/** A message not acked after this long goes again on the open connection. */
export const RESEND_AFTER_MS = 30_000;

interface Link {
  stream: CarStream;
  client: CarClient | undefined;
  configAt: number | undefined;
  /** The car is dialing after waking up and its snapshot is already queued: the connection does not ask for another. */
  snapshotQueued: boolean;
}

/**
 * The simulated cars streaming straight to a Fleet Telemetry receiver over the real wire: each
 * awake car with a paired key and an adopted configuration for `hostname:port` dials it with its
 * client certificate, trusting the configuration's `ca`, and sends what changed (the emission
 * rules of car-stream.ts) as Fleet Telemetry messages stamped with the car's time. A car that
 * falls asleep disconnects and keeps what was not acked; it resends that when it connects again.
 */
export class CarStreamer {
  private options: DirectStreamOptions | undefined;
  private timer: Timer | undefined;
  private readonly links = new Map<string, Link>();
  private readonly deps: CarStreamerDeps;

  constructor(deps: CarStreamerDeps) {
    this.deps = deps;
  }

  /** The car clients (tests look at connections, acks and buffers). */
  client(vin: string): CarClient | undefined {
    return this.links.get(vin)?.client;
  }

  get clients(): CarClient[] {
    return [...this.links.values()].flatMap((link) => (link.client ? [link.client] : []));
  }

  start(options: DirectStreamOptions): void {
    this.stop();
    this.options = options;
    this.timer = this.deps.clock.setTimeout(() => this.tick(), options.phaseMs ?? 0);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    for (const link of this.links.values()) link.client?.stop();
    this.links.clear();
    this.options = undefined;
  }

  /** Looks at every car now (also runs on its own timer). */
  tick(): void {
    this.timer?.cancel();
    const options = this.options;
    if (!options) return;
    const now = this.deps.clock.now();
    this.deps.world.advanceTo(now);
    let anyAwake = false;
    for (const car of this.deps.world.vehicles) anyAwake = this.step(car, now, options) || anyAwake;
    this.timer = this.deps.clock.setTimeout(() => this.tick(), anyAwake ? STREAM_TICK_MS : STREAM_IDLE_TICK_MS);
  }

  private step(car: Vehicle, now: number, options: DirectStreamOptions): boolean {
    const { configs } = this.deps;
    const link = this.links.get(car.vin) ?? { stream: new CarStream(), client: undefined, configAt: undefined, snapshotQueued: false };
    this.links.set(car.vin, link);
    const awake = car.status === 'online';
    if (awake && car.state.keyPaired) configs.adoptPending(car.vin, now);
    const config = configs.forCar(car.vin).find((c) => c.synced && c.claims.hostname === options.hostname && c.claims.port === options.port);
    if (!awake || !car.state.keyPaired || !config || expired(config, now)) {
      link.client?.stop();
      return false;
    }
    if (link.configAt !== config.pushedAt || !link.client) {
      link.client?.stop();
      link.client = this.dial(car.vin, config, options);
      link.configAt = config.pushedAt;
      link.stream.reconfigure(fieldsOf(config));
    }
    const client = link.client;
    if (client.stopped) {
      // Waking up: every field goes out now, kept until the connection is up (sent once, not twice).
      link.stream.connected();
      link.snapshotQueued = true;
      client.start();
    }
    client.resendOlderThan(now - RESEND_AFTER_MS);
    const sent = link.stream.step(now, carFieldValues(car, now), fieldsOf(config));
    if (sent.length === 0) return true;
    const preferTyped = config.claims.prefer_typed === true;
    const data = sent.map(([name, value]) => [name, asSent(name, value, preferTyped)] as const);
    client.send('V', now, (resend) => encodeVehicleData({ vin: car.vin, createdAtMs: now, isResend: resend, data }));
    this.deps.bill(sent.length);
    return true;
  }

  private dial(vin: string, config: CarConfig, options: DirectStreamOptions): CarClient {
    const issued = options.certificate(vin);
    const client = new CarClient({
      url: `wss://${options.address ?? options.hostname}:${options.port}/`,
      servername: options.hostname,
      ca: typeof config.claims.ca === 'string' ? config.claims.ca : '',
      cert: issued.cert,
      key: issued.key,
      vin,
      clock: this.deps.clock,
      log: this.deps.log,
    });
    // A new connection sends every configured field, as a real car does; after a wake-up they are already queued.
    client.onConnect(() => {
      const link = this.links.get(vin);
      if (!link) return;
      if (link.snapshotQueued) link.snapshotQueued = false;
      else link.stream.connected();
    });
    return client;
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
