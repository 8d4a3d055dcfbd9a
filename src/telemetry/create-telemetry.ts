import type { TelemetryService } from './service.js';
import type { TelemetrySetupDeps } from './setup.js';

/**
 * Fleet Telemetry when `telemetry.enabled`, its code loaded only then; undefined otherwise (the
 * poller then polls as before), and what was saved about streaming is dropped, since it would
 * show a stale data source.
 */
export async function createTelemetry(deps: TelemetrySetupDeps): Promise<TelemetryService | undefined> {
  if (deps.config.telemetry.enabled) return (await import('./setup.js')).buildTelemetry(deps);
  for (const vehicle of deps.registry.vehicles()) if (vehicle.stream) deps.registry.updateVehicle(vehicle.vin, (v) => void delete v.stream);
  return undefined;
}
