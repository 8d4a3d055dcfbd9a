import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../src/core/fake-clock.js';
import { BILLING_CATEGORIES, type CategoryCounts, emptyCounts } from '../../src/fleet/pricing.js';
import { createHttpTransport } from '../../src/fleet/transport.js';
import { Simulator } from '../../src/simulator/index.js';
import { startBaseline } from './baseline/index.js';
import { dayStart, type DayKey, type DayPlan, ownEventInstants } from './days.js';
import { type CarObservation, CarObserver } from './observer.js';
import type { PolicyName, StartPolicy } from './policy.js';
import { type BilledByActivity, RequestStates } from './request-states.js';
import { countingTransport, runSteps, withClockPump } from './stepper.js';
import { startTeslahub } from './teslahub-policy.js';
import { startStreaming, type StreamingPath } from './streaming-policy.js';

export interface Variant {
  stateCallBilled: boolean;
  dataKeepsAwake: boolean;
}

export interface TraceEntry {
  at: number;
  call: string;
  status: number;
  billed: boolean;
  activity: string;
}

export interface RunResult {
  day: DayKey;
  policy: PolicyName;
  variant: Variant;
  hours: number;
  counts: CategoryCounts;
  usd: number;
  /** The policy's own meter saw exactly what the simulator billed. */
  meterAgrees: boolean;
  /** wake_up requests: the bench sends no commands, so every one was the policy's. */
  wakes: number;
  billedByActivity: BilledByActivity;
  stateCalls: number;
  vehicleDataCalls: number;
  /** vehicle_data answered 408 (the car was asleep): billed and useless. */
  vehicleData408: number;
  car: CarObservation | undefined;
  /** Every request about the car, in order, with the car's true state when it left (for --trace). */
  vehicleTrace: TraceEntry[];
  warnings: string[];
  realMs: number;
}

const POLICIES: Record<PolicyName, StartPolicy> = { teslahub: startTeslahub, baseline: startBaseline, streaming: startStreaming };
/**
 * Samples fall half a minute after each whole minute. Both policies start at midnight with
 * cadences in whole minutes, so their polls land on whole minutes; sampling there would catch
 * every 60 s reading at age 0 and every 600 s reading at 0–540 s, flattering both. Half a minute
 * later a 60 s reading is 30 s old, as it is on average.
 */
const SAMPLE_OFFSET_MS = 30_000;
/** Longer than any run, so no token refresh (never billed) muddles the comparison. */
const TOKEN_LIFETIME_S = 3 * 86_400;

/**
 * The daemon saves its device file durably (fsync) every few simulated seconds, so a simulated
 * day writes it over a thousand times; in memory (tmpfs) that costs nothing. Only run time changes.
 */
function scratchRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/** One policy on one fresh simulated day; nothing is shared with any other run. */
export async function runDay(plan: DayPlan, policy: PolicyName, variant: Variant, hours = 24, streamingPath: StreamingPath = 'builtin'): Promise<RunResult> {
  const realStart = performance.now();
  const start = dayStart(plan);
  const end = start + hours * 3_600_000;
  const clock = new FakeClock(start);
  const sim = new Simulator({
    clock,
    scenario: plan.scenario({ dataKeepsAwake: variant.dataKeepsAwake }),
    stateCallBilled: variant.stateCallBilled,
    accessTokenLifetimeSeconds: TOKEN_LIFETIME_S,
  });
  await sim.start();
  const states = new RequestStates(sim);
  const undici = createHttpTransport();
  const counting = countingTransport(undici.transport, (request) => states.note(request));
  const dir = await mkdtemp(join(scratchRoot(), `teslahub-bench-${plan.key}-${policy}-`));
  try {
    const running = await POLICIES[policy]({ sim, clock, transport: counting.transport, stateCallBilled: variant.stateCallBilled, dir, streamingPath });
    const observer = plan.car ? new CarObserver({ vin: plan.car.vin, sim, view: running.view, runStart: start, ownEvents: ownEventInstants(plan) }) : undefined;
    await runSteps({
      clock,
      busy: () => counting.inFlight() > 0 || sim.inFlight() > 0 || running.busy?.() === true,
      end,
      firstSample: start + SAMPLE_OFFSET_MS,
      sample: (at) => observer?.sample(at),
    });
    // Read everything before shutting down: a stopping daemon must not add to the day's bill.
    const billing = sim.billing();
    const requests = sim.requests().filter((r) => r.at < end);
    const meter = running.meterCounts();
    const counts = emptyCounts();
    for (const category of BILLING_CATEGORIES) counts[category] = billing.counts[category];
    const vehicleRequests = requests.filter((r) => r.vin !== undefined);
    const result: RunResult = {
      day: plan.key,
      policy,
      variant,
      hours,
      counts,
      usd: billing.usd,
      meterAgrees: BILLING_CATEGORIES.every((category) => meter[category] === counts[category]),
      wakes: vehicleRequests.filter((r) => r.method === 'POST' && r.path.endsWith('/wake_up')).length,
      billedByActivity: states.billedByActivity(billing.entries),
      stateCalls: vehicleRequests.filter((r) => r.method === 'GET' && /\/api\/1\/vehicles\/[^/]+$/.test(r.path)).length,
      vehicleDataCalls: vehicleRequests.filter((r) => r.path.endsWith('/vehicle_data')).length,
      vehicleData408: vehicleRequests.filter((r) => r.path.endsWith('/vehicle_data') && r.status === 408).length,
      car: observer?.finish(),
      vehicleTrace: vehicleRequests.map((r) => ({
        at: r.at,
        call: `${r.method} ${r.path.replace(/^.*\/api\/1\/vehicles\/[^/]+/, '') || '(state)'}`,
        status: r.status,
        billed: r.billed,
        activity: states.activityOf(r),
      })),
      warnings: running.warnings(),
      realMs: 0,
    };
    await withClockPump(clock, running.stop());
    result.realMs = Math.round(performance.now() - realStart);
    return result;
  } finally {
    await sim.stop();
    await undici.close();
    await rm(dir, { recursive: true, force: true });
  }
}
