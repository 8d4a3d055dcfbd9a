import type { EntityDescriptor } from './descriptors.js';
import { at, num, text } from './read.js';
import type { WallConnectorSource } from './sources.js';

/** A Wall Connector's entry in its site's live_status.wall_connectors. */

type WallConnectorRow = EntityDescriptor<WallConnectorSource>;

const live = (s: WallConnectorSource, key: string): unknown => at(s.live, key);

/**
 * The VIN of the car on the cable. Tesla leaves `vin` out when no car is connected, which
 * Teslemetry shows as "disconnected"; so do we, once the connector has reported at all. (A car
 * that does not tell its VIN, such as another make, reads as disconnected too: Tesla gives no more.)
 */
function connectedVin(s: WallConnectorSource): string | null {
  if (s.live === undefined) return null;
  return text(live(s, 'vin')) ?? 'disconnected';
}

export const WALL_CONNECTOR_ENTITIES: readonly WallConnectorRow[] = [
  {
    platform: 'sensor',
    key: 'power',
    name: 'Power',
    deviceClass: 'power',
    unit: 'W',
    stateClass: 'measurement',
    precision: 0,
    value: (s) => num(live(s, 'wall_connector_power')),
  },
  // Tesla's state and fault codes, as numbers: their meanings are only partly known.
  { platform: 'sensor', key: 'state', name: 'State', category: 'diagnostic', value: (s) => num(live(s, 'wall_connector_state')) },
  {
    platform: 'sensor',
    key: 'fault_state',
    name: 'Fault state',
    enabledByDefault: false,
    category: 'diagnostic',
    value: (s) => num(live(s, 'wall_connector_fault_state')),
  },
  { platform: 'sensor', key: 'vehicle', name: 'Vehicle', value: connectedVin },
];
