import type { Clock } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { UsageSink } from '../fleet/meter.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { VehicleSource, VehicleStream } from '../model/sources.js';
import type { IncomingMessage } from '../mqtt/connection.js';
import type { TelemetryTopics } from '../mqtt/topics.js';
import { type DecodeContext, fieldRule } from './field-map.js';
import { parsePayload } from './values.js';
import type { Record as CarRecord } from './wire/payload.js';

export type Link = VehicleStream['link'];

export interface ConsumerDeps {
  topics: TelemetryTopics;
  registry: DeviceRegistry;
  bus: EventBus<DaemonEvents>;
  clock: Pick<Clock, 'now'>;
  log: Logger;
  /** Every streamed value is a billed signal. */
  meter: UsageSink;
  /** The car's topic id for events (`vehicle.<id>`). */
  topicId: (vin: string) => string;
  /** Something live arrived from the car (`link` when it was a connectivity message). */
  onLive: (vin: string, link: Link | undefined) => void;
  /** The broker replayed a stored connectivity state (retained): the last known link, not news. */
  onReplayedLink: (vin: string, link: Link) => void;
}

/** What `stream` holds for a car that has not been seen on the stream yet. */
export function emptyStream(now: number): VehicleStream {
  return { mode: 'poll', reason: "checking the car's streaming configuration", since: now, link: 'unknown', at: {} };
}

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = root;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] ?? ''] = value;
}

function getPath(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Reads fleet-telemetry's MQTT output: each field value lands in the car's
 * data under its vehicle_data key (field-map.ts), stamped with its arrival time, because the
 * dispatcher publishes bare values; connectivity sets the car online or asleep without a single
 * call to Tesla; alerts and errors become bridge events. Values the broker replays on subscribe
 * (retained, possibly hours old) fill gaps only: they are not news, not a heartbeat, not billed.
 */
export class TelemetryConsumer {
  /** Messages taken in, and of those the live ones (for tests and the bench waiting for quiet). */
  received = 0;
  liveReceived = 0;
  private readonly unknownFields = new Set<string>();
  /** The last raw value per car and field, for fields read together (AC and DC power). */
  private readonly raw = new Map<string, Map<string, unknown>>();
  private readonly deps: ConsumerDeps;

  constructor(deps: ConsumerDeps) {
    this.deps = deps;
  }

  handle(message: IncomingMessage): void {
    this.received += 1;
    const topic = this.deps.topics.parse(message.topic);
    if (!topic) return;
    const { registry, log } = this.deps;
    const live = !message.retain;
    if (live) this.liveReceived += 1;
    const value = parsePayload(message.payload);
    // A link state is kept even before the car is known (right after a first start).
    if (topic.kind === 'connectivity') {
      this.connectivity(topic.vin, value, live);
      return;
    }
    // Tesla bills every value a car streams, shown or not (alerts count as signals too).
    if (live && (topic.kind === 'field' || topic.kind === 'alert')) this.deps.meter.record('signal', this.deps.clock.now());
    if (!registry.vehicle(topic.vin)) {
      log.debug(`telemetry for ${topic.vin}, which is not a car in use; ignored`);
      return;
    }
    switch (topic.kind) {
      case 'field':
        this.field(topic.vin, topic.field, value, live);
        return;
      case 'alert':
        if (live) this.alert(topic.vin, topic.name, value);
        return;
      case 'error':
        if (live) this.error(topic.vin, topic.name, value);
        return;
    }
  }

  private field(vin: string, name: string, value: unknown, live: boolean): void {
    const { registry, clock, log } = this.deps;
    const now = clock.now();
    const rule = fieldRule(name);
    if (!rule) {
      if (!this.unknownFields.has(name)) {
        this.unknownFields.add(name);
        log.debug(`streamed field ${name} has no entity in teslahub; counted, not shown`);
      }
      if (live) this.deps.onLive(vin, undefined);
      return;
    }
    const car = registry.vehicle(vin);
    const raw = this.raw.get(vin) ?? new Map<string, unknown>();
    this.raw.set(vin, raw);
    const context: DecodeContext = { get: (path) => getPath(car?.data, path), streamed: (other) => raw.get(other) };
    const writes = rule.decode(value, context);
    raw.set(name, value);
    if (writes === undefined) {
      log.debug(`streamed ${name} = ${JSON.stringify(value).slice(0, 80)} is not a value teslahub understands; kept the last one`);
    } else {
      registry.updateVehicle(vin, (v) => apply(v, writes, now, live));
    }
    if (live) this.deps.onLive(vin, undefined);
  }

  /**
   * A message straight from the car (the built-in receiver). Values take the car's own time;
   * a resent or late buffered value never overwrites one that is at least as new.
   */
  fromCar(vin: string, record: CarRecord, carAt: number): void {
    this.received += 1;
    this.liveReceived += 1;
    const { registry, meter, clock } = this.deps;
    if (record.topic === 'other') return;
    if (record.topic === 'connectivity') {
      if (record.status !== 'UNKNOWN') this.carLink(vin, record.status === 'CONNECTED' ? 'connected' : 'disconnected');
      return;
    }
    const now = clock.now();
    if (record.topic === 'V') for (let i = 0; i < record.data.length; i += 1) meter.record('signal', now);
    if (record.topic === 'alerts') for (let i = 0; i < record.alerts.length; i += 1) meter.record('signal', now);
    if (!registry.vehicle(vin)) return;
    switch (record.topic) {
      case 'V':
        this.carValues(vin, record.data, carAt, record.isResend, now);
        return;
      case 'alerts':
        for (const alert of record.alerts) {
          this.alert(vin, alert.name, {
            ...(alert.startedAtMs === undefined ? {} : { StartedAt: rfc3339(alert.startedAtMs) }),
            ...(alert.endedAtMs === undefined ? {} : { EndedAt: rfc3339(alert.endedAtMs) }),
            Audiences: alert.audiences,
          });
        }
        return;
      case 'errors':
        for (const error of record.errors) this.error(vin, error.name, { Body: error.body, Tags: { ...error.tags } });
        return;
    }
  }

  /** The car's link to the built-in receiver opened or closed. */
  carLink(vin: string, link: 'connected' | 'disconnected'): void {
    this.connectivity(vin, { Status: link === 'connected' ? 'CONNECTED' : 'DISCONNECTED' }, true);
  }

  private carValues(vin: string, data: readonly { field: string; value: unknown }[], carAt: number, resend: boolean, now: number): void {
    const { registry } = this.deps;
    const car = registry.vehicle(vin);
    const raw = this.raw.get(vin) ?? new Map<string, unknown>();
    this.raw.set(vin, raw);
    // Fields read together (AC and DC power) come in one message: all of it is known first.
    for (const { field, value } of data) raw.set(field, value);
    const context: DecodeContext = { get: (path) => getPath(car?.data, path), streamed: (other) => raw.get(other) };
    const writes: (readonly [string, unknown])[] = [];
    for (const { field, value } of data) {
      const rule = fieldRule(field);
      if (!rule) {
        this.unknown(field);
        continue;
      }
      const decoded = rule.decode(value, context);
      if (decoded === undefined)
        this.deps.log.debug(`streamed ${field} = ${JSON.stringify(value).slice(0, 80)} is not a value teslahub understands; kept the last one`);
      else writes.push(...decoded);
    }
    if (writes.length > 0) registry.updateVehicle(vin, (v) => applyFromCar(v, writes, carAt, resend, now));
    this.deps.onLive(vin, undefined);
  }

  private unknown(name: string): void {
    if (this.unknownFields.has(name) || this.unknownFields.size > 1000) return;
    this.unknownFields.add(name);
    this.deps.log.debug(`streamed field ${name} has no entity in teslahub; counted, not shown`);
  }

  private connectivity(vin: string, value: unknown, live: boolean): void {
    const status = typeof value === 'object' && value !== null ? (value as { Status?: unknown }).Status : undefined;
    const link: Link | undefined = status === 'CONNECTED' ? 'connected' : status === 'DISCONNECTED' ? 'disconnected' : undefined;
    if (!link) {
      this.deps.log.debug(`connectivity for ${vin} without a known Status: ${JSON.stringify(value).slice(0, 120)}`);
      return;
    }
    // Replayed, or about a car the daemon does not know yet: the last known link, not news.
    if (!live || !this.deps.registry.vehicle(vin)) {
      this.deps.onReplayedLink(vin, link);
      return;
    }
    const now = this.deps.clock.now();
    this.deps.registry.updateVehicle(vin, (v) => {
      v.stream ??= emptyStream(now);
      v.stream.link = link;
      v.stream.lastAt = now;
      // The car's own word on the stream: online while connected, asleep (or offline) when not.
      v.connection = link === 'connected' ? 'online' : 'asleep';
    });
    this.deps.onLive(vin, link);
  }

  private alert(vin: string, name: string, value: unknown): void {
    const body = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    this.deps.bus.emit('bridge.event', {
      type: 'vehicle_alert',
      device: `vehicle.${this.deps.topicId(vin)}`,
      name,
      active: body.EndedAt === undefined,
      ...(typeof body.StartedAt === 'string' ? { started_at: body.StartedAt } : {}),
      ...(typeof body.EndedAt === 'string' ? { ended_at: body.EndedAt } : {}),
      audiences: Array.isArray(body.Audiences) ? body.Audiences : [],
    });
    this.deps.onLive(vin, undefined);
  }

  private error(vin: string, name: string, value: unknown): void {
    const body = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const text = typeof body.Body === 'string' ? body.Body : '';
    this.deps.log.warn(`the car ${vin} reports a streaming error ${name}${text ? `: ${text}` : ''}`);
    this.deps.bus.emit('bridge.event', { type: 'telemetry_error', device: `vehicle.${this.deps.topicId(vin)}`, name, body: text, tags: body.Tags ?? {} });
    this.deps.onLive(vin, undefined);
  }
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Writes values stamped with the car's time, skipping each one something at least as new already set. */
function applyFromCar(v: VehicleSource, writes: readonly (readonly [string, unknown])[], carAt: number, resend: boolean, now: number): void {
  const data = (v.data ??= {});
  const stream = (v.stream ??= emptyStream(now));
  for (const [path, value] of writes) {
    const known = Object.hasOwn(stream.at, path) ? stream.at[path] : undefined;
    if (known !== undefined && (carAt < known || (carAt === known && resend))) continue;
    // A polled value taken after this one was recorded is newer.
    if (known === undefined && v.dataAt !== undefined && carAt < v.dataAt && getPath(data, path) !== undefined) continue;
    setPath(data, path, value);
    stream.at[path] = carAt;
  }
  stream.lastAt = now;
  stream.carAt = Math.max(stream.carAt ?? 0, carAt);
}

function apply(v: VehicleSource, writes: readonly (readonly [string, unknown])[], now: number, live: boolean): void {
  const data = (v.data ??= {});
  const stream = (v.stream ??= emptyStream(now));
  for (const [path, value] of writes) {
    // A replayed value is of unknown age: it fills a gap after a restart, never overwrites.
    if (!live && getPath(data, path) !== undefined) continue;
    setPath(data, path, value);
    if (live) stream.at[path] = now;
  }
  if (live) stream.lastAt = now;
}
