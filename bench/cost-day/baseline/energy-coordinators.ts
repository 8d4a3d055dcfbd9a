import type { Clock } from '../../../src/core/clock.js';
import type { FleetClient } from '../../../src/fleet/client.js';
import { getCalendarHistory, getLiveStatus, getSiteInfo } from '../../../src/fleet/energy.js';
import type { FleetError } from '../../../src/fleet/errors.js';
import { at, str } from '../../../src/model/read.js';
import { Coordinator } from './coordinator.js';

/** Live_status and site_info every 60 s after their first run, history every 300 s. */
export const ENERGY_LIVE_INTERVAL_MS = 60_000;
export const ENERGY_INFO_INTERVAL_MS = 60_000;
export const ENERGY_HISTORY_INTERVAL_MS = 300_000;

export interface EnergyDeps {
  fleet: FleetClient;
  clock: Clock;
  warn: (line: string) => void;
}

/**
 * Home Assistant's three energy-site coordinators: site_info first (a 404 or a 500
 * there means a stale site, which is skipped), then live_status, then calendar_history only for
 * sites with a battery or solar. Energy endpoints are free, so these cost nothing; they
 * matter here because live_status carries the Wall Connectors, and so the charging power of a car
 * plugged into one.
 */
export class HaEnergySite {
  readonly siteId: string;
  info: Record<string, unknown> | undefined;
  /** Per VIN: when the newest live_status that showed a Wall Connector with this car was read. */
  readonly wallConnectorAt = new Map<string, number>();
  private readonly coordinators: Coordinator[] = [];
  private readonly deps: EnergyDeps;

  constructor(siteId: string, deps: EnergyDeps) {
    this.siteId = siteId;
    this.deps = deps;
  }

  /** Returns false when the site is skipped as stale. */
  async setUp(hasBatteryOrSolar: boolean): Promise<boolean> {
    const { clock } = this.deps;
    let stale = false;
    const info = new Coordinator({
      clock,
      intervalMs: ENERGY_INFO_INTERVAL_MS,
      update: async (c) => {
        const result = await getSiteInfo(this.deps.fleet, this.siteId);
        if (result.ok) this.info = result.value;
        else if (this.info === undefined && (result.error.kind === 'notFound' || (result.error.kind === 'transient' && result.error.status === 500)))
          stale = true;
        else this.failed('site_info', result.error, c);
      },
    });
    await info.firstRefresh();
    if (stale) {
      info.stop();
      this.deps.warn(`baseline: energy site ${this.siteId} skipped as stale`);
      return false;
    }
    const live = new Coordinator({ clock, intervalMs: ENERGY_LIVE_INTERVAL_MS, update: (c) => this.live(c) });
    this.coordinators.push(info, live);
    await live.firstRefresh();
    if (hasBatteryOrSolar) {
      const history = new Coordinator({ clock, intervalMs: ENERGY_HISTORY_INTERVAL_MS, update: (c) => this.history(c) });
      this.coordinators.push(history);
      // Polls once an entity listens: the first request comes one interval after set-up.
      history.listen();
    }
    return true;
  }

  stop(): void {
    for (const coordinator of this.coordinators) coordinator.stop();
  }

  private async live(c: Coordinator): Promise<void> {
    const result = await getLiveStatus(this.deps.fleet, this.siteId);
    if (!result.ok) return this.failed('live_status', result.error, c);
    const now = this.deps.clock.now();
    const connectors = Array.isArray(result.value.wall_connectors) ? (result.value.wall_connectors as unknown[]) : [];
    for (const connector of connectors) {
      const vin = str(at(connector, 'vin'));
      if (vin) this.wallConnectorAt.set(vin, now);
    }
  }

  private async history(c: Coordinator): Promise<void> {
    const timeZone = str(at(this.info, 'installation_time_zone'));
    // Today's series only; the backfill of missing days (one request per day) is free and not modelled.
    const result = await getCalendarHistory(this.deps.fleet, this.siteId, { period: 'day', ...(timeZone ? { time_zone: timeZone } : {}) });
    if (!result.ok) this.failed('calendar_history', result.error, c);
  }

  /** Energy coordinators honour a 429's Retry-After for their next refresh. */
  private failed(what: string, error: FleetError, c: Coordinator): void {
    if (error.kind === 'rateLimited' && error.retryAfterS !== undefined) c.delayNextBy(error.retryAfterS * 1000);
    this.deps.warn(`baseline: energy site ${this.siteId} ${what} failed: ${error.kind}: ${error.message}`);
  }
}
