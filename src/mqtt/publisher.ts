import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { MqttConnection } from './connection.js';

/**
 * Retained state with publish-on-change. It remembers the latest payload per topic, never a
 * queue: while the broker is away nothing piles up, and on every (re)connect the whole current
 * state goes out once, so subscribers see the present, not a replay of the outage.
 */
export class StatePublisher implements Service {
  readonly name = 'state-publisher';
  private readonly current = new Map<string, string>();
  private readonly connection: MqttConnection;
  private readonly bus: EventBus<DaemonEvents>;

  constructor(connection: MqttConnection, bus: EventBus<DaemonEvents>) {
    this.connection = connection;
    this.bus = bus;
  }

  async start(): Promise<void> {
    this.bus.on(this, 'mqtt.connected', () => this.republish());
  }

  async stop(): Promise<void> {
    this.bus.removeOwner(this);
  }

  /**
   * Sets a retained topic; sends only when the value changed. `qos: 0` suits values that change
   * often (entity states): every (re)connect sends the whole state again anyway, so the broker's
   * acknowledgement of each value would only cost a packet and a stored copy per value.
   */
  set(topic: string, payload: string, qos: 0 | 1 = 1): void {
    if (this.current.get(topic) === payload) return;
    this.current.set(topic, payload);
    this.connection.publish(topic, payload, { retain: true, qos });
  }

  /** Removes a retained topic (an empty retained payload deletes it at the broker). */
  clear(topic: string): void {
    if (!this.current.delete(topic)) return;
    this.connection.publish(topic, '', { retain: true, qos: 1 });
  }

  get(topic: string): string | undefined {
    return this.current.get(topic);
  }

  get size(): number {
    return this.current.size;
  }

  /** Sends every retained value again (after Home Assistant restarts). */
  republishAll(): void {
    this.republish();
  }

  private republish(): void {
    for (const [topic, payload] of this.current) {
      this.connection.publish(topic, payload, { retain: true, qos: 1 });
    }
  }
}
