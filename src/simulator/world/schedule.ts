import type { ScenarioEvent } from '../scenario/events-schema.js';
import { localTime, zonedToUtc } from '../util/time-zone.js';

/** When scripted events happen: daily at a local `HH:MM` (optionally on some weekdays), or once. */

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAILY = /^(\d{1,2}):(\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The first occurrence at or after `from`, or undefined when the event never happens again. */
export function nextOccurrence(event: ScenarioEvent, from: number, timeZone: string): number | undefined {
  const daily = DAILY.exec(event.at);
  if (daily) {
    const hour = Number(daily[1]);
    const minute = Number(daily[2]);
    const today = localTime(from, timeZone);
    for (let offset = 0; offset <= 8; offset++) {
      const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
      const weekday = WEEKDAYS[date.getUTCDay()] ?? 'sun';
      if (event.weekdays && !event.weekdays.includes(weekday)) continue;
      const at = zonedToUtc(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour, minute, timeZone);
      if (at >= from) return at;
    }
    return undefined;
  }
  const local = LOCAL.exec(event.at);
  const at = local
    ? zonedToUtc(Number(local[1]), Number(local[2]), Number(local[3]), Number(local[4]), Number(local[5]), timeZone) + Number(local[6] ?? 0) * 1000
    : Date.parse(event.at);
  return Number.isNaN(at) || at < from ? undefined : at;
}

export interface Scheduled {
  event: ScenarioEvent;
  at: number;
}

/** The pending occurrences of a scenario's events. */
export class EventSchedule {
  private readonly pending: Scheduled[] = [];
  private readonly timeZone: string;

  constructor(events: readonly ScenarioEvent[], start: number, timeZone: string) {
    this.timeZone = timeZone;
    for (const event of events) {
      const at = nextOccurrence(event, start, timeZone);
      if (at !== undefined) this.pending.push({ event, at });
    }
  }

  nextTime(): number {
    let next = Infinity;
    for (const item of this.pending) if (item.at < next) next = item.at;
    return next;
  }

  /** Removes and returns the occurrences due at or before `now`, in order, rescheduling daily ones. */
  takeDue(now: number): Scheduled[] {
    const due = this.pending.filter((item) => item.at <= now).sort((a, b) => a.at - b.at);
    for (const item of due) {
      const index = this.pending.indexOf(item);
      this.pending.splice(index, 1);
      const again = DAILY.test(item.event.at) ? nextOccurrence(item.event, item.at + 1, this.timeZone) : undefined;
      if (again !== undefined) this.pending.push({ event: item.event, at: again });
    }
    return due;
  }

  upcoming(): Scheduled[] {
    return [...this.pending].sort((a, b) => a.at - b.at);
  }
}
