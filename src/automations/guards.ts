import type { Limits } from './types.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export type LimitName = 'wakes_per_hour' | 'commands_per_hour' | 'runs_per_minute';

/** Times of recent events in a sliding window. */
class Window {
  private times: number[] = [];
  private readonly spanMs: number;

  constructor(spanMs: number) {
    this.spanMs = spanMs;
  }

  count(now: number): number {
    this.times = this.times.filter((t) => t > now - this.spanMs);
    return this.times.length;
  }

  add(now: number): void {
    this.times.push(now);
  }

  /** When the oldest event leaves the window, i.e. when one more is allowed again. */
  freeAt(now: number): number {
    this.count(now);
    return (this.times[0] ?? now) + this.spanMs;
  }
}

export type GuardVerdict = { ok: true } | { ok: false; limit: LimitName; max: number; until: number };

/**
 * One automation's budget of wakes, commands and runs. The windows outlive reloads (they are
 * kept per automation id by the engine), so editing a rule cannot reset what it has spent.
 */
export class Guards {
  private readonly wakes = new Window(HOUR_MS);
  private readonly commands = new Window(HOUR_MS);
  private readonly runs = new Window(MINUTE_MS);
  limits: Limits;

  constructor(limits: Limits) {
    this.limits = limits;
  }

  /** May the automation send a command now? `wakes` says whether it would likely wake a car. */
  command(now: number, wakes: boolean): GuardVerdict {
    if (wakes && this.wakes.count(now) >= this.limits.wakesPerHour) {
      return { ok: false, limit: 'wakes_per_hour', max: this.limits.wakesPerHour, until: this.wakes.freeAt(now) };
    }
    if (this.commands.count(now) >= this.limits.commandsPerHour) {
      return { ok: false, limit: 'commands_per_hour', max: this.limits.commandsPerHour, until: this.commands.freeAt(now) };
    }
    this.commands.add(now);
    return { ok: true };
  }

  /** A car was woken for this automation (counted from the executor's wake events). */
  wake(now: number): void {
    this.wakes.add(now);
  }

  run(now: number): GuardVerdict {
    if (this.runs.count(now) >= this.limits.runsPerMinute) {
      return { ok: false, limit: 'runs_per_minute', max: this.limits.runsPerMinute, until: this.runs.freeAt(now) };
    }
    this.runs.add(now);
    return { ok: true };
  }

  wakesInLastHour(now: number): number {
    return this.wakes.count(now);
  }
}
