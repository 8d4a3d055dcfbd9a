import type { Clock, Timer } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { UsageSink } from '../fleet/meter.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import { TelemetryTopics } from '../mqtt/topics.js';
import type { TelemetryConfig } from './config-schema.js';
import { emptyStream, type Link, TelemetryConsumer } from './consumer.js';
import type { Verdict } from './explain.js';
import type { ReceiverStatus } from '../http/web/providers.js';
import { nextStep, type StreamingCard, type StreamingCarRow } from './card.js';
import type { TelemetryInput } from './input.js';
import { certificateFacts } from './receiver/certificate-check.js';
import { type StreamFacts, type StreamHealth, streamHealth } from './health.js';
import type { TelemetryError } from './partner-errors.js';
import type { TelemetryUpkeep } from './upkeep.js';

export interface TelemetryServiceDeps {
  config: TelemetryConfig;
  /** Where the cars' values arrive: fleet-telemetry's MQTT output, or the built-in receiver. */
  feed: TelemetryInput;
  /** Built once the service exists (it reports into the service). */
  upkeep: (report: TelemetryService['report']) => TelemetryUpkeep;
  registry: DeviceRegistry;
  bus: EventBus<DaemonEvents>;
  clock: Clock;
  log: Logger;
  meter: UsageSink;
  topicId: (vin: string) => string;
  heartbeatMs: number;
}

/**
 * Fleet Telemetry in the daemon: listens to fleet-telemetry's MQTT output, keeps the cars'
 * configurations in order, and decides per car whether the stream can be relied on. Each change
 * of that decision is announced (telemetry.status for the poller, a bridge event for people) and
 * written to the car's `stream`, where the data_source entity and bridge/info show it.
 */
export class TelemetryService implements Service {
  readonly name = 'telemetry';
  readonly consumer: TelemetryConsumer;
  private readonly topics: TelemetryTopics;
  private readonly facts = new Map<string, StreamFacts>();
  private readonly health = new Map<string, StreamHealth>();
  private readonly timers = new Map<string, Timer>();
  private feedUp = false;
  private stopped = false;
  private feedUpSince: number | undefined;
  private feedProblem: string | undefined;
  private readonly upkeep: TelemetryUpkeep;
  private readonly deps: TelemetryServiceDeps;

  constructor(deps: TelemetryServiceDeps) {
    this.deps = deps;
    this.topics = new TelemetryTopics(deps.config.mqtt.topic_base);
    this.consumer = new TelemetryConsumer({
      topics: this.topics,
      registry: deps.registry,
      bus: deps.bus,
      clock: deps.clock,
      log: deps.log,
      meter: deps.meter,
      topicId: deps.topicId,
      onLive: (vin, link) => this.live(vin, link),
      onReplayedLink: (vin, link) => {
        // Kept for a car not known yet: it is evaluated when it appears.
        this.factsOf(vin).link = link;
        if (this.deps.registry.vehicle(vin)) this.evaluate(vin);
      },
    });
    this.upkeep = deps.upkeep((vin, verdict, errors) => this.report(vin, verdict, errors));
  }

  /** The built-in receiver's state, when it is the input. */
  receiverStatus(): ReceiverStatus | undefined {
    return this.deps.feed.receiverStatus?.();
  }

  /** The web page's streaming card: receiver, certificate, each car, and the next step. */
  card(): StreamingCard {
    const { config, clock, registry } = this.deps;
    const receiver = this.receiverStatus();
    const chain = this.deps.feed.serverChain?.();
    const certificate = chain === undefined ? undefined : certificateFacts(chain, config.hostname, clock.now());
    const connected = new Map(receiver?.connections.map((c) => [c.vin, c]) ?? []);
    const cars: StreamingCarRow[] = registry.vehicles().map((vehicle) => {
      const facts = this.facts.get(vehicle.vin);
      const health = this.health.get(vehicle.vin);
      const verdict = facts?.config;
      return {
        vin: vehicle.vin,
        configured: verdict === undefined ? 'not checked yet' : verdict.ok ? verdict.message : `${verdict.message} (fix: ${verdict.fix})`,
        configOk: verdict?.ok === true,
        synced: verdict === undefined ? undefined : verdict.ok || verdict.code !== 'not_synced',
        connected: config.source === 'builtin' ? connected.has(vehicle.vin) : facts?.link === 'connected',
        lastMessageAt: vehicle.stream?.lastAt,
        heardAt: connected.get(vehicle.vin)?.heardAt,
        mode: health?.streaming ? 'stream' : 'poll',
        reason: health?.reason ?? "checking the car's streaming configuration",
      };
    });
    return {
      source: config.source,
      hostname: config.hostname,
      port: config.port,
      receiver,
      certificate,
      cars,
      next: nextStep(config, receiver, certificate, cars),
    };
  }

  /** The poller's question: does this car stream healthily right now? */
  streaming(vin: string): { streaming: boolean; reason: string } | undefined {
    const health = this.health.get(vin);
    return health ? { streaming: health.streaming, reason: health.reason } : { streaming: false, reason: "checking the car's streaming configuration" };
  }

  /** For bridge/info: each car's mode and reason, and the broker. */
  info(): Record<string, unknown> {
    const cars: Record<string, unknown> = {};
    for (const vehicle of this.deps.registry.vehicles()) {
      const health = this.health.get(vehicle.vin);
      cars[this.deps.topicId(vehicle.vin)] = {
        mode: health?.streaming ? 'stream' : 'poll',
        reason: health?.reason ?? "checking the car's streaming configuration",
        link: this.facts.get(vehicle.vin)?.link ?? 'unknown',
        last_stream_at: vehicle.stream?.lastAt === undefined ? null : new Date(vehicle.stream.lastAt).toISOString(),
      };
    }
    const input = { url: this.deps.feed.url, connected: this.feedUp, ...(this.feedProblem ? { problem: this.feedProblem } : {}) };
    return { ...(this.deps.feed.kind === 'receiver' ? { receiver: input } : { broker: input }), vehicles: cars };
  }

  async start(): Promise<void> {
    const { feed, bus } = this.deps;
    feed.onChange((up, problem) => {
      this.feedUp = up;
      this.feedProblem = up ? undefined : problem;
      if (up) this.feedUpSince = this.deps.clock.now();
      if (feed.kind === 'broker')
        this.deps.log.info(
          up
            ? `listening to fleet-telemetry on ${feed.url}`
            : `lost the telemetry broker (${problem ?? 'disconnected'}); cars that stream fall back to polling`,
        );
      for (const vin of this.facts.keys()) this.evaluate(vin);
    });
    feed.attach(this, { consumer: this.consumer, topics: this.topics, flush: () => this.deps.registry.flush() });
    bus.on(this, 'device.updated', (ref) => {
      if (ref.kind === 'vehicle' && !this.health.has(ref.id)) {
        this.factsOf(ref.id);
        this.evaluate(ref.id);
        this.upkeep.soon();
      }
    });
    for (const vehicle of this.deps.registry.vehicles()) {
      this.factsOf(vehicle.vin);
      this.evaluate(vehicle.vin);
    }
    await feed.start();
    this.upkeep.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.deps.bus.removeOwner(this);
    for (const timer of this.timers.values()) timer.cancel();
    await this.upkeep.stop();
    await this.deps.feed.stop();
  }

  /** Upkeep's finding for one car. */
  report(vin: string, verdict: Verdict, errors: readonly TelemetryError[]): void {
    this.update(vin, (facts) => {
      if (verdict.ok && !facts.config?.ok) facts.configOkAt = this.deps.clock.now();
      facts.config = verdict;
      facts.errors = errors;
    });
  }

  private live(vin: string, link: Link | undefined): void {
    const now = this.deps.clock.now();
    const before = this.facts.get(vin)?.config;
    this.update(vin, (facts) => {
      facts.lastLiveAt = now;
      if (link) facts.link = link;
      if (link === 'connected') facts.connectedAt = now;
    });
    // Values from a car whose configuration was not adopted yet: it just was; confirm it now.
    if (before && !before.ok && before.code === 'not_synced') this.upkeep.soon(0);
  }

  private factsOf(vin: string): StreamFacts {
    let facts = this.facts.get(vin);
    if (!facts) {
      facts = {
        config: undefined,
        errors: [],
        feedUp: false,
        feedUpSince: undefined,
        feedProblem: undefined,
        link: this.startingLink(vin),
        connectedAt: undefined,
        lastLiveAt: undefined,
        heartbeatMs: this.deps.heartbeatMs,
      };
      this.facts.set(vin, facts);
    }
    return facts;
  }

  /**
   * A car's link before it is heard from in this run. The built-in receiver is the other end of
   * the link, so no car is connected to a receiver that just started: a car whose link was known
   * (it streamed here before, as the saved registry says) is disconnected — asleep, or about to
   * reconnect (within 30 s, sending every field). It is not polled meanwhile; a configuration or
   * an error that says otherwise still sends it to polling. Through fleet-telemetry's broker the
   * retained connectivity message says it instead.
   */
  private startingLink(vin: string): StreamFacts['link'] {
    if (this.deps.feed.kind !== 'receiver') return 'unknown';
    const stored = this.deps.registry.vehicle(vin)?.stream;
    return stored !== undefined && stored.link !== 'unknown' && stored.lastAt !== undefined ? 'disconnected' : 'unknown';
  }

  private update(vin: string, change: (facts: StreamFacts) => void): void {
    if (!this.deps.registry.vehicle(vin)) return;
    change(this.factsOf(vin));
    this.evaluate(vin);
  }

  private evaluate(vin: string): void {
    // Cars disconnecting while the input stops must not arm new timers.
    if (this.stopped || !this.deps.registry.vehicle(vin)) return;
    const facts = this.factsOf(vin);
    facts.feedUp = this.feedUp;
    facts.feedUpSince = this.feedUpSince;
    facts.feedProblem = this.feedProblem;
    facts.input = this.deps.feed.kind;
    const now = this.deps.clock.now();
    const health = streamHealth(facts, now);
    const previous = this.health.get(vin);
    this.health.set(vin, health);
    this.timers.get(vin)?.cancel();
    if (health.recheckAt !== undefined)
      this.timers.set(
        vin,
        this.deps.clock.setTimeout(() => this.evaluate(vin), Math.max(0, health.recheckAt - now + 1)),
      );
    const car = this.deps.registry.vehicle(vin);
    const stored = car?.stream;
    const modeChanged = previous?.streaming !== health.streaming;
    if (!modeChanged && previous?.reason === health.reason && stored?.link === facts.link) return;
    this.deps.registry.updateVehicle(vin, (v) => {
      const stream = (v.stream ??= emptyStream(now));
      if (stream.mode !== (health.streaming ? 'stream' : 'poll')) stream.since = now;
      stream.mode = health.streaming ? 'stream' : 'poll';
      stream.reason = health.reason;
      stream.link = facts.link;
    });
    if (!modeChanged) return;
    const { bus, log, topicId } = this.deps;
    bus.emit('telemetry.status', { vin, streaming: health.streaming, reason: health.reason });
    if (previous !== undefined || health.streaming) {
      bus.emit('bridge.event', {
        type: health.streaming ? 'telemetry_streaming' : 'telemetry_fallback',
        device: `vehicle.${topicId(vin)}`,
        reason: health.reason,
      });
      log.info(health.streaming ? `${vin} streams: ${health.reason}` : `${vin} falls back to polling: ${health.reason}`);
    }
  }
}
