import { percentile, runFor, variantsOf } from './aggregate.js';
import { variantCode } from './day-report.js';
import type { DayPlan } from './days.js';
import { usd } from './format.js';
import type { RunResult } from './run-day.js';

const ACTIVITIES = ['asleep', 'idle', 'charging', 'driving'] as const;
const MAX_WARNINGS_PER_RUN = 3;

/**
 * What the engineer tuning the policy should look at: every place where teslahub woke a car,
 * kept it awake, paid for nothing (a 408), cost more than the baseline overall or in one state of
 * the car, or held older data than the baseline. Listed whether or not a requirement fails.
 */
export function findings(plans: readonly DayPlan[], results: readonly RunResult[]): string[] {
  const out: string[] = [];
  for (const plan of plans) {
    for (const variant of variantsOf(plan)) {
      const ours = runFor(results, plan.key, 'teslahub', variant);
      const theirs = runFor(results, plan.key, 'baseline', variant);
      if (!ours || !theirs) continue;
      const where = `${plan.key} ${variantCode(variant)}`;
      if (ours.wakes > 0) out.push(`${where}: teslahub sent ${ours.wakes} wake_up request(s) while polling`);
      if (ours.usd > theirs.usd) out.push(`${where}: teslahub costs more than the baseline (${usd(ours.usd)} vs ${usd(theirs.usd)})`);
      else if (ours.usd === theirs.usd && ours.usd > 0) out.push(`${where}: teslahub costs the same as the baseline (${usd(ours.usd)})`);
      if (ours.vehicleData408 > 0) {
        const price = variant.stateCallBilled ? 'the same price as a state call under this assumption' : 'where a free state call would have said the same';
        out.push(`${where}: teslahub's vehicle_data found the car asleep ${ours.vehicleData408} time(s) (408: billed as data, no data gained; ${price})`);
      }
      for (const activity of ACTIVITIES) {
        const a = ours.billedByActivity[activity];
        const b = theirs.billedByActivity[activity];
        if (a > b) out.push(`${where}: teslahub pays for more calls than the baseline while the car is ${activity} (${a} vs ${b})`);
      }
      const car = ours.car;
      if (car && car.keptAwakeMinutes > 0) {
        out.push(
          `${where}: teslahub kept the car awake ${car.keptAwakeMinutes} min beyond its own activity in ${car.keptAwake.length} stretch(es) (baseline: ${theirs.car?.keptAwakeMinutes ?? 0} min)`,
        );
      }
      if (car && car.sleepFailures.length > 0)
        out.push(`${where}: the car was not asleep within 15 min of its own last activity ${car.sleepFailures.length} time(s) under teslahub`);
      if (car && theirs.car) {
        const worse = (label: string, a: number[], b: number[]): void => {
          const ours95 = percentile(a, 95);
          const theirs95 = percentile(b, 95);
          if (ours95 !== null && theirs95 !== null && ours95 > theirs95)
            out.push(`${where}: teslahub's ${label} p95 is ${Math.round(ours95)} s, the baseline's ${Math.round(theirs95)} s`);
        };
        worse('driving data age', car.drivingAges, theirs.car.drivingAges);
        worse('battery level age while charging', car.chargingBatteryAges, theirs.car.chargingBatteryAges);
        worse('charging power age', car.chargingPowerAgesWithWc, theirs.car.chargingBatteryAges);
      }
      if (!ours.meterAgrees) out.push(`${where}: teslahub's own usage ledger disagrees with the simulator's bill`);
      if (!theirs.meterAgrees) out.push(`${where}: the baseline's meter disagrees with the simulator's bill`);
      const streamed = runFor(results, plan.key, 'streaming', variant);
      if (streamed) {
        if (streamed.vehicleDataCalls > 0 || streamed.stateCalls > 0)
          out.push(`${where}: streaming polled as well (${streamed.vehicleDataCalls} vehicle_data, ${streamed.stateCalls} state calls)`);
        if (streamed.usd > ours.usd) out.push(`${where}: streaming costs more than polling (${usd(streamed.usd)} vs ${usd(ours.usd)})`);
        if (streamed.wakes > 0) out.push(`${where}: streaming sent ${streamed.wakes} wake_up request(s)`);
        if (!streamed.meterAgrees) out.push(`${where}: the streaming daemon's ledger (signals included) disagrees with the simulator's bill`);
      }
      for (const run of [ours, theirs, ...(streamed ? [streamed] : [])]) {
        const lines = run.warnings.slice(0, MAX_WARNINGS_PER_RUN).map((line) => line.slice(0, 200));
        if (lines.length > 0) out.push(`${where}: ${run.policy} logged ${run.warnings.length} warning(s), first: ${lines.join(' | ')}`);
      }
    }
  }
  return ['findings (teslahub against the baseline, per day and variant):', ...(out.length > 0 ? out.map((line) => `  - ${line}`) : ['  - none'])];
}
