import { type DeviceIdentity, uniqueDeviceId } from './device-identity.js';
import type { DeviceNaming } from './naming.js';
import { at, str } from './read.js';
import type { EnergySiteSource, VehicleSource, WallConnectorSource } from './sources.js';
import { decodeVin } from './vin.js';

const MODEL_NAMES: Record<string, string> = { S: 'Model S', X: 'Model X', '3': 'Model 3', Y: 'Model Y', C: 'Cybertruck' };

/** How a car appears in Home Assistant's device registry. */
export function vehicleIdentity(source: VehicleSource, naming: DeviceNaming): DeviceIdentity {
  const facts = decodeVin(source.vin);
  const model = facts.model ? `${MODEL_NAMES[facts.model]}${facts.year ? ` (${facts.year})` : ''}` : undefined;
  const version = str(at(source.data, 'vehicle_state.car_version'))?.split(' ')[0];
  const name =
    naming.vehicleConfig(source.vin)?.name ??
    str(source.summary.display_name) ??
    str(at(source.data, 'vehicle_state.vehicle_name')) ??
    `${facts.model ? MODEL_NAMES[facts.model] : 'Tesla'} ${source.vin.slice(-6)}`;
  return {
    kind: 'vehicle',
    topicId: naming.topicId({ kind: 'vehicle', id: source.vin }),
    hardwareId: source.vin,
    name,
    model,
    swVersion: version,
    serialNumber: source.vin,
    viaDevice: uniqueDeviceId({ kind: 'bridge', hardwareId: 'bridge' }),
  };
}

function partNames(info: Record<string, unknown> | undefined): string | undefined {
  const names = new Set<string>();
  for (const list of ['components.gateways', 'components.batteries']) {
    const entries = at(info, list);
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      const name = str(at(entry, 'part_name'));
      if (name) names.add(name);
    }
  }
  return names.size > 0 ? [...names].sort().join(', ') : undefined;
}

export function siteIdentity(source: EnergySiteSource, naming: DeviceNaming): DeviceIdentity {
  return {
    kind: 'energy_site',
    topicId: naming.topicId({ kind: 'energy_site', id: source.id }),
    hardwareId: source.id,
    name: naming.siteConfig(source.id)?.name ?? str(source.summary.site_name) ?? str(at(source.info, 'site_name')) ?? `Energy site ${source.id.slice(-6)}`,
    model: partNames(source.info) ?? 'Energy site',
    swVersion: str(at(source.info, 'version')) ?? undefined,
    viaDevice: uniqueDeviceId({ kind: 'bridge', hardwareId: 'bridge' }),
  };
}

export function wallConnectorIdentity(source: WallConnectorSource): DeviceIdentity {
  return {
    kind: 'wall_connector',
    topicId: source.din,
    hardwareId: source.din,
    name: `Wall Connector ${source.din.slice(-4)}`,
    model: str(at(source.info, 'part_name')) ?? 'Wall Connector',
    // Tesla's DIN ends in the serial number, after its last dash.
    serialNumber: source.din.includes('-') ? source.din.slice(source.din.lastIndexOf('-') + 1) : source.din,
    viaDevice: uniqueDeviceId({ kind: 'energy_site', hardwareId: source.siteId }),
  };
}
