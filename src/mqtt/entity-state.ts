import type { EntityDescriptor, EntityValue } from '../model/descriptors.js';
import { type DeviceIdentity, entityTopics, UNKNOWN_PAYLOAD } from './discovery.js';
import type { Topics } from './topics.js';

/** Retained topic → payload pairs that represent one entity's current state. */
export type StateMessages = [topic: string, payload: string][];

function plain(value: EntityValue): string {
  if (value === null) return UNKNOWN_PAYLOAD;
  if (typeof value === 'boolean') return value ? 'ON' : 'OFF';
  return String(value);
}

function onOff(value: boolean | null): string {
  return value === null ? UNKNOWN_PAYLOAD : value ? 'ON' : 'OFF';
}

/**
 * The state messages of one entity, in Home Assistant's default payloads: ON/OFF, LOCKED/UNLOCKED,
 * open/closed, numbers as plain text, "None" for unknown, JSON where a platform reads several
 * facets from one topic (climate, update) and attributes (location).
 */
export function entityStateMessages<S>(identity: DeviceIdentity, d: EntityDescriptor<S>, source: S, topics: Topics): StateMessages {
  if (d.present && !d.present(source)) return [];
  const t = entityTopics(topics, identity, d.key);
  switch (d.platform) {
    case 'sensor': {
      const messages: StateMessages = [[t.state, plain(d.value(source))]];
      const attributes = d.attributes?.(source);
      if (attributes) messages.push([t.attributes, JSON.stringify(attributes)]);
      return messages;
    }
    case 'binary_sensor':
    case 'switch':
      return [[t.state, onOff(d.value(source))]];
    case 'number':
    case 'select':
      return [[t.state, plain(d.value(source))]];
    case 'lock': {
      const locked = d.value(source);
      return [[t.state, locked === null ? UNKNOWN_PAYLOAD : locked ? 'LOCKED' : 'UNLOCKED']];
    }
    case 'cover': {
      const messages: StateMessages = [[t.state, d.value(source) ?? UNKNOWN_PAYLOAD]];
      if (d.position) messages.push([`${t.state}/position`, plain(d.position(source))]);
      return messages;
    }
    case 'climate':
      return [
        [
          t.state,
          JSON.stringify({
            mode: d.mode(source),
            current_temperature: d.currentTemperature(source),
            target_temperature: d.targetTemperature(source),
            preset: d.preset?.(source) ?? null,
          }),
        ],
      ];
    case 'device_tracker': {
      // No position: empty attributes, which Home Assistant shows as unknown (a route with no destination).
      const location = d.location(source);
      return [[t.attributes, location ? JSON.stringify(location) : '{}']];
    }
    case 'update': {
      const state = d.value(source);
      return [[t.state, state ? JSON.stringify(state) : UNKNOWN_PAYLOAD]];
    }
    case 'button':
      return [];
  }
}
