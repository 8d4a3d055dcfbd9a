import { DEFAULT_COMBINATION, percentile, pooled } from './aggregate.js';
import type { DayKey } from './days.js';
import { round } from './format.js';
import type { CarObservation } from './observer.js';
import type { PolicyName } from './policy.js';
import type { RunResult } from './run-day.js';

/**
 * The battery level a user sees while the car charges at home: per charging minute on a Wall
 * Connector, |level the policy shows (reading or estimate) − the simulator's truth|, in points.
 */

/** Acceptance (issue 17): the shown level within 2 points of the truth at p95. */
export const HOME_BATTERY_ERROR_P95_TARGET = 2;
const POLICIES: readonly PolicyName[] = ['teslahub', 'baseline', 'streaming'];

export interface ErrorFigures {
  minutes: number;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

export function errorFigures(values: readonly number[]): ErrorFigures {
  return { minutes: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: values.length > 0 ? Math.max(...values) : null };
}

/** `p50/p95/max` in points with one decimal, or "—" without charging minutes at home. */
export function errorText(car: CarObservation | undefined): string {
  const figures = errorFigures(car?.homeChargingBatteryErrors ?? []);
  if (figures.p50 === null) return '—';
  const one = (value: number | null) => (value === null ? '—' : value.toFixed(1));
  return `${one(figures.p50)}/${one(figures.p95)}/${one(figures.max)}`;
}

/** The summary's lines, JSON keys and requirement, over every day in the default assumptions. */
export function batteryErrorSummary(
  results: readonly RunResult[],
  days: readonly DayKey[],
): { lines: string[]; json: Record<string, number | null>; ok: boolean } {
  const lines = ['battery level shown while charging at home, |shown − truth| in points (p50/p95/max), default assumptions:'];
  const json: Record<string, number | null> = {};
  let ours: ErrorFigures | undefined;
  for (const policy of POLICIES) {
    const figures = errorFigures(pooled(results, days, policy, DEFAULT_COMBINATION, (car) => car.homeChargingBatteryErrors));
    if (figures.minutes === 0 && policy === 'streaming') continue;
    if (policy === 'teslahub') ours = figures;
    const text =
      figures.p50 === null
        ? 'no charging minutes at home'
        : `${figures.p50.toFixed(2)}/${figures.p95?.toFixed(2)}/${figures.max?.toFixed(2)} over ${figures.minutes} min`;
    lines.push(`  ${policy}: ${text}`);
    json[`${policy}_home_charging_battery_error_p50`] = round(figures.p50, 2);
    json[`${policy}_home_charging_battery_error_p95`] = round(figures.p95, 2);
    json[`${policy}_home_charging_battery_error_max`] = round(figures.max, 2);
  }
  lines.push('  (teslahub shows its Wall Connector estimate between readings; the baseline its last vehicle_data)', '');
  const ok = ours !== undefined && (ours.p95 === null || ours.p95 <= HOME_BATTERY_ERROR_P95_TARGET);
  return { lines, json, ok };
}
