import type { Scheduled } from './schedule.js';
import type { World } from './world.js';

/** JSON of the world for GET /__sim/world: raw state plus a few derived facts (blockers, sleep time, flows). */
export function worldSnapshot(world: World, upcoming: Scheduled[]): Record<string, unknown> {
  const now = world.time;
  const finite = (value: number | null): number | null => (value === null || !Number.isFinite(value) ? null : value);
  return {
    now,
    iso: new Date(now).toISOString(),
    timeZone: world.timeZone,
    accounts: world.accounts,
    vehicles: world.vehicles.map((v) => {
      const blockers = v.sleepBlockers(now);
      return {
        vin: v.vin,
        id: v.id,
        model: v.model,
        year: v.year,
        pre2021ModelSX: v.pre2021,
        account: v.account,
        status: v.status,
        batteryLevel: Math.round(v.levelPercent * 100) / 100,
        chargePowerKw: Math.round(v.chargePowerKw * 100) / 100,
        sleepBlockers: blockers,
        sleepsAt: v.state.awake && blockers.length === 0 ? v.state.idleSince + v.state.sleepAfterMs : null,
        userPresentUntil: finite(v.state.userPresentUntil),
        state: v.state,
      };
    }),
    sites: world.sites.map((site) => ({
      id: site.id,
      name: site.name,
      account: site.account,
      percentage: Math.round(site.percentage * 100) / 100,
      energyWh: Math.round(site.state.energyWh),
      flows: world.siteFlows(site),
      gridUp: site.state.gridUp,
      stormActive: site.stormActive(now),
      settings: site.settings,
      wallConnectors: site.wallConnectors.map((wc) => ({ ...wc, vin: world.vehicleOn(wc.din)?.vin ?? null })),
    })),
    upcomingEvents: upcoming.slice(0, 20).map(({ event, at }) => ({ at, iso: new Date(at).toISOString(), event })),
    problems: world.problems,
  };
}
