import type { DayKey, DayPlan } from './days.js';
import type { CarObservation } from './observer.js';
import type { PolicyName } from './policy.js';
import type { RunResult, Variant } from './run-day.js';

/** The four assumption combinations; the first is the default (state call free, data lets cars sleep). */
export const COMBINATIONS: readonly Variant[] = [
  { stateCallBilled: false, dataKeepsAwake: false },
  { stateCallBilled: false, dataKeepsAwake: true },
  { stateCallBilled: true, dataKeepsAwake: false },
  { stateCallBilled: true, dataKeepsAwake: true },
];
export const DEFAULT_COMBINATION = COMBINATIONS[0] as Variant;

export function combinationKey(variant: Variant): string {
  return `state_${variant.stateCallBilled ? 'billed' : 'free'}+keeps_awake_${variant.dataKeepsAwake ? 'on' : 'off'}`;
}

export function combinationLabel(variant: Variant): string {
  return `state call ${variant.stateCallBilled ? 'billed' : 'free'}, data ${variant.dataKeepsAwake ? 'keeps newer cars awake' : 'lets cars sleep'}`;
}

/** The variants a day runs: keeps-awake on/off only for newer cars (a pre-2021 S/X stays awake regardless). */
export function variantsOf(plan: DayPlan): Variant[] {
  return COMBINATIONS.filter((v) => !v.dataKeepsAwake || plan.car?.newer === true);
}

/**
 * The run that stands for a day in a combination. A day without the keeps-awake variant (a
 * pre-2021 car, which polling keeps awake anyway, or no car at all) counts with its keeps-awake-off
 * run of the same state-call assumption.
 */
export function runFor(results: readonly RunResult[], day: DayKey, policy: PolicyName, variant: Variant): RunResult | undefined {
  const exact = results.find(
    (r) => r.day === day && r.policy === policy && r.variant.stateCallBilled === variant.stateCallBilled && r.variant.dataKeepsAwake === variant.dataKeepsAwake,
  );
  return (
    exact ?? results.find((r) => r.day === day && r.policy === policy && r.variant.stateCallBilled === variant.stateCallBilled && !r.variant.dataKeepsAwake)
  );
}

export interface CombinationTotals {
  variant: Variant;
  key: string;
  teslahubUsd: number;
  baselineUsd: number;
  /** baseline ÷ teslahub; null when teslahub cost nothing. */
  ratio: number | null;
  teslahubKeptAwake: number;
  baselineKeptAwake: number;
  teslahubSleepFailures: number;
  baselineSleepFailures: number;
  /** teslahub with Fleet Telemetry: dollars, baseline ÷ streaming, kept awake and sleep misses. */
  streamingUsd: number;
  streamingRatio: number | null;
  streamingKeptAwake: number;
  streamingSleepFailures: number;
}

export function combinationTotals(results: readonly RunResult[], days: readonly DayKey[], variant: Variant): CombinationTotals {
  let teslahubUsd = 0;
  let baselineUsd = 0;
  let teslahubKeptAwake = 0;
  let baselineKeptAwake = 0;
  let teslahubSleepFailures = 0;
  let baselineSleepFailures = 0;
  let streamingUsd = 0;
  let streamingKeptAwake = 0;
  let streamingSleepFailures = 0;
  for (const day of days) {
    const streamed = runFor(results, day, 'streaming', variant);
    streamingUsd += streamed?.usd ?? 0;
    streamingKeptAwake += streamed?.car?.keptAwakeMinutes ?? 0;
    streamingSleepFailures += streamed?.car?.sleepFailures.length ?? 0;
    const ours = runFor(results, day, 'teslahub', variant);
    const theirs = runFor(results, day, 'baseline', variant);
    teslahubUsd += ours?.usd ?? 0;
    baselineUsd += theirs?.usd ?? 0;
    teslahubKeptAwake += ours?.car?.keptAwakeMinutes ?? 0;
    baselineKeptAwake += theirs?.car?.keptAwakeMinutes ?? 0;
    teslahubSleepFailures += ours?.car?.sleepFailures.length ?? 0;
    baselineSleepFailures += theirs?.car?.sleepFailures.length ?? 0;
  }
  return {
    variant,
    key: combinationKey(variant),
    teslahubUsd,
    baselineUsd,
    ratio: ratio(baselineUsd, teslahubUsd),
    teslahubKeptAwake,
    baselineKeptAwake,
    teslahubSleepFailures,
    baselineSleepFailures,
    streamingUsd,
    streamingRatio: ratio(baselineUsd, streamingUsd),
    streamingKeptAwake,
    streamingSleepFailures,
  };
}

export function ratio(baselineUsd: number, teslahubUsd: number): number | null {
  return teslahubUsd > 0 ? baselineUsd / teslahubUsd : null;
}

/** Every sample of one kind over the days of one combination. */
export function pooled(
  results: readonly RunResult[],
  days: readonly DayKey[],
  policy: PolicyName,
  variant: Variant,
  pick: (car: CarObservation) => number[],
): number[] {
  const out: number[] = [];
  for (const day of days) {
    const car = runFor(results, day, policy, variant)?.car;
    if (car) out.push(...pick(car));
  }
  return out;
}

/** Nearest-rank percentile; null without samples. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? null;
}

/** Battery-level and charging-power ages while charging, as the brief defines them per policy. */
export function chargingAges(car: CarObservation, policy: PolicyName): { battery: number[]; power: number[] } {
  // The daemon's charging power may come from its Wall Connector readings; the baseline's is
  // defined by its vehicle_data alone (its Wall Connector view is reported separately).
  // Streaming: the charging power's age is that of the newest streamed value, or Wall Connector reading.
  return { battery: car.chargingBatteryAges, power: policy === 'baseline' ? car.chargingBatteryAges : car.chargingPowerAgesWithWc };
}
