import { CalendarQueryError, calendarHistory } from '../energy/calendar.js';
import { ENERGY_COMMANDS, EnergyInputError } from '../energy/commands.js';
import type { EnergySite } from '../energy/energy-site.js';
import { liveStatus, siteInfo } from '../energy/render.js';
import { jsonBody, reply, type SimContext } from './context.js';
import type { FleetDeps } from './fleet-deps.js';
import { requireScope, type UserAccess } from './fleet-gate.js';
import { teslaError } from './tesla-errors.js';

/** /api/1/energy_sites/{id}/…: reads need energy_device_data, settings energy_cmds. Tesla bills none of them. */

function ownSite(ctx: SimContext, deps: FleetDeps, access: UserAccess, id: string): EnergySite | undefined {
  const site = deps.world.site(id);
  if (site && site.account === access.account.email) return site;
  reply(ctx, 404, teslaError('not_found', `energy site ${id} not found`));
  return undefined;
}

export function energyRead(ctx: SimContext, deps: FleetDeps, access: UserAccess, id: string, what: string): void {
  if (!requireScope(ctx, access, 'energy_device_data')) return;
  const site = ownSite(ctx, deps, access, id);
  if (!site) return;
  const now = deps.clock.now();
  switch (what) {
    case 'live_status':
      reply(ctx, 200, { response: liveStatus(site, deps.world.siteFlows(site), now, (din) => deps.world.vehicleOn(din)) });
      return;
    case 'site_info':
      reply(ctx, 200, { response: siteInfo(site, now) });
      return;
    case 'calendar_history':
      try {
        reply(ctx, 200, { response: calendarHistory(site, ctx.query, now) });
      } catch (error) {
        if (!(error instanceof CalendarQueryError)) throw error;
        reply(ctx, 400, teslaError('invalid_field', error.message));
      }
      return;
    default:
      reply(ctx, 404, teslaError('not_found', `no energy site endpoint ${what}`));
  }
}

export function energyCommand(ctx: SimContext, deps: FleetDeps, access: UserAccess, id: string, name: string): void {
  if (!requireScope(ctx, access, 'energy_cmds')) return;
  const site = ownSite(ctx, deps, access, id);
  if (!site) return;
  const handler = ENERGY_COMMANDS[name];
  const body = jsonBody(ctx);
  if (!handler || body === undefined) {
    reply(ctx, 400, teslaError(handler ? 'invalid_request' : 'invalid_command', handler ? 'the body must be a JSON object' : `unknown energy command ${name}`));
    return;
  }
  try {
    handler(site, body);
    reply(ctx, 200, { response: { code: 201, message: 'Updated' } });
  } catch (error) {
    if (!(error instanceof EnergyInputError)) throw error;
    reply(ctx, 400, teslaError('invalid_field', error.message));
  }
}
