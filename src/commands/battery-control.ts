import { join } from 'node:path';
import { z } from 'zod';
import type { Clock, Timer } from '../core/clock.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { FleetClient } from '../fleet/client.js';
import { getSiteInfo, sendEnergyCommand } from '../fleet/energy.js';
import { describeFleetError } from '../fleet/errors.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import { at, bool, num, str } from '../model/read.js';
import { JsonStore, zodParser } from '../storage/json-store.js';

export type BatteryMode = 'normal' | 'charge' | 'discharge';

/** The reserve used to let the Powerwall discharge (a little kept for an outage). */
export const DISCHARGE_RESERVE_PERCENT = 5;

const settingsSchema = z.object({
  backup_reserve_percent: z.number(),
  default_real_mode: z.string(),
  customer_preferred_export_rule: z.string(),
  disallow_charge_from_grid_with_solar_installed: z.boolean(),
});
export type SiteSettings = z.infer<typeof settingsSchema>;

const fileSchema = z.object({
  version: z.literal(1),
  sites: z.record(z.string(), z.object({ mode: z.enum(['normal', 'charge', 'discharge']), until: z.number().nullable(), saved: settingsSchema })),
});
type BatteryFile = z.infer<typeof fileSchema>;

export type ControlOutcome = { ok: true; detail: string } | { ok: false; error: string };

/** The user's own settings, as site_info shows them (missing fields mean Tesla's defaults). */
export function settingsFromSiteInfo(info: Record<string, unknown>): SiteSettings | undefined {
  const reserve = num(info.backup_reserve_percent);
  const mode = str(info.default_real_mode);
  if (reserve === null || mode === null) return undefined;
  return {
    backup_reserve_percent: reserve,
    default_real_mode: mode,
    customer_preferred_export_rule: str(at(info, 'components.customer_preferred_export_rule')) ?? 'never',
    disallow_charge_from_grid_with_solar_installed: bool(at(info, 'components.disallow_charge_from_grid_with_solar_installed')) ?? false,
  };
}

type Call = { command: 'backup' | 'operation' | 'grid_import_export'; body: Record<string, unknown> };

/** The Fleet calls for each mode (documented in README: grid-services control). */
export function callsFor(mode: BatteryMode, saved: SiteSettings): Call[] {
  switch (mode) {
    case 'charge':
      return [
        { command: 'grid_import_export', body: { disallow_charge_from_grid_with_solar_installed: false } },
        { command: 'backup', body: { backup_reserve_percent: 100 } },
      ];
    case 'discharge':
      return [
        { command: 'operation', body: { default_real_mode: 'autonomous' } },
        { command: 'backup', body: { backup_reserve_percent: DISCHARGE_RESERVE_PERCENT } },
        { command: 'grid_import_export', body: { customer_preferred_export_rule: 'battery_ok' } },
      ];
    case 'normal':
      return [
        { command: 'operation', body: { default_real_mode: saved.default_real_mode } },
        { command: 'backup', body: { backup_reserve_percent: saved.backup_reserve_percent } },
        {
          command: 'grid_import_export',
          body: {
            customer_preferred_export_rule: saved.customer_preferred_export_rule,
            disallow_charge_from_grid_with_solar_installed: saved.disallow_charge_from_grid_with_solar_installed,
          },
        },
      ];
  }
}

/**
 * Grid-services control as aggregators offer it: "charge" (grid charging allowed, reserve 100 %)
 * or "discharge" (autonomous, low reserve, export from battery), for a while or until "normal".
 * Before the first change it saves the user's settings from a fresh site_info, and "normal" (or
 * the end of the duration, also across a restart) puts exactly those back. The site's own logic
 * (tariffs, grid rules, battery health) may still limit what actually flows.
 */
export class BatteryControl implements Service {
  readonly name = 'battery-control';
  private readonly timers = new Map<string, Timer>();
  private readonly store: JsonStore<BatteryFile>;
  private readonly deps: { fleet: FleetClient; registry: DeviceRegistry; clock: Clock; log: Logger };

  private constructor(store: JsonStore<BatteryFile>, deps: BatteryControl['deps']) {
    this.store = store;
    this.deps = deps;
  }

  static async open(dataDir: string, deps: BatteryControl['deps']): Promise<BatteryControl> {
    const store = await JsonStore.open<BatteryFile>({
      file: join(dataDir, 'battery-control.json'),
      secret: false,
      defaults: () => ({ version: 1, sites: {} }),
      parse: zodParser(fileSchema),
      log: deps.log,
      clock: deps.clock,
    });
    return new BatteryControl(store, deps);
  }

  async start(): Promise<void> {
    for (const [siteId, entry] of Object.entries(this.store.data.sites)) {
      this.mirror(siteId, entry.mode, entry.until ?? undefined);
      if (entry.until !== null) this.arm(siteId, entry.until);
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  mode(siteId: string): BatteryMode {
    return this.store.data.sites[siteId]?.mode ?? 'normal';
  }

  async set(siteId: string, mode: BatteryMode, durationS: number | undefined): Promise<ControlOutcome> {
    const entry = this.store.data.sites[siteId];
    if (mode === 'normal') {
      if (!entry) return { ok: true, detail: 'already normal: nothing to restore' };
      return this.restore(siteId, 'asked for normal');
    }
    let saved = entry?.saved;
    if (!saved) {
      // The user's settings, read fresh: a cached copy could be minutes old.
      const info = await getSiteInfo(this.deps.fleet, siteId);
      if (!info.ok) return { ok: false, error: `could not read the site's settings to save them: ${describeFleetError(info.error)}` };
      saved = settingsFromSiteInfo(info.value);
      if (!saved) return { ok: false, error: 'the site reports no backup reserve or operation mode, so its settings cannot be saved and restored' };
    }
    const until = durationS !== undefined ? this.deps.clock.now() + durationS * 1000 : null;
    // Saved first: if the daemon dies between calls, "normal" still knows what to put back.
    await this.store.update((data) => {
      data.sites[siteId] = { mode, until, saved: saved as SiteSettings };
    });
    const failure = await this.apply(siteId, callsFor(mode, saved));
    if (failure) {
      await this.restore(siteId, `"${mode}" failed half-way`);
      return { ok: false, error: failure };
    }
    this.mirror(siteId, mode, until ?? undefined);
    if (until !== null) this.arm(siteId, until);
    else this.timers.get(siteId)?.cancel();
    this.deps.log.info(`battery control ${mode}${until !== null ? ` until ${new Date(until).toISOString()}` : ''}`, { site: siteId });
    return { ok: true, detail: `${mode}${until !== null ? ` until ${new Date(until).toISOString()}` : ''}` };
  }

  private async restore(siteId: string, why: string): Promise<ControlOutcome> {
    const entry = this.store.data.sites[siteId];
    if (!entry) return { ok: true, detail: 'nothing to restore' };
    this.timers.get(siteId)?.cancel();
    this.timers.delete(siteId);
    const failure = await this.apply(siteId, callsFor('normal', entry.saved));
    if (failure) {
      this.deps.log.error(`could not restore the site's own settings (${why}): ${failure}; will try again`, { site: siteId });
      this.arm(siteId, this.deps.clock.now() + 60_000);
      return { ok: false, error: `could not restore the saved settings: ${failure}` };
    }
    await this.store.update((data) => {
      delete data.sites[siteId];
    });
    this.mirror(siteId, 'normal', undefined);
    this.deps.log.info(`battery control back to normal (${why}); the site's own settings are restored`, { site: siteId, ...entry.saved });
    return { ok: true, detail: 'normal: saved settings restored' };
  }

  private async apply(siteId: string, calls: Call[]): Promise<string | undefined> {
    for (const call of calls) {
      const result = await sendEnergyCommand(this.deps.fleet, siteId, call.command, call.body);
      if (!result.ok) return `${call.command} failed: ${describeFleetError(result.error)}`;
    }
    return undefined;
  }

  private arm(siteId: string, until: number): void {
    this.timers.get(siteId)?.cancel();
    this.timers.set(
      siteId,
      this.deps.clock.setTimeout(() => void this.restore(siteId, 'the duration ended'), Math.max(0, until - this.deps.clock.now())),
    );
  }

  private mirror(siteId: string, mode: BatteryMode, until: number | undefined): void {
    if (!this.deps.registry.site(siteId)) return;
    this.deps.registry.updateSite(siteId, (site) => {
      site.batteryControl = until === undefined ? { mode, until: undefined } : { mode, until };
    });
  }
}
