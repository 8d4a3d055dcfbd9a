import { createRequire } from 'node:module';
import type { ParsedFields } from 'node-cron';
import { ownValue } from '../core/own.js';
import { addDays, type DayOffsets, dayOffsets, daysInMonth, localParts, wallInstants, weekdayOf } from './time-zone.js';

/**
 * Cron schedules in node-cron's syntax (5 fields, or 6 with seconds first; names, ranges,
 * steps, L, W and #). node-cron reads and checks the expression; the times it fires at are
 * computed here from the injected clock's instant, so tests can drive them with a fake clock.
 *
 * Daylight saving, as classic cron does it: a time that a spring-forward skips fires once, right
 * after the gap, and a time the fall-back repeats fires once, the first time round; a schedule
 * for every hour (`*` in the hour field) simply follows the clock through both.
 */
export interface CronSchedule {
  expression: string;
  timeZone: string;
  fields: ParsedFields;
}

type NodeCron = typeof import('node-cron');
let nodeCron: NodeCron | undefined;

/** node-cron, required on the first cron expression read: a config without one never loads it (README "Footprint"). */
function cron(): NodeCron {
  nodeCron ??= createRequire(import.meta.url)('node-cron') as NodeCron;
  return nodeCron;
}

export type CronCheck = { ok: true; fields: ParsedFields } | { ok: false; problem: string; fix: string };

const FIELD_HELP: Record<string, string> = {
  second: 'second is 0-59',
  minute: 'minute is 0-59',
  hour: 'hour is 0-23',
  dayOfMonth: 'day of month is 1-31, L (last), L-3 or 15W',
  month: 'month is 1-12 or jan-dec',
  dayOfWeek: 'weekday is 0-7 (0 and 7 are Sunday), sun-sat, 1#2 or 5L',
};

const FIELD_NAMES: Readonly<Record<string, string>> = {
  second: 'second',
  minute: 'minute',
  hour: 'hour',
  dayOfMonth: 'day of month',
  month: 'month',
  dayOfWeek: 'weekday',
};

const FIELDS_FIX = 'write 5 fields (minute hour day-of-month month weekday), or 6 with seconds first, e.g. "0 22 * * *"';

export function checkCron(expression: string): CronCheck {
  const problem = `invalid expression "${expression}"`;
  let result: ReturnType<NodeCron['validateDetailed']>;
  try {
    result = cron().validateDetailed(expression);
  } catch (error) {
    return { ok: false, problem, fix: `${error instanceof Error ? error.message : String(error)}; ${FIELDS_FIX}` };
  }
  if (!result.valid) {
    const [first] = result.errors;
    if (!first || first.field === 'expression') {
      const message = first?.message ?? 'cannot be read';
      return { ok: false, problem, fix: /fields/.test(message) ? `${message}; ${FIELDS_FIX}` : `${message}; use digits, * , - / and names such as mon or jan` };
    }
    const fieldErrors = result.errors.filter((e) => e.field !== 'expression');
    if (fieldErrors.length > 1) {
      // Several fields wrong: not a schedule with one slip, so the first field is not to blame.
      const bad = fieldErrors.map((e) => `${ownValue(FIELD_NAMES, e.field) ?? e.field} "${String(e.value)}"`).join(', ');
      return { ok: false, problem: `"${expression}" is not a cron expression (${bad} are not valid)`, fix: FIELDS_FIX };
    }
    const help = ownValue(FIELD_HELP, first.field);
    const impossible = /impossible/.test(first.message);
    return { ok: false, problem, fix: impossible ? `${first.message}; pick a day that month has` : (help ?? first.message) };
  }
  const fields = result.fields ?? cron().parse(expression);
  const schedule = { expression, timeZone: 'UTC', fields };
  // Some combinations never happen (the 31st on a Monday in February…): say so now.
  if (nextFire(schedule, Date.UTC(2024, 0, 1)) === undefined) {
    return { ok: false, problem, fix: 'no date ever matches all of its fields (node-cron needs the day of month and the weekday both to match)' };
  }
  return { ok: true, fields };
}

type Day = { year: number; month: number; day: number };

/** Day of month matching: numbers, L (last), L-n (n before last), nW / LW (nearest weekday). */
function dayOfMonthMatches(entries: readonly (number | string)[], date: Day): boolean {
  const last = daysInMonth(date.year, date.month);
  for (const entry of entries) {
    if (typeof entry === 'number') {
      if (entry === date.day) return true;
      continue;
    }
    if (entry === 'L' && date.day === last) return true;
    const before = /^L-(\d{1,2})$/.exec(entry);
    if (before && date.day === last - Number(before[1])) return true;
    const weekdayNear = /^(\d{1,2}|L)W$/.exec(entry);
    if (weekdayNear && nearestWeekday(date, weekdayNear[1] === 'L' ? last : Number(weekdayNear[1]), last) === date.day) return true;
  }
  return false;
}

/** The weekday (Mon–Fri) nearest to `target` within its month. */
function nearestWeekday(date: Day, target: number, last: number): number {
  if (target < 1 || target > last) return -1;
  const weekday = weekdayOf({ ...date, day: target });
  if (weekday === 6) return target === 1 ? 3 : target - 1;
  if (weekday === 0) return target === last ? target - 2 : target + 1;
  return target;
}

/** Weekday matching: numbers (0 = Sunday), n#k (k-th such weekday of the month), nL (the last one). */
function dayOfWeekMatches(entries: readonly (number | string)[], date: Day): boolean {
  const weekday = weekdayOf(date);
  const last = daysInMonth(date.year, date.month);
  for (const entry of entries) {
    if (typeof entry === 'number') {
      if (entry % 7 === weekday) return true;
      continue;
    }
    const nth = /^(\d)#(\d)$/.exec(entry);
    if (nth && Number(nth[1]) % 7 === weekday && Math.ceil(date.day / 7) === Number(nth[2])) return true;
    const lastOne = /^(\d)L$/.exec(entry);
    if (lastOne && Number(lastOne[1]) % 7 === weekday && date.day + 7 > last) return true;
  }
  return false;
}

function dayMatches(fields: ParsedFields, date: Day): boolean {
  return fields.month.includes(date.month) && dayOfMonthMatches(fields.dayOfMonth, date) && dayOfWeekMatches(fields.dayOfWeek, date);
}

const HOUR_S = 3600;
/** Long enough for any yearly pattern, Feb 29 included. */
const HORIZON_DAYS = 366 * 8 + 2;

/** The first instant after `after` at which the schedule fires, or undefined if it never does. */
export function nextFire(schedule: CronSchedule, after: number): number | undefined {
  const { fields, timeZone } = schedule;
  const start = localParts(after, timeZone);
  let date: Day = { year: start.year, month: start.month, day: start.day };
  for (let i = 0; i < HORIZON_DAYS; i++) {
    if (dayMatches(fields, date)) {
      const found = firstOnDay(schedule, date, after, i === 0 ? start.hour * HOUR_S + start.minute * 60 + start.second : undefined);
      if (found !== undefined) return found;
    }
    date = addDays(date, 1);
  }
  return undefined;
}

function firstOnDay(schedule: CronSchedule, date: Day, after: number, fromSecond: number | undefined): number | undefined {
  const { fields, timeZone } = schedule;
  const everyHour = fields.hour.length === 24;
  const hours = [...fields.hour].sort((a, b) => a - b);
  const minutes = [...fields.minute].sort((a, b) => a - b);
  const seconds = [...fields.second].sort((a, b) => a - b);
  const offsets = dayOffsets(date, timeZone);
  // A repeated hour can make a later wall time come earlier in real time, by at most that hour.
  const lowest = fromSecond === undefined ? -Infinity : fromSecond - HOUR_S;
  let best: number | undefined;
  let bestSecond = Infinity;
  for (const hour of hours) {
    for (const minute of minutes) {
      for (const second of seconds) {
        const ofDay = hour * HOUR_S + minute * 60 + second;
        if (ofDay < lowest) continue;
        if (ofDay > bestSecond + HOUR_S) return best;
        for (const instant of fireInstants(date, ofDay, offsets, everyHour)) {
          if (instant > after && (best === undefined || instant < best)) {
            best = instant;
            bestSecond = Math.min(bestSecond, ofDay);
          }
        }
      }
    }
  }
  return best;
}

function fireInstants(date: Day, ofDay: number, offsets: DayOffsets, everyHour: boolean): number[] {
  const instants = wallInstants(date, ofDay, offsets);
  if (instants.length === 1) return instants;
  if (instants.length === 0) return everyHour || 'steady' in offsets ? [] : [offsets.at];
  return everyHour ? instants : instants.slice(0, 1);
}
