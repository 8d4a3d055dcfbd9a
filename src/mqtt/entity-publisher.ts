import type { Clock, Timer } from '../core/clock.js';
import type { DaemonEvents, DeviceRef } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import type { BridgeSource, EnergySiteSource, VehicleSource, WallConnectorSource } from '../model/sources.js';
import type { MqttConnection } from './connection.js';
import { type DeviceIdentity, deviceDiscovery, type DiscoveryOptions, uniqueDeviceId } from './discovery.js';
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
}

/** Home Assistant asks for a pause before states follow its birth message (mqtt-ecosystem.md §1.4). */
const REPUBLISH_AFTER_HA_ONLINE_MS = 3_000;

/**
 * Keeps MQTT in step with the device registry: for each device one retained discovery config,
 * every entity's retained state, and the device's availability; and, when a device goes away,
 * empty retained payloads that remove all of it from the broker and from Home Assistant.
 */
export class EntityPublisher implements Service {
  readonly name = 'entity-publisher';
  private haTimer: Timer | undefined;
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
    this.deps.bus.removeOwner(this);
    this.deps.connection.unsubscribeOwner(this);
  }

  /** Publishes one device's discovery, states and availability from its current data. */
  publish(ref: DeviceRef): void {
    const { registry, publisher, topics } = this.deps;
    const source = registry.source(ref);
    if (!source) return;
    const { identity, descriptors } = describeDevice(ref.kind, source, this.deps.naming, this.deps.tables);
    if (this.deps.discovery.enabled) {
      // describeDevice() picks the table of the source's kind, so the two always belong together.
      const payload = deviceDiscovery(identity, descriptors, source as never, { topics, origin: this.deps.discovery.origin });
      publisher.set(topics.discovery(uniqueDeviceId(identity)), JSON.stringify(payload));
    }
    publisher.set(topics.availability(ref.kind, identity.topicId), this.deps.devicesAvailable() ? 'online' : 'offline');
    for (const descriptor of descriptors) {
      for (const [topic, payload] of entityStateMessages(identity, descriptor, source as never, topics)) publisher.set(topic, payload);
    }
  }

  /** Publishes the bridge device (the daemon's own entities). */
  publishBridge(source: BridgeSource): void {
    const { publisher, topics } = this.deps;
    const identity: DeviceIdentity = { kind: 'bridge', topicId: 'bridge', hardwareId: 'bridge', name: 'teslahub', manufacturer: 'teslahub', model: 'Bridge', swVersion: source.version };
    const descriptors = this.deps.tables.bridge;
    if (this.deps.discovery.enabled) {
      publisher.set(topics.discovery(uniqueDeviceId(identity)), JSON.stringify(deviceDiscovery(identity, descriptors, source, { topics, origin: this.deps.discovery.origin })));
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
    const { identity, descriptors } = describeDevice(ref.kind, source as VehicleSource | EnergySiteSource | WallConnectorSource, this.deps.naming, this.deps.tables);
    for (const descriptor of descriptors) {
      for (const [topic] of entityStateMessages(identity, descriptor, source as never, topics)) publisher.clear(topic);
    }
    publisher.clear(topics.availability(ref.kind, identity.topicId));
    publisher.clear(topics.discovery(uniqueDeviceId(identity)));
    this.deps.log.info(`${ref.kind.replace('_', ' ')} ${ref.id} is gone; removed its entities`);
  }
}
