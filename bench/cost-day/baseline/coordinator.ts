import type { Clock, Timer } from '../../../src/core/clock.js';

/**
 * The scheduling half of a Home Assistant data-update coordinator, as documented, on the injected
 * clock: one refresh at set-up (or none, for a coordinator that only starts
 * polling once it has listeners), then the next one `intervalMs` after the previous finished,
 * whether it succeeded or failed. The update may change the interval (the pre-2021 quiet window)
 * or ask for one specific delay (an energy 429's Retry-After).
 */
export class Coordinator {
  /** The interval the next refresh is scheduled with; updates may change it. */
  intervalMs: number;
  private readonly clock: Clock;
  private readonly update: (coordinator: Coordinator) => Promise<void>;
  private timer: Timer | undefined;
  private stopped = false;
  private delayOnceMs: number | undefined;

  constructor(options: { clock: Clock; intervalMs: number; update: (coordinator: Coordinator) => Promise<void> }) {
    this.clock = options.clock;
    this.intervalMs = options.intervalMs;
    this.update = options.update;
  }

  /** The set-up refresh, then regular polling. */
  async firstRefresh(): Promise<void> {
    await this.refresh();
  }

  /** Regular polling without a set-up refresh: the first poll comes one interval from now. */
  listen(): void {
    this.schedule();
  }

  /** Only the next refresh comes after `ms` (then the interval again). */
  delayNextBy(ms: number): void {
    this.delayOnceMs = ms;
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private async refresh(): Promise<void> {
    if (this.stopped) return;
    await this.update(this);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer?.cancel();
    const delay = this.delayOnceMs ?? this.intervalMs;
    this.delayOnceMs = undefined;
    this.timer = this.clock.setTimeout(() => void this.refresh(), delay);
  }
}
