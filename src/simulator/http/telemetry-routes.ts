import { TELEMETRY_AUDIENCE, verifyTeslaJws } from '../../telemetry/jws.js';
import type { TelemetryConfigs } from '../telemetry/configs.js';
import { firmwareAtLeast, validateClaims } from '../telemetry/claims.js';
import type { Vehicle } from '../vehicle/vehicle.js';
import { jsonBody, reply, type SimContext } from './context.js';
import type { FleetDeps } from './fleet-deps.js';
import { requireScope, type UserAccess } from './fleet-gate.js';
import { teslaError } from './tesla-errors.js';

/**
 * Tesla's Fleet Telemetry configuration endpoints:
 *   POST /api/1/vehicles/fleet_telemetry_config_jws   {vins, token}: a Tesla.SS256 token whose
 *        signature must verify with the app's public key registered in this region and whose aud
 *        is com.tesla.fleet.TelemetryClient; cars are skipped for missing_key,
 *        unsupported_hardware (pre-2021 S/X below 2025.20) and unsupported_firmware (below 2024.26);
 *        a car already at the app limit is counted as updated but keeps no config.
 *   POST /api/1/vehicles/fleet_telemetry_config       412: only through the vehicle-command proxy.
 *   GET | DELETE /api/1/vehicles/{vin}/fleet_telemetry_config
 */

function state(deps: FleetDeps): TelemetryConfigs | undefined {
  return deps.telemetry;
}

function ownCar(deps: FleetDeps, access: UserAccess, tag: string): Vehicle | undefined {
  const vehicle = deps.world.vehicle(tag);
  return vehicle && vehicle.account === access.account.email ? vehicle : undefined;
}

/** The caller's car and the config store, or a 404 (or the scope error) already answered. */
function carConfigs(ctx: SimContext, deps: FleetDeps, access: UserAccess, tag: string): { car: Vehicle; configs: TelemetryConfigs } | undefined {
  if (!requireScope(ctx, access, 'vehicle_device_data')) return undefined;
  const car = ownCar(deps, access, tag);
  const configs = state(deps);
  if (!car || !configs) {
    reply(ctx, 404, teslaError('not_found', `vehicle ${tag} not found`));
    return undefined;
  }
  return { car, configs };
}

export function pushConfigJws(ctx: SimContext, deps: FleetDeps, access: UserAccess): void {
  if (!requireScope(ctx, access, 'vehicle_device_data')) return;
  const configs = state(deps);
  if (!configs) {
    reply(ctx, 404, teslaError('not_found', 'Fleet Telemetry is not simulated here'));
    return;
  }
  const body = jsonBody(ctx);
  const vins = body?.vins;
  const token = body?.token;
  if (!Array.isArray(vins) || vins.length === 0 || !vins.every((vin) => typeof vin === 'string') || typeof token !== 'string') {
    reply(ctx, 400, teslaError('send {"vins": ["<VIN>", …], "token": "<Tesla.SS256 JWS>"}'));
    return;
  }
  const registration = deps.clients.get(access.clientId)?.registrations.get(access.region);
  if (!registration) {
    reply(
      ctx,
      400,
      teslaError('no public key is registered for this application in this region; register the partner account (POST /api/1/partner_accounts) first'),
    );
    return;
  }
  const now = deps.clock.now();
  const check = verifyTeslaJws(token, {
    trustedKeys: [Buffer.from(registration.publicKeyHex, 'hex')],
    audience: TELEMETRY_AUDIENCE,
    nowS: Math.floor(now / 1000),
  });
  if (!check.ok) {
    reply(ctx, 400, teslaError(`invalid token: ${check.detail}`));
    return;
  }
  const problem = validateClaims(check.claims);
  if (problem) {
    reply(ctx, 400, teslaError(`invalid config: ${problem}`));
    return;
  }
  const cars: Vehicle[] = [];
  for (const vin of vins as string[]) {
    const car = ownCar(deps, access, vin);
    if (!car) {
      reply(ctx, 404, teslaError('not_found', `vehicle ${vin} not found`));
      return;
    }
    cars.push(car);
  }
  const skipped: Record<string, string[]> = { missing_key: [], unsupported_hardware: [], unsupported_firmware: [], max_configs: [] };
  let updated = 0;
  for (const car of cars) {
    const version = car.state.carVersion;
    if (car.pre2021 && !firmwareAtLeast(version, 2025, 20)) skipped.unsupported_hardware?.push(car.vin);
    else if (!firmwareAtLeast(version, 2024, 26)) skipped.unsupported_firmware?.push(car.vin);
    else if (!car.state.keyPaired) skipped.missing_key?.push(car.vin);
    else {
      configs.put(car.vin, access.clientId, check.claims, now);
      updated += 1;
    }
  }
  reply(ctx, 200, { response: { updated_vehicles: updated, skipped_vehicles: skipped } });
}

export function pushConfigUnsigned(ctx: SimContext): void {
  reply(
    ctx,
    412,
    teslaError(
      'fleet_telemetry_config must be called through the Vehicle Command HTTP Proxy',
      'sign the configuration and POST it to fleet_telemetry_config_jws',
    ),
  );
}

export function readCarConfig(ctx: SimContext, deps: FleetDeps, access: UserAccess, tag: string): void {
  const found = carConfigs(ctx, deps, access, tag);
  if (!found) return;
  const { car, configs } = found;
  const keyPaired = car.state.keyPaired;
  if (configs.isRefused(car.vin, access.clientId)) {
    reply(ctx, 200, { response: { synced: true, config: null, limit_reached: true, key_paired: keyPaired } });
    return;
  }
  if (car.status === 'online' && keyPaired) configs.adoptPending(car.vin, deps.clock.now());
  const config = configs.get(car.vin, access.clientId);
  reply(ctx, 200, { response: { synced: config?.synced ?? false, config: config?.claims ?? null, limit_reached: false, key_paired: keyPaired } });
}

export function deleteCarConfig(ctx: SimContext, deps: FleetDeps, access: UserAccess, tag: string): void {
  const found = carConfigs(ctx, deps, access, tag);
  if (!found) return;
  const { car, configs } = found;
  reply(ctx, 200, { response: { updated_vehicles: configs.remove(car.vin, access.clientId) ? 1 : 0 } });
}
