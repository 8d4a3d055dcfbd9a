import type { EnergyBook } from './sources.js';
import { num } from './read.js';

/**
 * The cumulative energy counters (kWh, only ever growing) for Home Assistant's Energy
 * dashboard, with where each comes from: a calendar_history field (Wh, today so far) and a live
 * power reading (W) to integrate when a site has no history.
 */
export const ENERGY_TOTALS = {
  solar_energy: { history: 'total_solar_generation', watts: (l: Live) => pos(l.solar_power) },
  grid_energy_imported: { history: 'grid_energy_imported', watts: (l: Live) => pos(l.grid_power) },
  grid_energy_exported: { history: 'total_grid_energy_exported', watts: (l: Live) => neg(l.grid_power) },
  battery_energy_charged: { history: 'total_battery_charge', watts: (l: Live) => neg(l.battery_power) },
  battery_energy_discharged: { history: 'total_battery_discharge', watts: (l: Live) => pos(l.battery_power) },
  home_energy: { history: 'total_home_usage', watts: (l: Live) => pos(l.load_power) },
} as const;
export type TotalKey = keyof typeof ENERGY_TOTALS;
export const TOTAL_KEYS = Object.keys(ENERGY_TOTALS) as TotalKey[];

type Live = Record<string, unknown>;

function pos(value: unknown): number | null {
  const n = num(value);
  return n === null ? null : Math.max(0, n);
}

function neg(value: unknown): number | null {
  const n = num(value);
  return n === null ? null : Math.max(0, -n);
}

/** Live readings further apart than this are not bridged: a gap is unknown energy, not a guess. */
export const MAX_INTEGRATION_GAP_MS = 15 * 60_000;

export interface Totals {
  totals: Record<string, number>;
  book: EnergyBook;
}

/** Today's Wh per counter from a calendar_history day series (the sum of its buckets). */
export function sumDaySeries(series: readonly Record<string, unknown>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of TOTAL_KEYS) {
    const field = ENERGY_TOTALS[key].history;
    out[key] = series.reduce((sum, bucket) => sum + (num(bucket[field]) ?? 0), 0);
  }
  return out;
}

/**
 * Folds today's history into the counters. Within a day the counters grow by the difference to
 * the previous reading (never shrinking if Tesla revises a bucket down); on a new day by the rest
 * of yesterday (when its final figures are given) plus today so far.
 */
export function applyHistory(previous: Totals | undefined, day: string, todayWh: Record<string, number>, yesterdayFinalWh?: Record<string, number>): Totals {
  const totals = { ...(previous?.totals ?? {}) };
  const book = previous?.book ?? {};
  for (const key of TOTAL_KEYS) {
    const now = todayWh[key] ?? 0;
    let addWh: number;
    if (book.day === day) {
      addWh = Math.max(0, now - (book.todayWh?.[key] ?? 0));
    } else {
      const restOfYesterday = book.day !== undefined && yesterdayFinalWh ? Math.max(0, (yesterdayFinalWh[key] ?? 0) - (book.todayWh?.[key] ?? 0)) : 0;
      addWh = restOfYesterday + now;
    }
    totals[key] = round3((totals[key] ?? 0) + addWh / 1000);
  }
  return { totals, book: { day, todayWh: { ...todayWh } } };
}

/** Integrates a live reading into the counters (trapezoid rule between consecutive readings). */
export function integrateLive(previous: Totals | undefined, live: Live, at: number): Totals {
  const totals = { ...(previous?.totals ?? {}) };
  const watts: Record<string, number> = {};
  for (const key of TOTAL_KEYS) {
    const w = ENERGY_TOTALS[key].watts(live);
    if (w !== null) watts[key] = w;
    totals[key] ??= 0;
  }
  const last = previous?.book.lastLive;
  const dt = last ? at - last.at : 0;
  if (last && dt > 0 && dt <= MAX_INTEGRATION_GAP_MS) {
    for (const key of TOTAL_KEYS) {
      const before = last.watts[key];
      const after = watts[key];
      if (before === undefined || after === undefined) continue;
      totals[key] = round3((totals[key] ?? 0) + (((before + after) / 2) * (dt / 3_600_000)) / 1000);
    }
  }
  return { totals, book: { ...(previous?.book ?? {}), lastLive: { at, watts } } };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
