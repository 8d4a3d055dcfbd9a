import type { Clock, Timer } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { BridgeReport } from './bridge-report.js';
import type { MqttConnection } from './connection.js';
import type { EntityPublisher } from './entity-publisher.js';
import type { StatePublisher } from './publisher.js';
import type { Topics } from './topics.js';

export interface BridgeDeps {
  connection: MqttConnection;
  publisher: StatePublisher;
  entities: EntityPublisher;
  topics: Topics;
  bus: EventBus<DaemonEvents>;
  clock: Clock;
  report: BridgeReport;
}

const INFO_INTERVAL_MS = 60_000;

/**
 * The daemon's own face on MQTT: `bridge/info` (retained JSON, again when something it reports
 * changed and every minute), the bridge device's entities, and `bridge/event` (every event, not retained).
 */
export class Bridge implements Service {
  readonly name = 'bridge';
  private timer: Timer | undefined;
  private pending: Timer | undefined;
  /** The devices in bridge/info: a new one makes the info go out again, a new reading does not. */
  private readonly known = new Set<string>();
  private readonly deps: BridgeDeps;

  constructor(deps: BridgeDeps) {
    this.deps = deps;
  }

  async start(): Promise<void> {
    const { bus, connection, topics, clock } = this.deps;
    bus.on(this, 'bridge.event', (event) => {
      connection.publish(topics.bridgeEvent, JSON.stringify({ at: new Date(clock.now()).toISOString(), ...event }), { retain: false, qos: 1 });
    });
    for (const type of ['auth.tokens', 'auth.login_required', 'device.removed', 'budget.changed', 'vehicle.pairing'] as const)
      bus.on(this, type, () => this.soon());
    bus.on(this, 'device.updated', (ref) => {
      const key = `${ref.kind}:${ref.id}`;
      if (this.known.has(key)) return;
      this.known.add(key);
      this.soon();
    });
    bus.on(this, 'device.removed', (ref) => void this.known.delete(`${ref.kind}:${ref.id}`));
    this.publishInfo();
    const tick = (): void => {
      this.timer = clock.setTimeout(() => {
        this.publishInfo();
        tick();
      }, INFO_INTERVAL_MS);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.pending?.cancel();
    this.deps.bus.removeOwner(this);
  }

  /** Coalesces bursts of changes into one info update. */
  private soon(): void {
    this.pending ??= this.deps.clock.setTimeout(() => {
      this.pending = undefined;
      this.publishInfo();
    }, 1_000);
  }

  private publishInfo(): void {
    const { publisher, topics, report } = this.deps;
    publisher.set(topics.bridgeInfo, JSON.stringify(report.info()));
    this.deps.entities.publishBridge(report.source());
  }
}
