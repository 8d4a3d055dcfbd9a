import { chargingAges, combinationKey, combinationLabel, combinationTotals, COMBINATIONS, DEFAULT_COMBINATION, percentile, pooled } from './aggregate.js';
import { variantCode } from './day-report.js';
import type { DayPlan } from './days.js';
import { batteryErrorSummary, HOME_BATTERY_ERROR_P95_TARGET } from './battery-error.js';
import { findings } from './findings.js';
import { pair, ratioText, round, table, usd } from './format.js';
import type { PolicyName } from './policy.js';
import type { RunResult } from './run-day.js';

export interface Summary {
  lines: string[];
  json: Record<string, unknown>;
}

const RATIO_TARGET = 3;
/** Fleet Telemetry's targets: at least 10× cheaper than the baseline (issue 9), charging values at most 30 s old at p95 (issue 14). */
const STREAMING_RATIO_TARGET = 10;
const STREAMING_STALENESS_TARGET_S = 30;

/** Totals over all days per assumption combination, pooled freshness, the requirements, and the JSON line. */
export function summarize(plans: readonly DayPlan[], results: readonly RunResult[]): Summary {
  const days = plans.map((p) => p.key);
  const totals = COMBINATIONS.map((variant) => combinationTotals(results, days, variant));
  const byKey = Object.fromEntries(totals.map((t) => [t.key, t]));
  const main = totals[0];
  if (!main) throw new Error('no combinations');

  const lines = ['=== summary over all days ===', `days: ${days.join(', ')} (a day without the keeps-awake variant counts with its "off" run)`];
  lines.push(
    ...table(
      ['assumptions', 'teslahub', 'baseline', 'ratio', 'teslahub cheaper', 'streaming', 'ratio (streaming)', 'kept awake min', 'not asleep ≤15 min'],
      totals.map((t) => [
        `${variantCode(t.variant)}: ${combinationLabel(t.variant)}${t.key === combinationKey(DEFAULT_COMBINATION) ? ' (default)' : ''}`,
        usd(t.teslahubUsd),
        usd(t.baselineUsd),
        ratioText(t.ratio, t.baselineUsd, t.teslahubUsd),
        t.teslahubUsd < t.baselineUsd ? 'yes' : 'NO',
        usd(t.streamingUsd),
        ratioText(t.streamingRatio, t.baselineUsd, t.streamingUsd),
        `${t.teslahubKeptAwake}/${t.baselineKeptAwake}/${t.streamingKeptAwake}`,
        `${t.teslahubSleepFailures}/${t.baselineSleepFailures}/${t.streamingSleepFailures}`,
      ]),
    ),
    '  (kept awake and not-asleep counts: teslahub/baseline/streaming)',
    '',
  );

  const stale = (policy: PolicyName) => {
    const power = pooled(results, days, policy, DEFAULT_COMBINATION, (car) => chargingAges(car, policy).power);
    const battery = pooled(results, days, policy, DEFAULT_COMBINATION, (car) => car.chargingBatteryAges);
    const withWc = pooled(results, days, policy, DEFAULT_COMBINATION, (car) => car.chargingPowerAgesWithWc);
    const driving = pooled(results, days, policy, DEFAULT_COMBINATION, (car) => car.drivingAges);
    const p = (values: number[], q: number) => percentile(values, q);
    return { power, battery, withWc, driving, p };
  };
  const ours = stale('teslahub');
  const theirs = stale('baseline');
  const streamed = stale('streaming');
  lines.push('freshness over all charging / driving minutes of all days, default assumptions (seconds, p50/p95):');
  lines.push(
    ...table(
      [
        'policy',
        'charging minutes',
        'charging power age',
        'charging battery age',
        'charging power age incl. Wall Connector',
        'driving minutes',
        'driving data age',
      ],
      (
        [
          ['teslahub', ours],
          ['baseline', theirs],
          ['streaming', streamed],
        ] as const
      ).map(([name, s]) => [
        name,
        String(s.power.length),
        pair(s.p(s.power, 50), s.p(s.power, 95)),
        pair(s.p(s.battery, 50), s.p(s.battery, 95)),
        pair(s.p(s.withWc, 50), s.p(s.withWc, 95)),
        String(s.driving.length),
        pair(s.p(s.driving, 50), s.p(s.driving, 95)),
      ]),
    ),
    '  charging power age: teslahub = newer of its vehicle_data and its Wall Connector reading naming the car;',
    '  baseline = its vehicle_data only (as defined for this bench). The "incl. Wall Connector" column shows what',
    "  the baseline's own 60 s live_status would give a user who reads Home Assistant's Wall Connector sensor.",
    "  streaming: the age of what the daemon holds (within the field's minimum_delta): the last streamed value, or,",
    "  from a connected car, when it was last heard (a message, or a ping it answered) once the field's interval",
    '  has passed since the value was sent (a change would have been sent by then), else that time minus the interval.',
    '',
  );

  const battery = batteryErrorSummary(results, days);
  lines.push(...battery.lines);

  const sum = (policy: PolicyName, pick: (r: RunResult) => number) => results.filter((r) => r.policy === policy).reduce((n, r) => n + pick(r), 0);
  const wakes = { teslahub: sum('teslahub', (r) => r.wakes), baseline: sum('baseline', (r) => r.wakes) };
  const sleepChecks = { teslahub: sum('teslahub', (r) => r.car?.sleepChecks ?? 0), baseline: sum('baseline', (r) => r.car?.sleepChecks ?? 0) };
  const sleepFailures = {
    teslahub: sum('teslahub', (r) => r.car?.sleepFailures.length ?? 0),
    baseline: sum('baseline', (r) => r.car?.sleepFailures.length ?? 0),
  };
  const meterAgrees = results.every((r) => r.meterAgrees);
  const oursP95 = ours.p(ours.power, 95);
  const theirsP95 = theirs.p(theirs.power, 95);
  const oursBatteryP95 = ours.p(ours.battery, 95);
  const theirsBatteryP95 = theirs.p(theirs.battery, 95);
  const noWorse = (a: number | null, b: number | null): boolean => a === null || (b !== null && a <= b);
  const zeroCost = totals.filter((t) => t.teslahubUsd === 0 && t.baselineUsd === 0).map((t) => t.key);
  const zeroCostDays = results
    .filter((r) => r.policy === 'teslahub' && r.usd === 0)
    .filter((r) =>
      results.some(
        (b) =>
          b.policy === 'baseline' &&
          b.day === r.day &&
          b.variant.stateCallBilled === r.variant.stateCallBilled &&
          b.variant.dataKeepsAwake === r.variant.dataKeepsAwake &&
          b.usd === 0,
      ),
    )
    .map((r) => `${r.day} ${variantCode(r.variant)}`);

  const streamingRuns = results.filter((r) => r.policy === 'streaming');
  const streamingPowerP95 = streamed.p(streamed.power, 95);
  const streamingBatteryP95 = streamed.p(streamed.battery, 95);
  const streamingTotals = {
    signals: streamingRuns
      .filter((r) => r.variant.stateCallBilled === DEFAULT_COMBINATION.stateCallBilled && r.variant.dataKeepsAwake === DEFAULT_COMBINATION.dataKeepsAwake)
      .reduce((n, r) => n + r.counts.signal, 0),
    vehicleData: streamingRuns.reduce((n, r) => n + r.vehicleDataCalls, 0),
    stateCalls: streamingRuns.reduce((n, r) => n + r.stateCalls, 0),
    wakes: streamingRuns.reduce((n, r) => n + r.wakes, 0),
  };
  const under = (value: number | null): boolean => value === null || value <= STREAMING_STALENESS_TARGET_S;

  const requirements = {
    ratio_at_least_3: main.ratio !== null && main.ratio >= RATIO_TARGET,
    charging_staleness_no_worse: noWorse(oursP95, theirsP95),
    zero_wakes_by_polling: wakes.teslahub === 0,
    asleep_within_15_min_when_timer_allows: sleepFailures.teslahub === 0,
    cheaper_in_every_combination: totals.every((t) => t.teslahubUsd < t.baselineUsd),
    streaming_ratio_at_least_10: streamingRuns.length > 0 && main.streamingRatio !== null && main.streamingRatio >= STREAMING_RATIO_TARGET,
    streaming_charging_staleness_p95_at_most_30_s: streamingRuns.length > 0 && under(streamingPowerP95) && under(streamingBatteryP95),
    streaming_zero_wakes: streamingTotals.wakes === 0,
    home_charging_battery_error_p95_at_most_2: battery.ok,
  };
  lines.push('requirements (teslahub):');
  lines.push(
    `  ratio ≥ ${RATIO_TARGET} (default assumptions): ${pass(requirements.ratio_at_least_3)} — ${ratioText(main.ratio, main.baselineUsd, main.teslahubUsd)}`,
    `  charging power staleness p95 no worse: ${pass(requirements.charging_staleness_no_worse)} — teslahub ${secondsText(oursP95)}, baseline ${secondsText(theirsP95)}`,
    `  (battery level while charging, p95: teslahub ${secondsText(oursBatteryP95)}, baseline ${secondsText(theirsBatteryP95)} — ${noWorse(oursBatteryP95, theirsBatteryP95) ? 'no worse' : 'WORSE'})`,
    `  battery level shown while charging at home within ${HOME_BATTERY_ERROR_P95_TARGET} points of the truth at p95: ${pass(requirements.home_charging_battery_error_p95_at_most_2)} — teslahub ${battery.json.teslahub_home_charging_battery_error_p95 ?? 'no charging minutes at home'}, baseline ${battery.json.baseline_home_charging_battery_error_p95 ?? 'no charging minutes at home'}`,
    `  zero wakes caused by polling (all runs): ${pass(requirements.zero_wakes_by_polling)} — teslahub ${wakes.teslahub}, baseline ${wakes.baseline}`,
    `  asleep within 15 min of its own last activity whenever its timer allows (all runs): ${pass(requirements.asleep_within_15_min_when_timer_allows)} — teslahub ${sleepFailures.teslahub} of ${sleepChecks.teslahub} idle periods missed, baseline ${sleepFailures.baseline} of ${sleepChecks.baseline}`,
    `  cheaper than the baseline in every combination: ${pass(requirements.cheaper_in_every_combination)}`,
    `  meters agree with the simulator's bill in every run: ${meterAgrees ? 'yes' : 'NO'}`,
    'requirements (streaming, Fleet Telemetry):',
    `  ratio ≥ ${STREAMING_RATIO_TARGET} against the baseline (default assumptions): ${pass(requirements.streaming_ratio_at_least_10)} — ${ratioText(main.streamingRatio, main.baselineUsd, main.streamingUsd)} (${usd(main.streamingUsd)} for ${streamingTotals.signals} signals, against ${usd(main.baselineUsd)})`,
    `  charging staleness p95 at most ${STREAMING_STALENESS_TARGET_S} s: ${pass(requirements.streaming_charging_staleness_p95_at_most_30_s)} — charging power ${secondsText(streamingPowerP95)}, battery level ${secondsText(streamingBatteryP95)}`,
    `  zero wakes: ${pass(requirements.streaming_zero_wakes)} — ${streamingTotals.wakes}; fallback polling in all runs: ${streamingTotals.vehicleData} vehicle_data, ${streamingTotals.stateCalls} state calls`,
  );
  if (zeroCostDays.length > 0) lines.push(`  both policies cost $0 on: ${zeroCostDays.join('; ')} (no ratio for those)`);
  lines.push('', ...findings(plans, results), '');

  const json: Record<string, unknown> = {
    bench: 'cost-day',
    days,
    hours: results[0]?.hours ?? 24,
    ratio: round(main.ratio),
    teslahub_usd: round(main.teslahubUsd, 4),
    baseline_usd: round(main.baselineUsd, 4),
    ratio_by_combination: Object.fromEntries(totals.map((t) => [t.key, round(t.ratio)])),
    usd_by_combination: Object.fromEntries(totals.map((t) => [t.key, { teslahub: round(t.teslahubUsd, 4), baseline: round(t.baselineUsd, 4) }])),
    zero_cost_combinations: zeroCost,
    zero_cost_days: zeroCostDays,
    wakes_by_polling: wakes.teslahub,
    baseline_wakes_by_polling: wakes.baseline,
    teslahub_charging_staleness_p95_s: round(oursP95, 0),
    baseline_charging_staleness_p95_s: round(theirsP95, 0),
    teslahub_charging_battery_staleness_p95_s: round(oursBatteryP95, 0),
    baseline_charging_battery_staleness_p95_s: round(theirsBatteryP95, 0),
    ...battery.json,
    baseline_charging_staleness_incl_wall_connector_p95_s: round(theirs.p(theirs.withWc, 95), 0),
    teslahub_driving_staleness_p95_s: round(ours.p(ours.driving, 95), 0),
    baseline_driving_staleness_p95_s: round(theirs.p(theirs.driving, 95), 0),
    teslahub_kept_awake_min: byKey[combinationKey(DEFAULT_COMBINATION)]?.teslahubKeptAwake ?? 0,
    baseline_kept_awake_min: byKey[combinationKey(DEFAULT_COMBINATION)]?.baselineKeptAwake ?? 0,
    kept_awake_min_by_combination: Object.fromEntries(totals.map((t) => [t.key, { teslahub: t.teslahubKeptAwake, baseline: t.baselineKeptAwake }])),
    sleep_checks: sleepChecks,
    sleep_failures: sleepFailures,
    sleep_failures_by_combination: Object.fromEntries(totals.map((t) => [t.key, { teslahub: t.teslahubSleepFailures, baseline: t.baselineSleepFailures }])),
    meters_agree: meterAgrees,
    streaming_usd: round(main.streamingUsd, 4),
    streaming_ratio: round(main.streamingRatio),
    streaming_ratio_by_combination: Object.fromEntries(totals.map((t) => [t.key, round(t.streamingRatio)])),
    streaming_usd_by_combination: Object.fromEntries(totals.map((t) => [t.key, round(t.streamingUsd, 4)])),
    streaming_signals: streamingTotals.signals,
    streaming_vehicle_data_calls: streamingTotals.vehicleData,
    streaming_state_calls: streamingTotals.stateCalls,
    streaming_charging_staleness_p95_s: round(streamingPowerP95, 0),
    streaming_charging_battery_staleness_p95_s: round(streamingBatteryP95, 0),
    streaming_driving_staleness_p95_s: round(streamed.p(streamed.driving, 95), 0),
    requirements,
    all_requirements_met: Object.values(requirements).every(Boolean),
  };
  return { lines, json };
}

function pass(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}

function secondsText(value: number | null): string {
  return value === null ? 'no charging minutes' : `${Math.round(value)} s`;
}
