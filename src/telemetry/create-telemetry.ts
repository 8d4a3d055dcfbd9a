import type { AuthSetup } from '../auth/setup.js';
import type { Config } from '../config/schema.js';
import type { Base } from '../core/base.js';
import type { Fleet } from '../fleet/create-fleet.js';
import type { UsageSink } from '../fleet/meter.js';
import type { RegionResolver } from '../fleet/region.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import type { TelemetryService } from './service.js';

export interface TelemetryInput {
  config: Config;
  /** The config file's folder (for a relative telemetry.ca). */
  configDir: string;
  registry: DeviceRegistry;
  naming: DeviceNaming;
  fleet: Fleet;
  auth: AuthSetup;
  region: RegionResolver;
  meter: UsageSink;
  /** teslahub's own broker URL, read at start (the embedded broker's port is known only then). */
  mqttUrl: () => string;
}

/**
 * Fleet Telemetry when `telemetry.enabled`, its code loaded only then; undefined otherwise (the
 * poller then polls as before), and what was saved about streaming is dropped, since it would
 * show a stale data source.
 */
export async function createTelemetry(base: Base, input: TelemetryInput): Promise<TelemetryService | undefined> {
  const { config, registry, fleet, auth, region } = input;
  if (config.telemetry.enabled) {
    const { buildTelemetry } = await import('./setup.js');
    const { bus, clock } = base;
    const oauth = auth.oauth;
    const log = base.log.child('telemetry');
    return buildTelemetry({ ...input, bus, clock, log, fleet: fleet.client, transport: fleet.transport, oauth, baseUrl: () => region.baseUrl() });
  }
  for (const vehicle of registry.vehicles()) if (vehicle.stream) registry.updateVehicle(vehicle.vin, (v) => void delete v.stream);
  return undefined;
}
