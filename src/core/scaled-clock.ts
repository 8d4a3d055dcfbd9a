import { type Clock, SystemClock, sleepWith, type Timer } from './clock.js';

export interface ScaledClockOptions {
  /** Simulated time at the moment the clock is created (ms since the epoch). */
  start: number;
  /** How many simulated milliseconds pass per real millisecond (60 = one hour per minute). */
  speed: number;
  /** The real clock underneath; the system clock unless a test supplies another. */
  base?: Clock;
}

/**
 * Simulated time that runs faster than real time, for the simulator, the demo and benchmarks.
 * One instance is shared by the simulator and the daemon so both agree on "now"; timers fire
 * after the simulated delay divided by the speed.
 */
export class ScaledClock implements Clock {
  readonly speed: number;
  private readonly base: Clock;
  private readonly realStart: number;
  private readonly simulatedStart: number;

  constructor(options: ScaledClockOptions) {
    if (!(options.speed > 0)) throw new Error(`clock speed must be above 0, got ${options.speed}`);
    this.base = options.base ?? new SystemClock();
    this.speed = options.speed;
    this.realStart = this.base.now();
    this.simulatedStart = options.start;
  }

  now(): number {
    return Math.floor(this.simulatedStart + (this.base.now() - this.realStart) * this.speed);
  }

  setTimeout(callback: () => void, ms: number): Timer {
    return this.base.setTimeout(callback, Math.max(0, ms) / this.speed);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }
}
