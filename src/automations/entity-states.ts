import type { Clock } from '../core/clock.js';
import type { DaemonEvents, DeviceRef } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { EntityDescriptor } from '../model/descriptors.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import type { EnergySiteSource, VehicleSource, WallConnectorSource } from '../model/sources.js';
import { type DeviceIdentity, entityTopics, UNKNOWN_PAYLOAD } from '../mqtt/discovery.js';
import { entityStateMessages } from '../mqtt/entity-state.js';
import type { Topics } from '../mqtt/topics.js';
import { describeDevice } from '../model/device-description.js';

/**
 * Every entity's current value as automations see it: exactly the payload published on its
 * state topic (`ON`, `charging`, `21.5`), or null while unknown, with the time it last changed.
 * Entity ids are `<kind>.<topic id>.<entity>`, the topic's own levels.
 */
export interface EntityState {
  value: string | null;
  /** When the value last changed (or teslahub first saw it). */
  since: number;
}

export interface EntityChange {
  id: string;
  from: string | null;
  to: string | null;
  at: number;
}

export interface EntityStateSource {
  get(id: string): EntityState | undefined;
  /** Ids of known entities whose key is `key`, for bare names in expressions. */
  withKey(key: string): string[];
  onChange(owner: object, listener: (change: EntityChange) => void): void;
  removeOwner(owner: object): void;
}

export interface EntityStatesDeps {
  registry: DeviceRegistry;
  naming: DeviceNaming;
  topics: Topics;
  bus: EventBus<DaemonEvents>;
  clock: Clock;
  log: Logger;
}

type Source = VehicleSource | EnergySiteSource | WallConnectorSource;

/**
 * Which entities are kept: until an automation is in use only the `watched` ones (the derived
 * events'), so a daemon without automations does not work out every entity of every device a
 * second time on each update (the publisher already does it once); from the first automation on,
 * all of them.
 */
export interface EntityScope {
  watched: ReadonlySet<string>;
}

export class EntityStates implements Service, EntityStateSource {
  readonly name = 'automation-entity-states';
  private readonly states = new Map<string, EntityState>();
  /** Entity ids per device, so a device that goes away can be cleared. */
  private readonly byDevice = new Map<string, string[]>();
  private listeners: { owner: object; listener: (change: EntityChange) => void }[] = [];
  private readonly deps: EntityStatesDeps;
  /** undefined: every entity. */
  private watched: ReadonlySet<string> | undefined;
  private started = false;

  constructor(deps: EntityStatesDeps, scope?: EntityScope) {
    this.deps = deps;
    this.watched = scope?.watched;
  }

  async start(): Promise<void> {
    this.deps.bus.on(this, 'device.updated', (ref) => this.refresh(ref));
    this.deps.bus.on(this, 'device.removed', (ref) => this.clear(ref));
    this.started = true;
    for (const ref of this.deps.registry.all()) this.refresh(ref);
  }

  /** From now on every entity is kept (an automation is in use); the ones not kept so far are read now. */
  keepAll(): void {
    if (this.watched === undefined) return;
    this.watched = undefined;
    if (this.started) for (const ref of this.deps.registry.all()) this.refresh(ref);
  }

  async stop(): Promise<void> {
    this.deps.bus.removeOwner(this);
    this.started = false;
  }

  get(id: string): EntityState | undefined {
    return this.states.get(id);
  }

  withKey(key: string): string[] {
    return [...this.states.keys()].filter((id) => id.endsWith(`.${key}`) && id.split('.').length === 3);
  }

  onChange(owner: object, listener: (change: EntityChange) => void): void {
    this.listeners.push({ owner, listener });
  }

  removeOwner(owner: object): void {
    this.listeners = this.listeners.filter((l) => l.owner !== owner);
  }

  /** Reads one device's entities again and announces the values that changed. */
  refresh(ref: DeviceRef): void {
    const source = this.deps.registry.source(ref) as Source | undefined;
    if (!source) return;
    const { identity, descriptors } = describeDevice(ref.kind, source, this.deps.naming);
    const ids: string[] = [];
    const watched = this.watched;
    for (const descriptor of descriptors) {
      if (watched !== undefined && !watched.has(descriptor.key)) continue;
      const value = this.valueOf(identity, descriptor, source);
      if (value === undefined) continue;
      const id = `${ref.kind}.${identity.topicId}.${descriptor.key}`;
      ids.push(id);
      this.set(id, value);
    }
    const deviceKey = `${ref.kind}:${ref.id}`;
    for (const gone of (this.byDevice.get(deviceKey) ?? []).filter((id) => !ids.includes(id))) this.set(gone, null);
    this.byDevice.set(deviceKey, ids);
  }

  private clear(ref: DeviceRef): void {
    const deviceKey = `${ref.kind}:${ref.id}`;
    for (const id of this.byDevice.get(deviceKey) ?? []) this.set(id, null);
    this.byDevice.delete(deviceKey);
  }

  private set(id: string, value: string | null): void {
    const now = this.deps.clock.now();
    const previous = this.states.get(id);
    if (previous && previous.value === value) return;
    this.states.set(id, { value, since: now });
    // A first sighting is not a change: nothing happened, teslahub only learned the value.
    if (!previous) return;
    const change: EntityChange = { id, from: previous.value, to: value, at: now };
    for (const { listener } of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.deps.log.error(`a listener of ${id} failed`, { error: error instanceof Error ? error : String(error) });
      }
    }
  }

  /** The payload of the entity's state topic; undefined for entities without one (buttons, trackers). */
  private valueOf(identity: DeviceIdentity, descriptor: EntityDescriptor<never>, source: Source): string | null | undefined {
    const stateTopic = entityTopics(this.deps.topics, identity, descriptor.key).state;
    if (descriptor.present && !descriptor.present(source as never)) return null;
    const messages = entityStateMessages(identity, descriptor, source as never, this.deps.topics);
    const message = messages.find(([topic]) => topic === stateTopic);
    if (!message) return descriptor.platform === 'button' || descriptor.platform === 'device_tracker' ? undefined : null;
    return message[1] === UNKNOWN_PAYLOAD ? null : message[1];
  }
}
