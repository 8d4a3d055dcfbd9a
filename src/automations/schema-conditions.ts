import { readBounds } from './schema-triggers.js';
import { readEntities, readTemplate } from './schema-refs.js';
import { closest, type Ctx, type Path, type Raw, Reader, shown, stateWords } from './schema-read.js';
import { isTimeZone, systemTimeZone } from './time-zone.js';
import type { Condition } from './types.js';

/** The `conditions:` of an automation, and of `if:` and `choose:` in its actions. */

export const CONDITION_KINDS = ['state', 'numeric_state', 'time', 'and', 'or', 'not'] as const;
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export function readConditions(value: unknown, ctx: Ctx): Condition[] {
  const reader = new Reader(ctx);
  return conditionList(reader, value, [], 'conditions', false) ?? [];
}

export function conditionList(reader: Reader, value: unknown, path: Path, at: string, required: boolean): Condition[] | undefined {
  const items = reader.items(value, path, { required, example: '- condition: state' });
  if (!items) return undefined;
  const out = items.map((item, index) => conditionAt(reader, item, [...path, index], `${at}[${index}]`));
  return out.every((c): c is Condition => c !== undefined) ? out : undefined;
}

function conditionAt(reader: Reader, value: unknown, path: Path, at: string): Condition | undefined {
  const kind = typeof value === 'object' && value !== null ? (value as Raw).condition : undefined;
  if (typeof kind !== 'string' || !(CONDITION_KINDS as readonly string[]).includes(kind)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return reader.problem(path, `expected a condition section, got ${shown(value)}`, 'write it like "- condition: state" with entity: and state: below');
    }
    const suggestion = typeof kind === 'string' ? closest(kind, CONDITION_KINDS) : undefined;
    return reader.problem(
      kind === undefined ? path : [...path, 'condition'],
      kind === undefined ? 'condition is missing' : `${shown(kind)} is not a condition`,
      suggestion ? `did you mean "${suggestion}"?` : `use one of: ${CONDITION_KINDS.join(', ')}`,
    );
  }
  switch (kind) {
    case 'state': {
      const raw = reader.object(value, path, ['condition', 'entity', 'state', 'for'], 'condition: state with entity: and state:');
      if (!raw) return undefined;
      const entities = readEntities(reader, raw, 'entity', path);
      const state = raw.state === undefined ? reader.problem(path, 'state is missing', 'add state: "ON" (or a list of states)') : stateWords(raw.state);
      if (raw.state !== undefined && !state)
        reader.problem(
          [...path, 'state'],
          `expected a state or a list of states, got ${shown(raw.state)}`,
          'write state: charging or state: [charging, complete]',
        );
      const forS = reader.duration(raw, 'for', path);
      if (!entities || !state) return undefined;
      return { at, condition: 'state', entities, state, ...(forS !== undefined ? { forS } : {}) };
    }
    case 'numeric_state': {
      const raw = reader.object(value, path, ['condition', 'entity', 'value', 'above', 'below'], 'condition: numeric_state with entity: and above:');
      if (!raw) return undefined;
      if ((raw.entity === undefined) === (raw.value === undefined)) {
        return reader.problem(
          path,
          raw.entity === undefined ? 'needs entity or value' : 'has both entity and value',
          'give entity: (an entity id) or value: (an expression such as "{{ a - b }}"), not both',
        );
      }
      const entities = raw.entity === undefined ? [] : readEntities(reader, raw, 'entity', path);
      const template = typeof raw.value === 'string' ? readTemplate(reader, raw.value, [...path, 'value']) : undefined;
      if (raw.value !== undefined && typeof raw.value !== 'string')
        reader.problem([...path, 'value'], `expected an expression, got ${shown(raw.value)}`, 'write value: "{{ vehicle.<id>.charger_power * 1000 }}"');
      const bounds = readBounds(reader, raw, path);
      if (!entities || !bounds || (raw.value !== undefined && !template)) return undefined;
      return { at, condition: 'numeric_state', entities, ...(template ? { value: template } : {}), ...bounds };
    }
    case 'time':
      return timeCondition(reader, value, path, at);
    default: {
      const raw = reader.object(value, path, ['condition', 'conditions'], `condition: ${kind} with conditions: below`);
      if (!raw) return undefined;
      const inner =
        raw.conditions === undefined
          ? reader.problem(path, 'conditions is missing', `add conditions: with the conditions to ${kind === 'not' ? 'negate' : 'combine'}`)
          : conditionList(reader, raw.conditions, [...path, 'conditions'], `${at}.conditions`, true);
      if (!inner) return undefined;
      return { at, condition: kind as 'and' | 'or' | 'not', conditions: inner };
    }
  }
}

function timeCondition(reader: Reader, value: unknown, path: Path, at: string): Condition | undefined {
  const raw = reader.object(value, path, ['condition', 'after', 'before', 'weekday', 'timezone'], 'condition: time with after: "22:00"');
  if (!raw) return undefined;
  const afterS = timeOfDay(reader, raw, 'after', path);
  const beforeS = timeOfDay(reader, raw, 'before', path);
  const weekdays = raw.weekday === undefined ? undefined : readWeekdays(reader, raw.weekday, [...path, 'weekday']);
  const timeZone = reader.text(raw, 'timezone', path);
  if (timeZone !== undefined && !isTimeZone(timeZone))
    reader.problem([...path, 'timezone'], `"${timeZone}" is not a time zone`, 'use an IANA name such as Europe/Berlin');
  if (raw.after === undefined && raw.before === undefined && raw.weekday === undefined) {
    return reader.problem(path, 'needs after, before or weekday', 'add after: "22:00", before: "06:00" and/or weekday: [mon, tue]');
  }
  if (reader.failed) return undefined;
  return {
    at,
    condition: 'time',
    ...(afterS !== undefined ? { afterS } : {}),
    ...(beforeS !== undefined ? { beforeS } : {}),
    ...(weekdays ? { weekdays } : {}),
    timeZone: timeZone ?? systemTimeZone(),
  };
}

/** "22:00" or "06:30:15" as seconds after midnight. YAML 1.1 readers turn 22:00 into 1320; so do we. */
function timeOfDay(reader: Reader, raw: Raw, key: string, path: Path): number | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim()) : null;
  const [hours, minutes, seconds] = match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : [NaN, NaN, NaN];
  if (!match || hours > 23 || minutes > 59 || seconds > 59) {
    return reader.problem([...path, key], `${shown(value)} is not a time of day`, `write ${key}: "22:00" (24-hour clock, quoted)`);
  }
  return hours * 3600 + minutes * 60 + seconds;
}

function readWeekdays(reader: Reader, value: unknown, path: Path): number[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  const out: number[] = [];
  for (const item of items) {
    const index = typeof item === 'string' ? (WEEKDAYS as readonly string[]).indexOf(item.trim().toLowerCase().slice(0, 3)) : -1;
    if (index < 0 || (typeof item === 'string' && item.trim().length !== 3)) {
      return reader.problem(path, `${shown(item)} is not a weekday`, `use ${WEEKDAYS.join(', ')}, e.g. weekday: [mon, tue, wed, thu, fri]`);
    }
    out.push(index);
  }
  return out.length > 0 ? out : reader.problem(path, 'the list is empty', 'name at least one weekday, e.g. weekday: [sat, sun]');
}
