/**
 * Wall-clock arithmetic for schedules: which instants a local time names (none in a
 * spring-forward gap, two in the repeated hour of a fall-back). Local time itself comes from the
 * shared core (src/core/time-zone.ts).
 */
import { isValidTimeZone, type LocalTime, localTime, offsetMinutes } from '../core/time-zone.js';

export { systemTimeZone } from '../core/time-zone.js';

/** Local date and time at an instant; weekday 0 = Sunday … 6 = Saturday. */
export type LocalParts = Omit<LocalTime, 'offsetMinutes'>;

export function isTimeZone(name: string): boolean {
  return isValidTimeZone(name);
}

export function localParts(instant: number, timeZone: string): LocalParts {
  const { offsetMinutes: _offset, ...parts } = localTime(instant, timeZone);
  return parts;
}

/** The zone's offset from UTC at `instant`, in ms (local = UTC + offset). */
export function offsetAt(instant: number, timeZone: string): number {
  return offsetMinutes(instant, timeZone) * 60_000;
}

/**
 * The offsets in force during one local day: one, or the two either side of a transition and
 * the instant it happens (assumes at most one transition a day, as every real zone has).
 */
export type DayOffsets = { steady: number } | { before: number; after: number; at: number };

const NEAR = 14 * 3_600_000;

export function dayOffsets(date: { year: number; month: number; day: number }, timeZone: string): DayOffsets {
  const noonAsUtc = Date.UTC(date.year, date.month - 1, date.day, 12);
  const noon = noonAsUtc - offsetAt(noonAsUtc, timeZone);
  let low = noon - NEAR;
  let high = noon + NEAR;
  const before = offsetAt(low, timeZone);
  const after = offsetAt(high, timeZone);
  if (before === after) return { steady: before };
  while (high - low > 1000) {
    const mid = Math.floor((low + high) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === before) low = mid;
    else high = mid;
  }
  return { before, after, at: high };
}

/**
 * Every instant at which the clocks show `ofDayS` seconds after local midnight of `date`, earliest
 * first: none when a spring-forward skips it, two when a fall-back repeats it.
 */
export function wallInstants(date: { year: number; month: number; day: number }, ofDayS: number, offsets: DayOffsets): number[] {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day) + ofDayS * 1000;
  if ('steady' in offsets) return [asUtc - offsets.steady];
  const instants: number[] = [];
  if (asUtc - offsets.before < offsets.at) instants.push(asUtc - offsets.before);
  if (asUtc - offsets.after >= offsets.at) instants.push(asUtc - offsets.after);
  return instants.sort((a, b) => a - b);
}

/** Adds days to a calendar date (no time zone involved). */
export function addDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function weekdayOf(date: { year: number; month: number; day: number }): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
