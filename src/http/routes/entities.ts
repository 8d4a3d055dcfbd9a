import type { DeviceRegistry } from '../../model/device-registry.js';
import type { EntityDescriptor } from '../../model/descriptors.js';
import { isControl } from '../../model/descriptors.js';
import type { DeviceNaming } from '../../model/naming.js';
import type { DeviceIdentity } from '../../mqtt/discovery.js';
import { entityStateMessages } from '../../mqtt/entity-state.js';
import type { Topics } from '../../mqtt/topics.js';
import { type Handler, route, sendJson } from '../server.js';
import { deviceEntries } from '../web/device-view.js';

function entities(identity: DeviceIdentity, rows: readonly EntityDescriptor<never>[], source: unknown, topics: Topics): Record<string, unknown>[] {
  return rows
    .filter((row) => !row.present || row.present(source as never))
    .map((row) => {
      const messages = entityStateMessages(identity, row, source as never, topics);
      const state = messages[0];
      return {
        key: row.key,
        name: row.name,
        platform: row.platform,
        control: isControl(row),
        ...(state ? { topic: state[0], value: decode(state[1]) } : {}),
      };
    });
}

function decode(payload: string): unknown {
  if (payload === 'None') return null;
  if (payload.startsWith('{')) {
    try {
      return JSON.parse(payload) as unknown;
    } catch {
      return payload;
    }
  }
  return payload;
}

/** GET /api/entities: every device and its entities' current values, from the same tables as MQTT. */
export function entitiesRoute(registry: DeviceRegistry, naming: DeviceNaming, topics: Topics): Handler {
  return route('GET', '/api/entities', ({ res }) => {
    sendJson(res, 200, {
      devices: deviceEntries(registry, naming).map(({ identity, rows, source }) => ({
        kind: identity.kind,
        id: identity.hardwareId,
        topic_id: identity.topicId,
        name: identity.name,
        model: identity.model ?? null,
        entities: entities(identity, rows as readonly EntityDescriptor<never>[], source, topics),
      })),
    });
  });
}
