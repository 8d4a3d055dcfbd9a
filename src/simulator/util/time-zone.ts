/**
 * The simulator's local-time helpers on top of the shared core (src/core/time-zone.ts).
 */
import { localTime, offsetMinutes } from '../../core/time-zone.js';

export { isValidTimeZone, localTime, offsetMinutes, type LocalTime } from '../../core/time-zone.js';

/** Hours since local midnight, fractional (7.5 = 07:30). */
export function localHour(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  return t.hour + t.minute / 60 + t.second / 3600;
}

/** The UTC instant of a local wall-clock time (the later instant when a DST gap or fold makes it ambiguous). */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetMinutes(guess, timeZone) * 60_000;
  return guess - offsetMinutes(first, timeZone) * 60_000;
}

/** Local midnight of the day containing `ms`. */
export function startOfLocalDay(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  return zonedToUtc(t.year, t.month, t.day, 0, 0, timeZone);
}

/** Local midnight of the day after the one containing `ms` (23 or 25 hours later on DST days). */
export function startOfNextLocalDay(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  const next = new Date(Date.UTC(t.year, t.month - 1, t.day + 1));
  return zonedToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone);
}

/** ISO 8601 with the zone's offset, as Tesla writes energy timestamps: 2026-01-01T07:30:00-08:00. */
export function isoWithOffset(ms: number, timeZone: string): string {
  const t = localTime(ms, timeZone);
  const sign = t.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(t.offsetMinutes);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${t.year}-${two(t.month)}-${two(t.day)}T${two(t.hour)}:${two(t.minute)}:${two(t.second)}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}
