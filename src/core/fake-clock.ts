import { type Clock, type Timer, sleepWith } from './clock.js';

interface Pending {
  at: number;
  seq: number;
  callback: () => void;
}

/**
 * A clock that only moves when told to. Timers fire in due order while `advance` walks time
 * forward, with the microtask queue drained after each one so awaited continuations run at the
 * simulated instant they belong to.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): Timer {
    const id = this.seq++;
    this.pending.set(id, { at: this.current + Math.max(0, ms), seq: id, callback });
    return { cancel: () => this.pending.delete(id) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }

  /** When the earliest pending timer is due, if any (lets a driver step from event to event). */
  get nextDueAt(): number | undefined {
    let best: number | undefined;
    for (const timer of this.pending.values()) if (best === undefined || timer.at < best) best = timer.at;
    return best;
  }

  /** Number of timers not yet fired. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.nextDue(target);
      if (!next) break;
      this.pending.delete(next.seq);
      // A timer overdue after a jump fires late, at the current time, as a real one would: time never runs backwards.
      this.current = Math.max(this.current, next.at);
      next.callback();
    }
    this.current = target;
    await flushMicrotasks();
  }

  /** Sets the wall clock without firing timers (a jump, as after a suspend or an NTP step). */
  set(time: number | Date): void {
    this.current = typeof time === 'number' ? time : time.getTime();
  }

  private nextDue(limit: number): Pending | undefined {
    let best: Pending | undefined;
    for (const timer of this.pending.values()) {
      if (timer.at > limit) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  }
}

async function flushMicrotasks(): Promise<void> {
  // A few turns so chains of awaits started by a timer settle before the next timer fires.
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
