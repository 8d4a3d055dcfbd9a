import { z } from 'zod';
import type { FleetClient } from './client.js';
import { decode } from './decode.js';
import type { FleetResult } from './errors.js';

const record = z.record(z.string(), z.unknown());
export type LiveStatus = z.infer<typeof record>;
export type SiteInfo = z.infer<typeof record>;

const history = z
  .object({
    period: z.string().optional(),
    installation_time_zone: z.string().optional(),
    time_series: z.array(z.record(z.string(), z.unknown())).default([]),
  })
  .passthrough();
export type CalendarHistory = z.infer<typeof history>;

const path = (siteId: string): string => `/api/1/energy_sites/${encodeURIComponent(siteId)}`;

export async function getLiveStatus(client: FleetClient, siteId: string): Promise<FleetResult<LiveStatus>> {
  return decode(await client.call({ method: 'GET', path: `${path(siteId)}/live_status`, device: siteId }), record, 'live_status');
}

export async function getSiteInfo(client: FleetClient, siteId: string): Promise<FleetResult<SiteInfo>> {
  return decode(await client.call({ method: 'GET', path: `${path(siteId)}/site_info`, device: siteId }), record, 'site_info');
}

export async function getCalendarHistory(
  client: FleetClient,
  siteId: string,
  query: { period: 'day' | 'week' | 'month' | 'year'; start_date?: string; end_date?: string; time_zone?: string },
): Promise<FleetResult<CalendarHistory>> {
  const params: Record<string, string> = { kind: 'energy', period: query.period };
  for (const key of ['start_date', 'end_date', 'time_zone'] as const) {
    const value = query[key];
    if (value !== undefined) params[key] = value;
  }
  return decode(await client.call({ method: 'GET', path: `${path(siteId)}/calendar_history`, query: params, device: siteId }), history, 'calendar_history');
}

import type { EnergyCommand } from '../model/energy-commands.js';

export { ENERGY_COMMANDS, type EnergyCommand } from '../model/energy-commands.js';

/** POST an energy site setting; not billed today. */
export async function sendEnergyCommand(
  client: FleetClient,
  siteId: string,
  command: EnergyCommand,
  body: Record<string, unknown>,
): Promise<FleetResult<unknown>> {
  return client.call({ method: 'POST', path: `${path(siteId)}/${command}`, body, device: siteId, command: true });
}
