import type { DeviceIdentity } from './device-identity.js';
import type { DeviceKind } from '../core/devices.js';
import type { EntityDescriptor } from './descriptors.js';
import { siteIdentity, vehicleIdentity, wallConnectorIdentity } from './identity.js';
import type { DeviceNaming } from './naming.js';
import type { EnergySiteSource, VehicleSource, WallConnectorSource } from './sources.js';
import { ENTITY_TABLES, type EntityTables } from './tables.js';

export interface DeviceDescription {
  identity: DeviceIdentity;
  descriptors: readonly EntityDescriptor<never>[];
}

/**
 * A device's identity and the entity table of its kind, picked together so the two always
 * belong to each other (MQTT publishing and the automations' entity states read devices alike).
 */
export function describeDevice(
  kind: DeviceKind,
  source: VehicleSource | EnergySiteSource | WallConnectorSource,
  naming: DeviceNaming,
  tables: EntityTables = ENTITY_TABLES,
): DeviceDescription {
  switch (kind) {
    case 'vehicle':
      return { identity: vehicleIdentity(source as VehicleSource, naming), descriptors: tables.vehicle as readonly EntityDescriptor<never>[] };
    case 'energy_site':
      return { identity: siteIdentity(source as EnergySiteSource, naming), descriptors: tables.energy_site as readonly EntityDescriptor<never>[] };
    case 'wall_connector':
      return { identity: wallConnectorIdentity(source as WallConnectorSource), descriptors: tables.wall_connector as readonly EntityDescriptor<never>[] };
  }
}
