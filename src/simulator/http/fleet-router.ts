import type { Region } from '../types.js';
import { reply, type SimContext } from './context.js';
import { energyCommand, energyRead } from './energy-routes.js';
import type { FleetDeps } from './fleet-deps.js';
import { userGate, type UserAccess } from './fleet-gate.js';
import { partnerRoute } from './partner-routes.js';
import { teslaError } from './tesla-errors.js';
import { fleetStatus, products, usersMe, usersRegion, vehicleList } from './user-routes.js';
import { command, signedCommand, vehicleDataRoute, vehicleState, wakeUp } from './vehicle-routes.js';
import { deleteCarConfig, pushConfigJws, pushConfigUnsigned, readCarConfig } from './telemetry-routes.js';

/**
 * The Fleet API of one region (`${url}/na` …): routes `/api/1/…` after the gate.
 *
 *   GET  /api/1/users/region · /api/1/users/me · /api/1/products · /api/1/vehicles
 *   POST /api/1/vehicles/fleet_status · /fleet_telemetry_config_jws
 *   GET | DELETE /api/1/vehicles/{vin|id}/fleet_telemetry_config
 *   GET  /api/1/vehicles/{vin|id} · /api/1/vehicles/{vin|id}/vehicle_data?endpoints=a;b
 *   POST /api/1/vehicles/{vin|id}/wake_up · /command/{name} · /signed_command
 *   GET  /api/1/energy_sites/{id}/live_status · /site_info · /calendar_history
 *   POST /api/1/energy_sites/{id}/backup · /operation · /grid_import_export · /storm_mode ·
 *        /off_grid_vehicle_charging_reserve · /time_of_use_settings
 *   POST /api/1/partner_accounts · GET /api/1/partner_accounts/public_key · /fleet_telemetry_errors
 */

type Route = {
  method: string;
  pattern: RegExp;
  handle: (ctx: SimContext, deps: FleetDeps, access: UserAccess, params: string[]) => void;
};

const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/api\/1\/users\/region$/, handle: (ctx, deps, access) => usersRegion(ctx, deps, access) },
  { method: 'GET', pattern: /^\/api\/1\/users\/me$/, handle: (ctx, deps, access) => usersMe(ctx, deps, access) },
  { method: 'GET', pattern: /^\/api\/1\/products$/, handle: (ctx, deps, access) => products(ctx, deps, access) },
  { method: 'GET', pattern: /^\/api\/1\/vehicles$/, handle: (ctx, deps, access) => vehicleList(ctx, deps, access) },
  { method: 'POST', pattern: /^\/api\/1\/vehicles\/fleet_status$/, handle: (ctx, deps, access) => fleetStatus(ctx, deps, access) },
  { method: 'POST', pattern: /^\/api\/1\/vehicles\/fleet_telemetry_config_jws$/, handle: (ctx, deps, access) => pushConfigJws(ctx, deps, access) },
  { method: 'POST', pattern: /^\/api\/1\/vehicles\/fleet_telemetry_config$/, handle: (ctx) => pushConfigUnsigned(ctx) },
  {
    method: 'GET',
    pattern: /^\/api\/1\/vehicles\/([^/]+)\/fleet_telemetry_config$/,
    handle: (ctx, deps, access, [tag = '']) => readCarConfig(ctx, deps, access, tag),
  },
  {
    method: 'DELETE',
    pattern: /^\/api\/1\/vehicles\/([^/]+)\/fleet_telemetry_config$/,
    handle: (ctx, deps, access, [tag = '']) => deleteCarConfig(ctx, deps, access, tag),
  },
  { method: 'GET', pattern: /^\/api\/1\/vehicles\/([^/]+)$/, handle: (ctx, deps, access, [tag = '']) => vehicleState(ctx, deps, access, tag) },
  {
    method: 'GET',
    pattern: /^\/api\/1\/vehicles\/([^/]+)\/vehicle_data$/,
    handle: (ctx, deps, access, [tag = '']) => vehicleDataRoute(ctx, deps, access, tag),
  },
  { method: 'POST', pattern: /^\/api\/1\/vehicles\/([^/]+)\/wake_up$/, handle: (ctx, deps, access, [tag = '']) => wakeUp(ctx, deps, access, tag) },
  {
    method: 'POST',
    pattern: /^\/api\/1\/vehicles\/([^/]+)\/command\/([a-z0-9_]+)$/,
    handle: (ctx, deps, access, [tag = '', name = '']) => command(ctx, deps, access, tag, name),
  },
  {
    method: 'POST',
    pattern: /^\/api\/1\/vehicles\/([^/]+)\/signed_command$/,
    handle: (ctx, deps, access, [tag = '']) => signedCommand(ctx, deps, access, tag),
  },
  {
    method: 'GET',
    pattern: /^\/api\/1\/energy_sites\/([^/]+)\/(live_status|site_info|calendar_history)$/,
    handle: (ctx, deps, access, [id = '', what = '']) => energyRead(ctx, deps, access, id, what),
  },
  {
    method: 'POST',
    pattern: /^\/api\/1\/energy_sites\/([^/]+)\/([a-z_]+)$/,
    handle: (ctx, deps, access, [id = '', name = '']) => energyCommand(ctx, deps, access, id, name),
  },
];

export async function handleFleet(ctx: SimContext, deps: FleetDeps, region: Region, apiPath: string): Promise<void> {
  if (apiPath.startsWith('/api/1/partner_accounts')) {
    await partnerRoute(ctx, deps, region, apiPath);
    return;
  }
  const access = userGate(ctx, deps, region, apiPath === '/api/1/users/region');
  if (!access) return;
  let wrongMethod = false;
  for (const route of ROUTES) {
    const match = route.pattern.exec(apiPath);
    if (!match) continue;
    if (route.method !== ctx.method) {
      wrongMethod = true;
      continue;
    }
    route.handle(
      ctx,
      deps,
      access,
      match.slice(1).map((part) => decodeURIComponent(part)),
    );
    return;
  }
  if (wrongMethod) reply(ctx, 405, teslaError('method not allowed', `${ctx.method} is not allowed on ${apiPath}`));
  else reply(ctx, 404, teslaError('not_found', `nothing at ${apiPath}`));
}
