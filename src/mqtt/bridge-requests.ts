import type { DaemonEvents, DeviceRef } from '../core/daemon-events.js';
import { parseNamedDevice } from '../core/devices.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import type { IncomingMessage, MqttConnection } from './connection.js';
import type { Topics } from './topics.js';

type Response = { ok: true; [key: string]: unknown } | { ok: false; error: string };

export interface BridgeRequestsDeps {
  connection: MqttConnection;
  topics: Topics;
  bus: EventBus<DaemonEvents>;
  registry: DeviceRegistry;
  naming: DeviceNaming;
  /** Wakes a car (one wake per car in flight, whoever asks). */
  wake: (vin: string, who: string) => Promise<{ ok: true } | { ok: false; error: string }>;
  /** Requests other rooms answer (e.g. reload_automations from automations/). */
  requests?: Readonly<Record<string, (body: Record<string, unknown>) => Promise<{ ok: boolean; [key: string]: unknown }>>>;
}

/**
 * `bridge/request/<name>` → `bridge/response/<name>` with the caller's `transaction` echoed:
 * refresh (all devices or one), wake (a car), and the requests other rooms register.
 */
export class BridgeRequests implements Service {
  readonly name = 'bridge-requests';
  private readonly deps: BridgeRequestsDeps;

  constructor(deps: BridgeRequestsDeps) {
    this.deps = deps;
  }

  async start(): Promise<void> {
    this.deps.connection.subscribe(this, this.deps.topics.bridgeRequestFilter, (message) => this.onRequest(message));
  }

  async stop(): Promise<void> {
    this.deps.connection.unsubscribeOwner(this);
  }

  private async onRequest(message: IncomingMessage): Promise<void> {
    const parsed = this.deps.topics.parse(message.topic);
    if (parsed.kind !== 'bridge_request' || message.retain) return;
    const text = message.payload.toString('utf8').trim();
    const body = text === '' ? {} : jsonObject(text);
    if (!body) {
      this.respond(parsed.name, {}, { ok: false, error: 'the request must be a JSON object, e.g. {"transaction": "1", "device": "vehicle.5YJ..."}' });
      return;
    }
    this.respond(parsed.name, body, await this.handle(parsed.name, body));
  }

  private respond(name: string, body: Record<string, unknown>, response: Response): void {
    const payload = { ...('transaction' in body ? { transaction: body.transaction } : {}), ...response };
    this.deps.connection.publish(this.deps.topics.bridgeResponse(name), JSON.stringify(payload), { retain: false, qos: 1 });
  }

  private async handle(name: string, body: Record<string, unknown>): Promise<Response> {
    switch (name) {
      case 'refresh':
        return this.refresh(body);
      case 'wake':
        return this.wake(body);
      default: {
        const extra = this.deps.requests && Object.hasOwn(this.deps.requests, name) ? this.deps.requests[name] : undefined;
        if (extra) return (await extra(body)) as Response;
        return { ok: false, error: `unknown request "${name}" (known: ${['refresh', 'wake', ...Object.keys(this.deps.requests ?? {})].join(', ')})` };
      }
    }
  }

  private refresh(body: Record<string, unknown>): Response {
    if (body.device === undefined) {
      this.deps.bus.emit('devices.refresh', { reason: 'requested over MQTT' });
      return { ok: true, devices: 'all' };
    }
    const ref = this.lookup(body.device);
    if (typeof ref === 'string') return { ok: false, error: ref };
    this.deps.bus.emit('device.refresh', { ...ref, reason: 'requested over MQTT' });
    return { ok: true, devices: [`${ref.kind}.${this.deps.naming.topicId(ref)}`] };
  }

  private async wake(body: Record<string, unknown>): Promise<Response> {
    const ref = this.lookup(body.device);
    if (typeof ref === 'string') return { ok: false, error: ref };
    if (ref.kind !== 'vehicle') return { ok: false, error: 'only vehicles can be woken' };
    const outcome = await this.deps.wake(ref.id, 'mqtt request');
    return outcome.ok ? { ok: true, device: `vehicle.${this.deps.naming.topicId(ref)}` } : { ok: false, error: outcome.error };
  }

  /** "vehicle.<topic id>" → the device, or a message saying what is wrong. */
  private lookup(device: unknown): DeviceRef | string {
    if (typeof device !== 'string') return 'name the device as "vehicle.<id>" or "energy_site.<id>" in "device"';
    const named = parseNamedDevice(device);
    if (!named.ok) return named.problem;
    const { kind, topicId } = named;
    const id = this.deps.naming.resolve(kind, topicId);
    if (!id || !this.deps.registry.source({ kind, id })) return `there is no ${kind.replace('_', ' ')} "${topicId}"`;
    return { kind, id };
  }
}

/** A JSON object, or undefined for anything else (arrays, scalars, broken JSON). */
function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
