import type { FakeClock } from '../../src/core/fake-clock.js';

/** Waits until `busy()` has been false for several event-loop turns in a row. */
export async function quiet(busy: () => boolean, turns = 5, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let calm = 0;
  while (calm < turns) {
    await new Promise((resolve) => setImmediate(resolve));
    calm = busy() ? 0 : calm + 1;
    if (Date.now() > deadline) throw new Error('the daemon never went quiet');
  }
}

/**
 * Moves a fake clock forward by `ms`, from one due timer to the next (at most `stepMs` at a
 * time), letting real I/O (HTTP to the simulator) finish between steps, so simulated hours run in
 * real seconds and every request happens at the simulated time it belongs to.
 */
export async function runFor(clock: FakeClock, ms: number, busy: () => boolean, stepMs = 60_000, onStep?: () => void): Promise<void> {
  const end = clock.now() + ms;
  await quiet(busy);
  while (clock.now() < end) {
    const due = clock.nextDueAt;
    const target = Math.min(end, clock.now() + stepMs, due !== undefined && due > clock.now() ? due : clock.now() + stepMs);
    await clock.advance(Math.max(0, target - clock.now()));
    await quiet(busy);
    onStep?.();
  }
}
