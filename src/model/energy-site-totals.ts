import type { TotalKey } from './energy-totals.js';
import { hasBattery, hasSolar, type SiteRow } from './energy-site-read.js';
import type { EnergySiteSource } from './sources.js';

/**
 * Cumulative energy counters for Home Assistant's Energy dashboard (beyond Home Assistant's Tesla
 * Fleet entities, whose history sensors restart every day). The totals module (energy-totals.ts)
 * fills `source.totals` under exactly these keys, in kWh, only ever growing.
 */
export const ENERGY_TOTAL_KEYS = [
  'solar_energy',
  'grid_energy_imported',
  'grid_energy_exported',
  'battery_energy_charged',
  'battery_energy_discharged',
  'home_energy',
] as const satisfies readonly TotalKey[];
export type EnergyTotalKey = (typeof ENERGY_TOTAL_KEYS)[number];
/** Fails to compile if the totals module counts something this table does not show. */
const allTotalsShown: [Exclude<TotalKey, EnergyTotalKey>] extends [never] ? true : never = true;
void allTotalsShown;

const batteryOrSolar = (s: EnergySiteSource): boolean => hasBattery(s) || hasSolar(s);

/** Name and which sites have the counter: battery counters need a Powerwall, solar needs panels. */
const TOTALS: Record<TotalKey, { name: string; present: (s: EnergySiteSource) => boolean }> = {
  solar_energy: { name: 'Solar energy', present: hasSolar },
  grid_energy_imported: { name: 'Grid energy imported', present: batteryOrSolar },
  grid_energy_exported: { name: 'Grid energy exported', present: batteryOrSolar },
  battery_energy_charged: { name: 'Battery energy charged', present: hasBattery },
  battery_energy_discharged: { name: 'Battery energy discharged', present: hasBattery },
  home_energy: { name: 'Home energy', present: batteryOrSolar },
};

export const ENERGY_SITE_TOTAL_ROWS: SiteRow[] = ENERGY_TOTAL_KEYS.map(
  (key): SiteRow => ({
    platform: 'sensor',
    key,
    name: TOTALS[key].name,
    present: TOTALS[key].present,
    deviceClass: 'energy',
    unit: 'kWh',
    stateClass: 'total_increasing',
    precision: 2,
    value: (s) => {
      const kwh = s.totals?.[key];
      return kwh !== undefined && Number.isFinite(kwh) ? kwh : null;
    },
  }),
);
