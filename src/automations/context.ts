import type { Clock } from '../core/clock.js';
import type { BridgeEvent, DaemonEvents, DeviceRef } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { VehicleConnection } from '../model/sources.js';
import type { DeviceKind } from '../core/devices.js';
import type { EntityStateSource } from './entity-states.js';
import { EvaluationError, type Scope, type Value } from './expression/evaluate.js';
import { splitEntityId } from './schema-refs.js';

/** What the automation engine needs from the rest of the daemon, injected (tests give fakes). */
export interface EngineDeps {
  clock: Clock;
  log: Logger;
  bus: EventBus<DaemonEvents>;
  states: EntityStateSource;
  mqtt: {
    subscribe(owner: object, filter: string, handler: (message: { topic: string; payload: Buffer; retain: boolean }) => void | Promise<void>): void;
    unsubscribeOwner(owner: object): void;
    publish(topic: string, payload: string, options: { retain: boolean; qos?: 0 | 1 }): boolean;
  };
  /** The command router: the same validation, allow/deny lists and wake rules as MQTT /set. */
  commands: {
    run(request: {
      kind: DeviceKind;
      topicId: string;
      entity: string;
      payload: Uint8Array;
      who: string;
    }): Promise<{ ok: boolean; error?: string; detail?: string; value: unknown }>;
  };
  devices: {
    /** The device behind a topic id (VIN, site id, DIN), if the account has it. */
    resolve(kind: DeviceKind, topicId: string): DeviceRef | undefined;
    /**
     * The topic id entity ids use for a device written as `device` (its VIN, site id or DIN, or its
     * configured `topic`), from the config alone: known before the device is first seen.
     */
    topicOf(kind: DeviceKind, device: string): string;
    /** What teslahub last knew of a car's connection. */
    connection(vin: string): VehicleConnection | undefined;
  };
  /** The API budget's word: with `stop`, automations send no billed (vehicle) commands. */
  budgetMode(): 'normal' | 'slow' | 'stop';
}

/** What started a run, as templates read it (`trigger.to`) and events report it. */
export interface TriggerData {
  platform: 'cron' | 'state' | 'numeric_state' | 'event' | 'mqtt';
  /** Where the trigger is written (`triggers[0]`). */
  at: string;
  id?: string;
  entity?: string;
  from?: string | null;
  to?: string | null;
  topic?: string;
  payload?: string;
  event?: string;
  device?: string;
  /** For events: the whole bridge event. */
  data?: BridgeEvent;
}

export const WHO_PREFIX = 'automation:';

/** `vehicle.<VIN>.x` and `vehicle.<topic>.x` name the same entity: the topic form is the key. */
export function canonicalEntityId(id: string, devices: EngineDeps['devices']): string {
  const parsed = splitEntityId(id);
  if ('problem' in parsed) return id;
  return `${parsed.kind}.${devices.topicOf(parsed.kind, parsed.device)}.${parsed.key}`;
}

export function entityValue(id: string, deps: Pick<EngineDeps, 'states' | 'devices'>): string | null {
  return deps.states.get(canonicalEntityId(id, deps.devices))?.value ?? null;
}

/** Names in templates: trigger fields, entity ids, or an entity key that only one device has. */
export function makeScope(deps: Pick<EngineDeps, 'states' | 'devices'>, trigger: TriggerData | undefined): Scope {
  return {
    resolve(name: string): Value {
      if (name.startsWith('trigger.')) {
        const field = name.slice('trigger.'.length) as keyof TriggerData;
        const value = trigger?.[field];
        return typeof value === 'string' || typeof value === 'number' ? value : null;
      }
      if (name.includes('.')) return entityValue(name, deps);
      const ids = deps.states.withKey(name);
      if (ids.length === 1 && ids[0] !== undefined) return deps.states.get(ids[0])?.value ?? null;
      if (ids.length === 0) throw new EvaluationError(`no device has an entity "${name}" (yet)`);
      throw new EvaluationError(`"${name}" is ambiguous: ${ids.join(', ')} all have it (name the entity in full)`);
    },
    state(id: string): Value {
      if ('problem' in splitEntityId(id)) throw new EvaluationError(`state("${id}"): not an entity id like vehicle.<id>.battery_level`);
      return entityValue(id, deps);
    },
  };
}
