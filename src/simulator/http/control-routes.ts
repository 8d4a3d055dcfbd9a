import { z } from 'zod';
import { describeIssues } from '../scenario/load.js';
import { scenarioEventSchema } from '../scenario/events-schema.js';
import { region, sitePatchSchema, vehiclePatchSchema } from '../scenario/fields.js';
import { SCOPES } from '../scenario/schema.js';
import type { TokenOptions } from '../simulator-options.js';
import type { BillingReport, FaultRule, Region, SimRequest } from '../types.js';
import { WorldError } from '../world/errors.js';
import type { World } from '../world/world.js';
import { jsonBody, reply, type SimContext } from './context.js';
import { FaultRuleError } from './faults.js';

/**
 * Test and demo controls, for users outside the process (a spawned daemon, the CLI, curl). Not
 * logged as requests, never faulted, no authentication (the simulator listens on loopback).
 *
 *   GET    /__sim/requests[?since=N]   the request log (entries from index N) and its total
 *   DELETE /__sim/requests             empties the request log and the bill
 *   GET    /__sim/billing              counts per category, USD, billed entries
 *   GET    /__sim/faults               active fault rules with uses left
 *   POST   /__sim/faults               adds a FaultRule (JSON; "times": "Infinity" for no limit) → {id}
 *   DELETE /__sim/faults               removes every fault rule
 *   GET    /__sim/world                snapshot of accounts, cars, sites, upcoming events
 *   GET    /__sim/time                 simulated now
 *   POST   /__sim/vehicles/{vin}       patch facts (VehiclePatch: userPresent, sentry, doors, pluggedIn, asleep, offline…)
 *   POST   /__sim/vehicles/{vin}/events  run a vehicle event now ({"type":"drive",…} as in scenarios, without "at")
 *   POST   /__sim/sites/{id}           patch a site (SitePatch: gridUp, stormWatch, mode, backupReserve, solarFactor…)
 *   POST   /__sim/sites/{id}/events    run a site event now ({"type":"grid_outage","duration":"1h"})
 *   POST   /__sim/account              {"region":"eu","email"?} moves the account to another region
 *   POST   /__sim/registration         {"region":"eu","registered":false,"clientId"?} app registration per region
 *   POST   /__sim/revoke-refresh-tokens     every refresh token stops working (login_required)
 *   POST   /__sim/invalidate-access-tokens  every access token issued so far is refused (401)
 *   POST   /__sim/tokens               {"scopes"?,"clientId"?,"email"?} → a token response without the browser dance
 */
export interface SimControls {
  readonly world: World;
  now(): number;
  requests(): SimRequest[];
  billing(): BillingReport;
  resetRequests(): void;
  addFault(rule: FaultRule): number;
  faults(): unknown[];
  clearFaults(): void;
  setAccountRegion(region: Region, email?: string): void;
  setRegistered(region: Region, registered: boolean, clientId?: string): void;
  revokeRefreshTokens(): void;
  invalidateAccessTokens(): void;
  issueTokens(options: TokenOptions): Record<string, unknown>;
}

const faultSchema = z.strictObject({
  method: z.string().optional(),
  path: z.string().optional(),
  vin: z.string().optional(),
  grantType: z.string().optional(),
  status: z.number().int(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  delayMs: z.number().min(0).optional(),
  replyDelayMs: z.number().min(0).optional(),
  times: z.union([z.number(), z.literal('Infinity'), z.null()]).optional(),
});

const tokenRequestSchema = z.strictObject({
  scopes: z.array(z.enum(SCOPES)).optional(),
  clientId: z.string().optional(),
  email: z.string().optional(),
});

function parse<T>(ctx: SimContext, schema: z.ZodType<T>): T | undefined {
  const body = jsonBody(ctx);
  if (body === undefined) {
    reply(ctx, 400, { error: 'invalid_json', message: 'the body must be a JSON object' });
    return undefined;
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    reply(ctx, 400, { error: 'invalid_body', issues: describeIssues(result.error) });
    return undefined;
  }
  return result.data;
}

function toFaultRule(input: z.output<typeof faultSchema>): FaultRule {
  const { times, ...rest } = input;
  const rule: FaultRule = { status: rest.status };
  if (rest.method !== undefined) rule.method = rest.method;
  if (rest.path !== undefined) rule.path = rest.path;
  if (rest.vin !== undefined) rule.vin = rest.vin;
  if (rest.grantType !== undefined) rule.grantType = rest.grantType;
  if ('body' in rest) rule.body = rest.body;
  if (rest.headers !== undefined) rule.headers = rest.headers;
  if (rest.delayMs !== undefined) rule.delayMs = rest.delayMs;
  if (rest.replyDelayMs !== undefined) rule.replyDelayMs = rest.replyDelayMs;
  if (times !== undefined) rule.times = times === null || times === 'Infinity' ? Infinity : times;
  return rule;
}

function vehicleJson(controls: SimControls, vin: string): unknown {
  const snapshot = controls.world.snapshot() as { vehicles: { vin: string }[] };
  return snapshot.vehicles.find((v) => v.vin === vin);
}

export function handleControl(ctx: SimContext, controls: SimControls): void {
  const { method, path } = ctx;
  const route = `${method} ${path}`;
  try {
    if (route === 'GET /__sim/requests') {
      const all = controls.requests();
      const since = Math.max(0, Number(ctx.query.since ?? 0) || 0);
      reply(ctx, 200, { total: all.length, requests: all.slice(since) });
    } else if (route === 'DELETE /__sim/requests') {
      controls.resetRequests();
      reply(ctx, 200, { ok: true });
    } else if (route === 'GET /__sim/billing') {
      reply(ctx, 200, controls.billing());
    } else if (route === 'GET /__sim/faults') {
      reply(ctx, 200, { faults: controls.faults() });
    } else if (route === 'POST /__sim/faults') {
      const input = parse(ctx, faultSchema);
      if (input) reply(ctx, 201, { id: controls.addFault(toFaultRule(input)) });
    } else if (route === 'DELETE /__sim/faults') {
      controls.clearFaults();
      reply(ctx, 200, { ok: true });
    } else if (route === 'GET /__sim/world') {
      reply(ctx, 200, controls.world.snapshot());
    } else if (route === 'GET /__sim/time') {
      reply(ctx, 200, { now: controls.now(), iso: new Date(controls.now()).toISOString() });
    } else if (route === 'POST /__sim/account') {
      const input = parse(ctx, z.strictObject({ region, email: z.string().optional() }));
      if (input) {
        controls.setAccountRegion(input.region, input.email);
        reply(ctx, 200, { accounts: controls.world.accounts });
      }
    } else if (route === 'POST /__sim/registration') {
      const input = parse(ctx, z.strictObject({ region, registered: z.boolean(), clientId: z.string().optional() }));
      if (input) {
        controls.setRegistered(input.region, input.registered, input.clientId);
        reply(ctx, 200, { ok: true });
      }
    } else if (route === 'POST /__sim/revoke-refresh-tokens') {
      controls.revokeRefreshTokens();
      reply(ctx, 200, { ok: true });
    } else if (route === 'POST /__sim/invalidate-access-tokens') {
      controls.invalidateAccessTokens();
      reply(ctx, 200, { ok: true });
    } else if (route === 'POST /__sim/tokens') {
      const input = parse(ctx, tokenRequestSchema);
      if (input) reply(ctx, 200, controls.issueTokens(input));
    } else {
      handleDeviceControl(ctx, controls);
    }
  } catch (error) {
    if (error instanceof WorldError || error instanceof FaultRuleError) reply(ctx, 400, { error: 'rejected', message: error.message });
    else throw error;
  }
}

function handleDeviceControl(ctx: SimContext, controls: SimControls): void {
  const match = /^\/__sim\/(vehicles|sites)\/([^/]+)(\/events)?$/.exec(ctx.path);
  if (!match || ctx.method !== 'POST') {
    reply(ctx, 404, { error: 'not_found', message: `no control at ${ctx.method} ${ctx.path} (see the header of src/simulator/http/control-routes.ts)` });
    return;
  }
  const [, kind, rawId = '', events] = match;
  const id = decodeURIComponent(rawId);
  const world = controls.world;
  if (kind === 'vehicles' && !world.vehicle(id)) throw new WorldError(`no vehicle ${id}`);
  if (kind === 'sites' && !world.site(id)) throw new WorldError(`no energy site ${id}`);
  if (events) {
    const body = jsonBody(ctx);
    const withTarget = { ...(body ?? {}), at: '00:00', ...(kind === 'vehicles' ? { vehicle: world.vehicle(id)?.vin } : { site: id }) };
    const result = scenarioEventSchema.safeParse(withTarget);
    if (!result.success) {
      reply(ctx, 400, { error: 'invalid_body', issues: describeIssues(result.error) });
      return;
    }
    world.runEvent(result.data);
  } else if (kind === 'vehicles') {
    const patch = parse(ctx, vehiclePatchSchema);
    if (!patch) return;
    world.patchVehicle(id, patch);
  } else {
    const patch = parse(ctx, sitePatchSchema);
    if (!patch) return;
    world.patchSite(id, patch);
  }
  const snapshot = world.snapshot() as { sites: { id: string }[] };
  reply(ctx, 200, kind === 'vehicles' ? vehicleJson(controls, world.vehicle(id)?.vin ?? id) : snapshot.sites.find((s) => s.id === id));
}
