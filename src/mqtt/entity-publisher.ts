import type { Clock, Timer } from '../core/clock.js';
import type { DaemonEvents, DeviceRef } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { EntityDescriptor } from '../model/descriptors.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import type { BridgeSource, EnergySiteSource, VehicleSource, WallConnectorSource } from '../model/sources.js';
import type { MqttConnection } from './connection.js';
import { type DeviceIdentity, deviceDiscovery, type DiscoveryOptions, discoveryShape, uniqueDeviceId } from './discovery.js';
import { entityStateMessages } from './entity-state.js';
import type { StatePublisher } from './publisher.js';
import type { Topics } from './topics.js';
import { describeDevice } from '../model/device-description.js';
import type { EntityTables } from '../model/tables.js';

export interface EntityPublisherDeps {
  publisher: StatePublisher;
  connection: MqttConnection;
  topics: Topics;
  registry: DeviceRegistry;
  naming: DeviceNaming;
  tables: EntityTables;
  bus: EventBus<DaemonEvents>;
  clock: Clock;
  log: Logger;
  discovery: { enabled: boolean; origin: DiscoveryOptions['origin'] };
  /** Whether devices can be trusted to be current (no: the account needs a login). */
  devicesAvailable: () => boolean;
  /** Builds a discovery config (tests count the builds). */
  buildDiscovery?: typeof deviceDiscovery;
}

/** Home Assistant asks for a pause before states follow its birth message. */
const REPUBLISH_AFTER_HA_ONLINE_MS = 3_000;
/**
 * A device seen for the first time gets its discovery after this pause: its first readings
 * (products, then site_info, then live data) arrive within it, so Home Assistant receives one
 * config per device at start rather than one per reading as the entity set grows.
 */
export const FIRST_DISCOVERY_SETTLE_MS = 1_500;

function deviceKey(ref: DeviceRef): string {
  return `${ref.kind}:${ref.id}`;
}

/**
 * Keeps MQTT in step with the device registry: for each device one retained discovery config,
 * every entity's retained state, and the device's availability; and, when a device goes away,
 * empty retained payloads that remove all of it from the broker and from Home Assistant.
 */
export class EntityPublisher implements Service {
  readonly name = 'entity-publisher';
  private haTimer: Timer | undefined;
  private settleTimer: Timer | undefined;
  /** The discovery shape last published per device (see discoveryShape). */
  private readonly shapes = new Map<string, string>();
  /** Devices whose first discovery waits for FIRST_DISCOVERY_SETTLE_MS. */
  private readonly settling = new Map<string, DeviceRef>();
  private readonly deps: EntityPublisherDeps;

  constructor(deps: EntityPublisherDeps) {
    this.deps = deps;
  }

  async start(): Promise<void> {
    const { bus, connection, topics } = this.deps;
    bus.on(this, 'device.updated', (ref) => this.publish(ref));
    bus.on(this, 'device.removed', (event) => this.remove(event, event.source));
    bus.on(this, 'auth.tokens', () => this.publishAvailability());
    bus.on(this, 'auth.login_required', () => this.publishAvailability());
    connection.subscribe(this, topics.haStatus, (message) => {
      if (message.payload.toString().trim().toLowerCase() !== 'online') return;
      this.haTimer?.cancel();
      this.haTimer = this.deps.clock.setTimeout(() => {
        this.deps.log.info('Home Assistant came online: sending discovery and states again');
        this.deps.publisher.republishAll();
      }, REPUBLISH_AFTER_HA_ONLINE_MS);
    });
  }

  async stop(): Promise<void> {
    this.haTimer?.cancel();
    this.settleTimer?.cancel();
    this.settleTimer = undefined;
    this.settling.clear();
    this.deps.bus.removeOwner(this);
    this.deps.connection.unsubscribeOwner(this);
  }

  /** Publishes one device's discovery (when its entity set changed), states and availability from its current data. */
  publish(ref: DeviceRef): void {
    const { registry, publisher, topics } = this.deps;
    const source = registry.source(ref);
    if (!source) return;
    const { identity, descriptors } = describeDevice(ref.kind, source, this.deps.naming, this.deps.tables);
    if (this.deps.discovery.enabled) this.discover(ref, identity, descriptors, source);
    publisher.set(topics.availability(ref.kind, identity.topicId), this.deps.devicesAvailable() ? 'online' : 'offline');
    for (const descriptor of descriptors) {
      for (const [topic, payload] of entityStateMessages(identity, descriptor, source as never, topics)) publisher.set(topic, payload, 0);
    }
  }

  private discover(ref: DeviceRef, identity: DeviceIdentity, descriptors: readonly EntityDescriptor<never>[], source: unknown): void {
    const key = deviceKey(ref);
    const known = this.shapes.get(key);
    if (known === undefined) {
      // First sight: wait for the first readings to arrive, then publish once.
      this.settling.set(key, ref);
      this.settleTimer ??= this.deps.clock.setTimeout(() => this.settled(), FIRST_DISCOVERY_SETTLE_MS);
      this.shapes.set(key, '');
      return;
    }
    if (this.settling.has(key)) return;
    const shape = discoveryShape(identity, descriptors, source as never);
    if (shape === known) return;
    this.shapes.set(key, shape);
    this.publishDiscovery(identity, descriptors, source);
  }

  private settled(): void {
    this.settleTimer = undefined;
    const refs = [...this.settling.values()];
    this.settling.clear();
    for (const ref of refs) {
      const source = this.deps.registry.source(ref);
      if (!source) continue;
      const { identity, descriptors } = describeDevice(ref.kind, source, this.deps.naming, this.deps.tables);
      this.shapes.set(deviceKey(ref), discoveryShape(identity, descriptors, source as never));
      this.publishDiscovery(identity, descriptors, source);
    }
  }

  private publishDiscovery(identity: DeviceIdentity, descriptors: readonly EntityDescriptor<never>[], source: unknown): void {
    const build = this.deps.buildDiscovery ?? deviceDiscovery;
    // describeDevice() picks the table of the source's kind, so the two always belong together.
    const payload = build(identity, descriptors, source as never, { topics: this.deps.topics, origin: this.deps.discovery.origin });
    this.deps.publisher.set(this.deps.topics.discovery(uniqueDeviceId(identity)), JSON.stringify(payload));
  }

  /** Publishes the bridge device (the daemon's own entities). */
  publishBridge(source: BridgeSource): void {
    const { publisher, topics } = this.deps;
    const identity: DeviceIdentity = {
      kind: 'bridge',
      topicId: 'bridge',
      hardwareId: 'bridge',
      name: 'teslahub',
      manufacturer: 'teslahub',
      model: 'Bridge',
      swVersion: source.version,
    };
    const descriptors = this.deps.tables.bridge;
    if (this.deps.discovery.enabled) {
      const shape = discoveryShape(identity, descriptors, source);
      if (this.shapes.get('bridge') !== shape) {
        this.shapes.set('bridge', shape);
        this.publishDiscovery(identity, descriptors as readonly EntityDescriptor<never>[], source);
      }
    }
    for (const descriptor of descriptors) {
      for (const [topic, payload] of entityStateMessages(identity, descriptor, source, topics)) publisher.set(topic, payload);
    }
  }

  private publishAvailability(): void {
    for (const ref of this.deps.registry.all()) this.publish(ref);
  }

  private remove(ref: DeviceRef, source: unknown): void {
    const { publisher, topics } = this.deps;
    const { identity, descriptors } = describeDevice(
      ref.kind,
      source as VehicleSource | EnergySiteSource | WallConnectorSource,
      this.deps.naming,
      this.deps.tables,
    );
    for (const descriptor of descriptors) {
      for (const [topic] of entityStateMessages(identity, descriptor, source as never, topics)) publisher.clear(topic);
    }
    this.shapes.delete(deviceKey(ref));
    this.settling.delete(deviceKey(ref));
    publisher.clear(topics.availability(ref.kind, identity.topicId));
    publisher.clear(topics.discovery(uniqueDeviceId(identity)));
    this.deps.log.info(`${ref.kind.replace('_', ' ')} ${ref.id} is gone; removed its entities`);
  }
}
