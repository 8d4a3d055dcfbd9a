/**
 * Local time in an IANA time zone without a date library. Offsets are cached per quarter hour
 * because the world asks for the local hour at every simulated minute of every device, and every
 * real zone changes its offset only on a quarter-hour boundary.
 */

export interface LocalTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** Minutes east of UTC (−480 for PST). */
  offsetMinutes: number;
}

const QUARTER_HOUR = 15 * 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes east of UTC at the instant `ms` in `timeZone`. */
export function offsetMinutes(ms: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(ms / QUARTER_HOUR)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  const offset = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

export function localTime(ms: number, timeZone: string): LocalTime {
  const offset = offsetMinutes(ms, timeZone);
  const shifted = new Date(ms + offset * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    weekday: shifted.getUTCDay(),
    offsetMinutes: offset,
  };
}

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
