import type { Flows } from './flows.js';

/** The energy fields of calendar_history (kind=energy), in Wh per bucket. */
export const HISTORY_FIELDS = [
  'solar_energy_exported',
  'generator_energy_exported',
  'grid_energy_imported',
  'grid_services_energy_imported',
  'grid_services_energy_exported',
  'grid_energy_exported_from_solar',
  'grid_energy_exported_from_generator',
  'grid_energy_exported_from_battery',
  'battery_energy_exported',
  'battery_energy_imported_from_grid',
  'battery_energy_imported_from_solar',
  'battery_energy_imported_from_generator',
  'consumer_energy_imported_from_grid',
  'consumer_energy_imported_from_solar',
  'consumer_energy_imported_from_battery',
  'consumer_energy_imported_from_generator',
  'total_home_usage',
  'total_battery_charge',
  'total_battery_discharge',
  'total_solar_generation',
  'total_grid_energy_exported',
] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];
export type HistoryRecord = Record<HistoryField, number>;

export const BUCKET_MS = 5 * 60_000;
const RETAIN_MS = 400 * 86_400_000;

export function emptyRecord(): HistoryRecord {
  return Object.fromEntries(HISTORY_FIELDS.map((field) => [field, 0])) as HistoryRecord;
}

/**
 * Splits the energy of flows held for `dtMs` by source and destination, the way Tesla's history
 * does: solar serves the home first, then the battery, then the grid; the battery serves the
 * home before it exports; grid imports serve the home before the battery.
 */
export function attribute(flows: Flows, dtMs: number): HistoryRecord {
  const h = dtMs / 3_600_000;
  const solar = flows.solar;
  const discharge = Math.max(0, flows.battery);
  const charge = Math.max(0, -flows.battery);
  const imported = Math.max(0, flows.grid);
  const exported = Math.max(0, -flows.grid);
  const solarToHome = Math.min(solar, flows.load);
  const batteryToHome = Math.min(discharge, flows.load - solarToHome);
  const gridToHome = Math.max(0, flows.load - solarToHome - batteryToHome);
  const solarLeft = solar - solarToHome;
  const solarToBattery = Math.min(solarLeft, charge);
  const out = emptyRecord();
  out.solar_energy_exported = solar * h;
  out.total_solar_generation = solar * h;
  out.grid_energy_imported = imported * h;
  out.total_grid_energy_exported = exported * h;
  out.grid_energy_exported_from_solar = (solarLeft - solarToBattery) * h;
  out.grid_energy_exported_from_battery = (discharge - batteryToHome) * h;
  out.battery_energy_exported = discharge * h;
  out.total_battery_discharge = discharge * h;
  out.total_battery_charge = charge * h;
  out.battery_energy_imported_from_solar = solarToBattery * h;
  out.battery_energy_imported_from_grid = (charge - solarToBattery) * h;
  out.consumer_energy_imported_from_solar = solarToHome * h;
  out.consumer_energy_imported_from_battery = batteryToHome * h;
  out.consumer_energy_imported_from_grid = gridToHome * h;
  out.total_home_usage = flows.load * h;
  return out;
}

/** Five-minute buckets of integrated flows, keyed by the bucket's start (UTC ms, 5-minute aligned). */
export class EnergyHistory {
  private readonly buckets = new Map<number, HistoryRecord>();

  /** Adds flows held from `t` for `dtMs`, split across bucket boundaries. */
  add(t: number, dtMs: number, flows: Flows): void {
    let start = t;
    const end = t + dtMs;
    while (start < end) {
      const bucket = Math.floor(start / BUCKET_MS) * BUCKET_MS;
      const until = Math.min(end, bucket + BUCKET_MS);
      const record = this.buckets.get(bucket) ?? emptyRecord();
      const part = attribute(flows, until - start);
      for (const field of HISTORY_FIELDS) record[field] += part[field];
      this.buckets.set(bucket, record);
      start = until;
    }
  }

  /** Buckets starting in [from, to), oldest first. */
  between(from: number, to: number): [number, HistoryRecord][] {
    const out: [number, HistoryRecord][] = [];
    for (let bucket = Math.floor(from / BUCKET_MS) * BUCKET_MS; bucket < to; bucket += BUCKET_MS) {
      const record = this.buckets.get(bucket);
      if (record && bucket >= from) out.push([bucket, record]);
    }
    return out;
  }

  /** The oldest bucket kept, if any. */
  first(): number | undefined {
    let min: number | undefined;
    for (const key of this.buckets.keys()) if (min === undefined || key < min) min = key;
    return min;
  }

  prune(now: number): void {
    for (const key of this.buckets.keys()) if (key < now - RETAIN_MS) this.buckets.delete(key);
  }
}
