import { siteProduct } from '../energy/render.js';
import { vehicleConfig } from '../vehicle/render-drive-state.js';
import { vehicleSummary } from '../vehicle/render.js';
import { offsetMinutes } from '../util/time-zone.js';
import { jsonBody, reply, type SimContext } from './context.js';
import type { FleetDeps } from './fleet-deps.js';
import { requireScope, type UserAccess } from './fleet-gate.js';
import { teslaError } from './tesla-errors.js';

/** Account-level endpoints: users/region, users/me, products, the vehicle list and fleet_status. */

export function usersRegion(ctx: SimContext, deps: FleetDeps, access: UserAccess): void {
  const region = access.account.region;
  reply(ctx, 200, { response: { region, fleet_api_base_url: deps.regionBaseUrl(region) } });
}

export function usersMe(ctx: SimContext, _deps: FleetDeps, access: UserAccess): void {
  if (!requireScope(ctx, access, 'user_data')) return;
  const { account } = access;
  reply(ctx, 200, {
    response: { email: account.email, full_name: account.fullName, profile_image_url: '', vault_uuid: account.id },
  });
}

function ownVehicles(deps: FleetDeps, access: UserAccess) {
  return deps.world.vehicles.filter((v) => v.account === access.account.email);
}

/** Vehicles need vehicle_device_data and energy sites energy_device_data; without them they are left out, not refused. */
export function products(ctx: SimContext, deps: FleetDeps, access: UserAccess): void {
  const now = deps.clock.now();
  const offset = offsetMinutes(now, deps.world.timeZone) * 60;
  const vehicles = access.scopes.has('vehicle_device_data')
    ? ownVehicles(deps, access).map((v) => ({ ...vehicleSummary(v), vehicle_config: vehicleConfig(v, now, offset) }))
    : [];
  const sites = access.scopes.has('energy_device_data')
    ? deps.world.sites.filter((site) => site.account === access.account.email).map((site) => siteProduct(site, deps.world.siteFlows(site)))
    : [];
  const response = [...vehicles, ...sites];
  reply(ctx, 200, { response, count: response.length });
}

export function vehicleList(ctx: SimContext, deps: FleetDeps, access: UserAccess): void {
  if (!requireScope(ctx, access, 'vehicle_device_data')) return;
  const perPage = Math.max(1, Math.min(100, Number(ctx.query.per_page ?? 100) || 100));
  const page = Math.max(1, Number(ctx.query.page ?? 1) || 1);
  const all = ownVehicles(deps, access);
  const pages = Math.max(1, Math.ceil(all.length / perPage));
  const response = all.slice((page - 1) * perPage, page * perPage).map(vehicleSummary);
  reply(ctx, 200, {
    response,
    pagination: { previous: page > 1 ? page - 1 : null, next: page < pages ? page + 1 : null, current: page, per_page: perPage, count: all.length, pages },
    count: all.length,
  });
}

export function fleetStatus(ctx: SimContext, deps: FleetDeps, access: UserAccess): void {
  if (!requireScope(ctx, access, 'vehicle_device_data')) return;
  const body = jsonBody(ctx);
  const vins = body?.vins;
  if (!Array.isArray(vins) || !vins.every((vin) => typeof vin === 'string')) {
    reply(ctx, 400, teslaError('invalid_field', 'vins must be a list of VINs'));
    return;
  }
  const own = new Map(ownVehicles(deps, access).map((v) => [v.vin, v]));
  const paired: string[] = [];
  const unpaired: string[] = [];
  const info: Record<string, unknown> = {};
  for (const vin of vins as string[]) {
    const v = own.get(vin);
    if (v?.state.keyPaired) paired.push(vin);
    else unpaired.push(vin);
    if (v) {
      info[vin] = {
        firmware_version: v.state.carVersion.split(' ')[0] ?? v.state.carVersion,
        vehicle_command_protocol_required: v.state.commandSigning === 'required',
        discounted_device_data: false,
        fleet_telemetry_version: '1.1.0',
        total_number_of_keys: v.state.keyPaired ? 3 : 2,
        safety_screen_streaming_toggle_enabled: null,
      };
    }
  }
  reply(ctx, 200, { response: { key_paired_vins: paired, unpaired_vins: unpaired, vehicle_info: info } });
}
