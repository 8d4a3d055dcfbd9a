import { variantsOf } from './aggregate.js';
import { dayReport, variantCode } from './day-report.js';
import { localClock } from './format.js';
import type { DayPlan } from './days.js';
import { POLICY_NAMES, type PolicyName } from './policy.js';
import { runDay, type RunResult, type Variant } from './run-day.js';
import type { StreamingPath } from './streaming-policy.js';
import { summarize } from './summary.js';

export interface BenchOptions {
  plans: readonly DayPlan[];
  /** Simulated hours per day (24 for the real bench). */
  hours: number;
  /** Runs in parallel; each has its own clock, simulator and policy, so results do not change. */
  jobs: number;
  /** Only these variants (default: every variant each day has). */
  variants?: readonly Variant[];
  /** Default: all three (polling, Home Assistant's baseline, streaming). */
  policies?: readonly PolicyName[];
  progress?: (line: string) => void;
  /** How the streaming days reach the daemon (default: the built-in receiver). */
  streamingPath?: StreamingPath;
}

interface Job {
  plan: DayPlan;
  policy: PolicyName;
  variant: Variant;
}

/** Every day × variant × policy, each in a fresh world. */
export async function runBench(options: BenchOptions): Promise<RunResult[]> {
  const jobs: Job[] = [];
  for (const plan of options.plans) {
    const variants = variantsOf(plan).filter(
      (v) => !options.variants || options.variants.some((w) => w.stateCallBilled === v.stateCallBilled && w.dataKeepsAwake === v.dataKeepsAwake),
    );
    for (const variant of variants) for (const policy of options.policies ?? POLICY_NAMES) jobs.push({ plan, policy, variant });
  }
  const results: (RunResult | undefined)[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index];
      if (!job) return;
      const result = await runDay(job.plan, job.policy, job.variant, options.hours, options.streamingPath);
      results[index] = result;
      options.progress?.(`ran ${job.plan.key} ${variantCode(job.variant)} ${job.policy} in ${(result.realMs / 1000).toFixed(1)} s`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, jobs.length)) }, worker));
  return results.filter((r): r is RunResult => r !== undefined);
}

/** The whole printout: per-day tables, the summary, and as the very last line one JSON object. */
export function renderReport(plans: readonly DayPlan[], results: readonly RunResult[], streamingPath: StreamingPath = 'builtin'): string[] {
  const lines: string[] = [];
  for (const plan of plans) lines.push(...dayReport(plan, results));
  const summary = summarize(plans, results);
  const path =
    streamingPath === 'builtin' ? "teslahub's built-in receiver (mutual TLS WebSocket on loopback)" : "Tesla's fleet-telemetry server and its MQTT dispatcher";
  lines.push(...summary.lines, `  the streaming days ran through ${path}`, JSON.stringify({ ...summary.json, streaming_path: streamingPath }));
  return lines;
}

/** Every request about the car per run, in local time: what the policy did and what the car was doing. */
export function traceLines(plans: readonly DayPlan[], results: readonly RunResult[]): string[] {
  const lines: string[] = [];
  for (const result of results) {
    const plan = plans.find((p) => p.key === result.day);
    if (!plan || result.vehicleTrace.length === 0) continue;
    lines.push(`--- trace ${result.day} ${variantCode(result.variant)} ${result.policy} ---`);
    for (const entry of result.vehicleTrace) {
      lines.push(`${localClock(entry.at, plan.timeZone)} ${entry.call} → ${entry.status}${entry.billed ? ' billed' : ''} (car ${entry.activity})`);
    }
  }
  return lines;
}
