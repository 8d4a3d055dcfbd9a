import type { BillingCategory } from '../types.js';
import { CHARGING_COMMAND_NAMES, CommandInputError, executeVehicleCommand, isVehicleCommand } from '../vehicle/commands.js';
import { vehicleData, vehicleSummary } from '../vehicle/render.js';
import type { Vehicle } from '../vehicle/vehicle.js';
import { jsonBody, reply, type SimContext } from './context.js';
import type { FleetDeps } from './fleet-deps.js';
import { requireScope, type UserAccess } from './fleet-gate.js';
import { rateLimited, teslaError, VCP_REQUIRED, VEHICLE_UNAVAILABLE } from './tesla-errors.js';
import { restOnlyCommand, signedCommandOnVehicle } from './signed-command-route.js';

/**
 * Per-vehicle endpoints. Order of checks: scope (403), the car on this account (404), the
 * per-vehicle rate limit (429), and then what the car itself says (VCP 403, asleep 408).
 */

function ownVehicle(ctx: SimContext, deps: FleetDeps, access: UserAccess, tag: string): Vehicle | undefined {
  const vehicle = deps.world.vehicle(tag);
  if (vehicle && vehicle.account === access.account.email) return vehicle;
  reply(ctx, 404, teslaError('not_found', `vehicle ${tag} not found`));
  return undefined;
}

function withinRateLimit(ctx: SimContext, deps: FleetDeps, vehicle: Vehicle, category: BillingCategory): boolean {
  const decision = deps.rateLimiter?.check(vehicle.vin, category, deps.clock.now()) ?? { ok: true };
  if (decision.ok) return true;
  reply(ctx, 429, teslaError(rateLimited(decision.retryAfterS)), {
    'retry-after': String(decision.retryAfterS),
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': '0',
    'ratelimit-reset': String(decision.retryAfterS),
  });
  return false;
}

/** GET /vehicles/{tag}: the state as the cloud knows it; never reaches the car, never keeps it awake. */
export function vehicleState(ctx: SimContext, deps: FleetDeps, access: UserAccess, tag: string): void {
  if (!requireScope(ctx, access, 'vehicle_device_data')) return;
  const vehicle = ownVehicle(ctx, deps, access, tag);
  if (vehicle) reply(ctx, 200, { response: vehicleSummary(vehicle) });
}

export function vehicleDataRoute(ctx: SimContext, deps: FleetDeps, access: UserAccess, tag: string): void {
  if (!requireScope(ctx, access, 'vehicle_device_data')) return;
  const vehicle = ownVehicle(ctx, deps, access, tag);
  if (!vehicle || !withinRateLimit(ctx, deps, vehicle, 'data')) return;
  if (vehicle.status !== 'online') {
    reply(ctx, 408, teslaError(VEHICLE_UNAVAILABLE));
    return;
  }
  const now = deps.clock.now();
  vehicle.noteDataRequest(now);
  const endpoints = ctx.query.endpoints
    ?.split(';')
    .map((name) => name.trim())
    .filter(Boolean);
  const body = vehicleData(vehicle, {
    now,
    timeZone: deps.world.timeZone,
    endpoints: endpoints && endpoints.length > 0 ? endpoints : undefined,
    locationScope: access.scopes.has('vehicle_location'),
  });
  reply(ctx, 200, { response: body });
}

/** Scope: any vehicle scope will do (a data-only app may wake a car to read it; Tesla does not document which). */
export function wakeUp(ctx: SimContext, deps: FleetDeps, access: UserAccess, tag: string): void {
  if (!requireScope(ctx, access, 'vehicle_cmds', 'vehicle_device_data', 'vehicle_charging_cmds')) return;
  const vehicle = ownVehicle(ctx, deps, access, tag);
  if (!vehicle || !withinRateLimit(ctx, deps, vehicle, 'wake')) return;
  // The answer shows the state at this instant; the car comes online after its wake delay.
  const answer = vehicleSummary(vehicle);
  vehicle.requestWake(deps.clock.now());
  reply(ctx, 200, { response: answer });
}

export function command(ctx: SimContext, deps: FleetDeps, access: UserAccess, tag: string, name: string): void {
  const scopes = CHARGING_COMMAND_NAMES.has(name) ? (['vehicle_cmds', 'vehicle_charging_cmds'] as const) : (['vehicle_cmds'] as const);
  if (!requireScope(ctx, access, ...scopes)) return;
  const vehicle = ownVehicle(ctx, deps, access, tag);
  if (!vehicle || !withinRateLimit(ctx, deps, vehicle, 'command')) return;
  if (!isVehicleCommand(name)) {
    reply(ctx, 400, teslaError('invalid_command', `unknown command ${name}`));
    return;
  }
  if (vehicle.state.commandSigning === 'required' && !restOnlyCommand(name)) {
    reply(ctx, 403, teslaError(VCP_REQUIRED));
    return;
  }
  if (vehicle.status !== 'online') {
    reply(ctx, 408, teslaError(VEHICLE_UNAVAILABLE));
    return;
  }
  const body = jsonBody(ctx);
  if (body === undefined) {
    reply(ctx, 400, teslaError('invalid_request', 'the body must be a JSON object'));
    return;
  }
  try {
    const result = executeVehicleCommand(vehicle, name, body, { now: deps.clock.now(), env: deps.world.env });
    reply(ctx, 200, { response: result });
  } catch (error) {
    if (!(error instanceof CommandInputError)) throw error;
    reply(ctx, 400, teslaError('invalid_field', error.message));
  }
}

/** Signed commands: the car's side of the Vehicle Command Protocol (signed-command-route.ts, simulator/vcp). */
export function signedCommand(ctx: SimContext, deps: FleetDeps, access: UserAccess, tag: string): void {
  if (!requireScope(ctx, access, 'vehicle_cmds', 'vehicle_charging_cmds')) return;
  const vehicle = ownVehicle(ctx, deps, access, tag);
  if (!vehicle || !withinRateLimit(ctx, deps, vehicle, 'command')) return;
  signedCommandOnVehicle(ctx, deps, access, vehicle);
}
