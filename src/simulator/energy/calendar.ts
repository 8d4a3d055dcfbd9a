import { isoWithOffset, isValidTimeZone, localTime, startOfLocalDay, startOfNextLocalDay, zonedToUtc } from '../util/time-zone.js';
import type { EnergySite } from './energy-site.js';
import { emptyRecord, HISTORY_FIELDS, type HistoryRecord } from './history.js';

/**
 * calendar_history: kind=energy (5-minute buckets for a day; daily for week and month; monthly
 * for year and lifetime), kind=power (5-minute average powers), kind=backup (outages). History
 * starts when the simulation started: earlier buckets are simply absent.
 */

export class CalendarQueryError extends Error {
  override readonly name = 'CalendarQueryError';
}

export interface CalendarQuery {
  kind?: string | undefined;
  period?: string | undefined;
  start_date?: string | undefined;
  end_date?: string | undefined;
  time_zone?: string | undefined;
}

const round = (value: number): number => Math.round(value * 100) / 100;

export function calendarHistory(site: EnergySite, query: CalendarQuery, now: number): Record<string, unknown> {
  const timeZone = query.time_zone ?? site.timeZone;
  if (!isValidTimeZone(timeZone)) throw new CalendarQueryError(`time_zone ${timeZone} is not a known time zone`);
  const kind = query.kind ?? 'energy';
  if (kind === 'backup') return backupEvents(site, timeZone);
  if (kind !== 'energy' && kind !== 'power') throw new CalendarQueryError(`kind must be energy, power or backup, not ${kind}`);
  const period = query.period ?? 'day';
  const end = query.end_date === undefined ? now : parseDate(query.end_date, 'end_date');
  const [from, to] = periodRange(site, period, end, timeZone);
  const until = Math.min(to, now);
  const buckets = site.history.between(from, until);
  const base = { serial_number: site.gatewayDin, period, installation_time_zone: site.timeZone };
  if (kind === 'power') {
    return { ...base, time_series: buckets.map(([at, record]) => powerPoint(at, record, timeZone)) };
  }
  const grouped = period === 'day' ? buckets : groupBy(buckets, (at) => groupKey(at, period, timeZone));
  return {
    ...base,
    time_series: grouped.map(([at, record]) => ({
      timestamp: isoWithOffset(at, timeZone),
      ...Object.fromEntries(HISTORY_FIELDS.map((field) => [field, round(record[field])])),
    })),
  };
}

function parseDate(text: string, name: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new CalendarQueryError(`${name} must be an ISO 8601 time, not ${text}`);
  return ms;
}

function periodRange(site: EnergySite, period: string, end: number, timeZone: string): [number, number] {
  const t = localTime(end, timeZone);
  switch (period) {
    case 'day':
      return [startOfLocalDay(end, timeZone), startOfNextLocalDay(end, timeZone)];
    case 'week': {
      const dayStart = startOfLocalDay(end, timeZone);
      const first = new Date(Date.UTC(t.year, t.month - 1, t.day - 6));
      return [zonedToUtc(first.getUTCFullYear(), first.getUTCMonth() + 1, first.getUTCDate(), 0, 0, timeZone), startOfNextLocalDay(dayStart, timeZone)];
    }
    case 'month':
      return [
        zonedToUtc(t.year, t.month, 1, 0, 0, timeZone),
        zonedToUtc(t.month === 12 ? t.year + 1 : t.year, t.month === 12 ? 1 : t.month + 1, 1, 0, 0, timeZone),
      ];
    case 'year':
      return [zonedToUtc(t.year, 1, 1, 0, 0, timeZone), zonedToUtc(t.year + 1, 1, 1, 0, 0, timeZone)];
    case 'lifetime':
      return [site.history.first() ?? end, Infinity];
    default:
      throw new CalendarQueryError(`period must be day, week, month, year or lifetime, not ${period}`);
  }
}

function groupKey(at: number, period: string, timeZone: string): number {
  if (period === 'week' || period === 'month') return startOfLocalDay(at, timeZone);
  const t = localTime(at, timeZone);
  return zonedToUtc(t.year, t.month, 1, 0, 0, timeZone);
}

function groupBy(buckets: [number, HistoryRecord][], key: (at: number) => number): [number, HistoryRecord][] {
  const groups = new Map<number, HistoryRecord>();
  for (const [at, record] of buckets) {
    const k = key(at);
    const sum = groups.get(k) ?? emptyRecord();
    for (const field of HISTORY_FIELDS) sum[field] += record[field];
    groups.set(k, sum);
  }
  return [...groups.entries()];
}

function powerPoint(at: number, record: HistoryRecord, timeZone: string): Record<string, unknown> {
  // Wh in five minutes × 12 = average W.
  return {
    timestamp: isoWithOffset(at, timeZone),
    solar_power: Math.round(record.total_solar_generation * 12),
    battery_power: Math.round((record.total_battery_discharge - record.total_battery_charge) * 12),
    grid_power: Math.round((record.grid_energy_imported - record.total_grid_energy_exported) * 12),
    grid_services_power: 0,
    generator_power: 0,
    load_power: Math.round(record.total_home_usage * 12),
  };
}

function backupEvents(site: EnergySite, timeZone: string): Record<string, unknown> {
  const events = site.backupEvents.map((event) => ({
    timestamp: isoWithOffset(event.timestamp, timeZone),
    duration: Math.round(event.durationMs / 1000),
  }));
  return { events, total_events: events.length };
}
