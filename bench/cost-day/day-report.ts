import { chargingAges, percentile, ratio, runFor, variantsOf } from './aggregate.js';
import type { DayPlan } from './days.js';
import { errorText } from './battery-error.js';
import { localClock, pair, ratioText, table, usd } from './format.js';
import { POLICY_NAMES, type PolicyName } from './policy.js';
import type { RunResult, Variant } from './run-day.js';

const POLICIES: readonly PolicyName[] = POLICY_NAMES;

/** `free/off`: state call free or billed / data keeps newer cars awake off or on. */
export function variantCode(variant: Variant): string {
  return `${variant.stateCallBilled ? 'billed' : 'free'}/${variant.dataKeepsAwake ? 'on' : 'off'}`;
}

/** One day: its script, then cost and car tables with both policies side by side in every variant. */
export function dayReport(plan: DayPlan, results: readonly RunResult[]): string[] {
  const variants = variantsOf(plan);
  const runs = variants.flatMap((variant) => POLICIES.map((policy) => ({ variant, policy, run: runFor(results, plan.key, policy, variant) })));
  const hours = runs.find((r) => r.run)?.run?.hours ?? 24;
  const { year, month, day } = plan.date;
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const out: string[] = [`=== ${plan.title} — ${date}, ${plan.timeZone}, ${hours} h from local midnight ===`];
  out.push(plan.car ? `car: ${plan.car.label}, VIN ${plan.car.vin} (${plan.car.newer ? 'newer car' : 'pre-2021 Model S/X'})` : 'car: none');
  out.push('script:', ...plan.script.map((line) => `  ${line}`), '');

  out.push('cost (simulator bill; "billed while car was" = the car\'s true state when each billed request left):');
  out.push(
    ...table(
      [
        'variant',
        'policy',
        'data',
        'cmd',
        'wake',
        'signals',
        'USD',
        'state calls',
        'vehicle_data',
        'of which 408',
        'wakes',
        'billed while car was asleep/idle/charging/driving',
      ],
      runs.map(({ variant, policy, run }) =>
        run
          ? [
              variantCode(variant),
              policy,
              String(run.counts.data),
              String(run.counts.command),
              String(run.counts.wake),
              String(run.counts.signal),
              usd(run.usd),
              String(run.stateCalls),
              String(run.vehicleDataCalls),
              String(run.vehicleData408),
              String(run.wakes),
              `${run.billedByActivity.asleep}/${run.billedByActivity.idle}/${run.billedByActivity.charging}/${run.billedByActivity.driving}${run.billedByActivity.unknown ? ` (+${run.billedByActivity.unknown} unknown)` : ''}`,
            ]
          : [variantCode(variant), policy, 'not run'],
      ),
    ),
  );
  const ratios = variants.map((variant) => {
    const ours = runFor(results, plan.key, 'teslahub', variant)?.usd ?? 0;
    const theirs = runFor(results, plan.key, 'baseline', variant)?.usd ?? 0;
    return `${variantCode(variant)} ${ratioText(ratio(theirs, ours), theirs, ours)}`;
  });
  out.push(`ratio baseline ÷ teslahub: ${ratios.join(', ')}`);
  const streamed = variants.flatMap((variant) => {
    const run = runFor(results, plan.key, 'streaming', variant);
    if (!run) return [];
    const theirs = runFor(results, plan.key, 'baseline', variant)?.usd ?? 0;
    return [`${variantCode(variant)} ${ratioText(ratio(theirs, run.usd), theirs, run.usd)} (${run.counts.signal} signals)`];
  });
  if (streamed.length > 0) out.push(`ratio baseline ÷ streaming: ${streamed.join(', ')}`);
  out.push('');

  if (plan.car) {
    out.push('car (sampled each simulated minute; ages in seconds, p50/p95; "—" = no such minutes):');
    out.push(
      ...table(
        [
          'variant',
          'policy',
          'awake min',
          'kept awake min',
          'asleep ≤15 min',
          'charging power age',
          'charging battery age',
          'battery error at home (points, p50/p95/max)',
          'driving data age',
        ],
        runs.map(({ variant, policy, run }) => {
          const car = run?.car;
          if (!car) return [variantCode(variant), policy, 'not run'];
          const ages = chargingAges(car, policy);
          return [
            variantCode(variant),
            policy,
            String(car.awakeMinutes),
            String(car.keptAwakeMinutes),
            `${car.sleepChecks - car.sleepFailures.length}/${car.sleepChecks}`,
            pair(percentile(ages.power, 50), percentile(ages.power, 95)),
            pair(percentile(ages.battery, 50), percentile(ages.battery, 95)),
            errorText(car),
            pair(percentile(car.drivingAges, 50), percentile(car.drivingAges, 95)),
          ];
        }),
      ),
    );
    out.push(...carDetails(plan, runs));
  }
  out.push('');
  return out;
}

function carDetails(plan: DayPlan, runs: readonly { variant: Variant; policy: PolicyName; run: RunResult | undefined }[]): string[] {
  const out: string[] = [];
  const at = (ms: number): string => localClock(ms, plan.timeZone);
  for (const { variant, policy, run } of runs) {
    const car = run?.car;
    if (!car) continue;
    for (const stretch of car.keptAwake) {
      out.push(
        `  kept awake: ${policy} ${variantCode(variant)} ${at(stretch.from)}, ${stretch.minutes} min (own activity last at ${at(stretch.ownActivityAt)})`,
      );
    }
    for (const failure of car.sleepFailures) {
      const asleep =
        failure.asleepAt === undefined ? 'not asleep before its next own activity or the end of the run' : `asleep only at ${at(failure.asleepAt)}`;
      out.push(`  not asleep within 15 min: ${policy} ${variantCode(variant)} after own activity at ${at(failure.ownActivityAt)}; ${asleep}`);
    }
  }
  return out;
}
