import type { DeviceKind } from '../core/devices.js';
import { BRIDGE_ENTITIES } from './bridge-table.js';
import type { EntityDescriptor } from './descriptors.js';
import { ENERGY_SITE_ENTITIES } from './energy-site-table.js';
import type { SourceFor } from './sources.js';
import { VEHICLE_ENTITIES } from './vehicle-table.js';
import { WALL_CONNECTOR_ENTITIES } from './wall-connector-table.js';

/**
 * The entity tables every room reads: discovery and state publishing, the command router, the web
 * page. One table per kind of device; a row's key is its topic segment and unique_id tail.
 */

export { BRIDGE_ENTITIES, ENERGY_SITE_ENTITIES, VEHICLE_ENTITIES, WALL_CONNECTOR_ENTITIES };

export type TableKind = DeviceKind | 'bridge';

export type EntityTables = { readonly [K in TableKind]: readonly EntityDescriptor<SourceFor<K>>[] };

export const ENTITY_TABLES: EntityTables = {
  vehicle: VEHICLE_ENTITIES,
  energy_site: ENERGY_SITE_ENTITIES,
  wall_connector: WALL_CONNECTOR_ENTITIES,
  bridge: BRIDGE_ENTITIES,
};

function index<S>(table: readonly EntityDescriptor<S>[]): ReadonlyMap<string, EntityDescriptor<S>> {
  return new Map(table.map((descriptor) => [descriptor.key, descriptor]));
}

const INDEX: { readonly [K in TableKind]: ReadonlyMap<string, EntityDescriptor<SourceFor<K>>> } = {
  vehicle: index(VEHICLE_ENTITIES),
  energy_site: index(ENERGY_SITE_ENTITIES),
  wall_connector: index(WALL_CONNECTOR_ENTITIES),
  bridge: index(BRIDGE_ENTITIES),
};

/** The row of `key` in the table of `kind` (e.g. from a command topic), or undefined for an unknown key. */
export function descriptorFor<K extends TableKind>(kind: K, key: string): EntityDescriptor<SourceFor<K>> | undefined {
  const table: ReadonlyMap<string, EntityDescriptor<SourceFor<K>>> = INDEX[kind];
  return table.get(key);
}
