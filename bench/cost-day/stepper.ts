import type { FakeClock } from '../../src/core/fake-clock.js';
import type { HttpRequest, HttpTransport } from '../../src/fleet/transport.js';

/**
 * Simulated time for one run: simulator, world and policy share one FakeClock, and this file is
 * the only thing that moves it. Real HTTP still flows between policy and simulator, so after
 * each jump we wait until nothing is on the wire before jumping again; otherwise a reply could
 * arrive "later" than the instant it belongs to and the run would depend on machine speed.
 */

export interface CountingTransport {
  transport: HttpTransport;
  inFlight(): number;
  /** Requests started so far (a cheap progress signal for the stuck-run guard). */
  started(): number;
}

/** Wraps a transport to count requests in flight; `onRequest` sees each one as it leaves. */
export function countingTransport(inner: HttpTransport, onRequest?: (request: HttpRequest) => void): CountingTransport {
  let inFlight = 0;
  let started = 0;
  const transport: HttpTransport = async (request) => {
    inFlight += 1;
    started += 1;
    try {
      onRequest?.(request);
      return await inner(request);
    } finally {
      inFlight -= 1;
    }
  };
  return { transport, inFlight: () => inFlight, started: () => started };
}

/** Macrotask turns with nothing in flight before a step counts as settled. */
const CALM_TURNS = 6;
/** Real time a single settle may take before the run is declared stuck (a bug, not slowness). */
const STUCK_AFTER_MS = 30_000;

/** Resolves once `busy()` has been false for several consecutive macrotask turns. */
export async function quiesce(busy: () => boolean): Promise<void> {
  const started = performance.now();
  let calm = 0;
  while (calm < CALM_TURNS) {
    // setImmediate, not a microtask: socket reads and writes only progress between macrotasks.
    await new Promise<void>((resolve) => setImmediate(resolve));
    calm = busy() ? 0 : calm + 1;
    if (performance.now() - started > STUCK_AFTER_MS) throw new Error('the run is stuck: an HTTP request has been in flight for 30 s of real time');
  }
}

export interface StepOptions {
  clock: FakeClock;
  busy: () => boolean;
  /** Simulated end (exclusive). */
  end: number;
  /** First sampling instant; then every minute. */
  firstSample: number;
  sample: (at: number) => void;
}

const MINUTE_MS = 60_000;
/** More steps than this at one simulated instant means a timer loop, not progress. */
const MAX_STEPS_PER_INSTANT = 10_000;

/**
 * Steps from event to event: to the earlier of the clock's next due timer and the next sampling
 * minute, settles, and samples when a minute is reached. Timers due exactly at a sampling minute
 * fire before the sample, so a sample sees the policy's state after that instant's polls.
 */
export async function runSteps(options: StepOptions): Promise<void> {
  const { clock, busy, end, sample } = options;
  let nextSample = options.firstSample;
  let lastInstant = clock.now();
  let stepsHere = 0;
  await quiesce(busy);
  while (clock.now() < end) {
    const now = clock.now();
    const due = clock.nextDueAt;
    const target = Math.min(due ?? Infinity, nextSample, end);
    await clock.advance(Math.max(0, target - now));
    await quiesce(busy);
    if (clock.now() === lastInstant) {
      stepsHere += 1;
      if (stepsHere > MAX_STEPS_PER_INSTANT) throw new Error(`timers keep firing at ${new Date(lastInstant).toISOString()} without time moving`);
    } else {
      lastInstant = clock.now();
      stepsHere = 0;
    }
    if (clock.now() === nextSample && nextSample < end) {
      sample(nextSample);
      nextSample += MINUTE_MS;
    }
  }
}

/**
 * Runs `work` (a shutdown) to its end. Shutdown mostly waits on real file writes, so time is left
 * alone at first: the daemon's stop deadlines run on the fake clock, and moving it early would
 * cut those writes short. Only a shutdown still waiting after 20 s of real time gets the fake
 * clock nudged, in case it waits on a timer.
 */
const PUMP_AFTER_MS = 20_000;

export async function withClockPump<T>(clock: FakeClock, work: Promise<T>): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  const started = performance.now();
  while (!done) {
    await new Promise<void>((resolve) => setTimeout(resolve, 10));
    if (!done && performance.now() - started > PUMP_AFTER_MS) await clock.advance(1000);
  }
  return settled;
}
