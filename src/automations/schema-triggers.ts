import { checkCron } from './cron.js';
import { readDevice, readEntities } from './schema-refs.js';
import { closest, type Ctx, type Path, type Raw, Reader, shown, stateWords } from './schema-read.js';
import { isTimeZone, systemTimeZone } from './time-zone.js';
import type { Trigger } from './types.js';

/** The `triggers:` of an automation, one item at a time. */

export const TRIGGER_KINDS = ['cron', 'state', 'numeric_state', 'event', 'mqtt'] as const;

/** Bridge events a trigger can wait for (the types on <base>/bridge/event, and two shorthands). */
export const EVENT_TYPES = [
  'grid_outage',
  'grid_restored',
  'vehicle_woke',
  'vehicle_slept',
  'vehicle_wake',
  'command_result',
  'command_failed',
  'budget',
  'budget_reached',
  'device_problem',
  'automation_limit',
] as const;

const FOR_MAX_S = 7 * 86_400;

/** Reads the whole `triggers:` list; paths in problems are relative to it. */
export function readTriggers(value: unknown, ctx: Ctx): Trigger[] {
  const reader = new Reader(ctx);
  const items = reader.items(value, [], { required: true, example: '- trigger: state' });
  const out = (items ?? []).map((item, index) => triggerAt(reader, item, [index], `triggers[${index}]`));
  return out.filter((trigger): trigger is Trigger => trigger !== undefined);
}

function triggerAt(reader: Reader, value: unknown, path: Path, at: string): Trigger | undefined {
  const kind = typeof value === 'object' && value !== null ? (value as Raw).trigger : undefined;
  if (typeof kind !== 'string' || !(TRIGGER_KINDS as readonly string[]).includes(kind)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return reader.problem(path, `expected a trigger section, got ${shown(value)}`, 'write it like "- trigger: state" with entity: and to: below');
    }
    const suggestion = typeof kind === 'string' ? closest(kind, TRIGGER_KINDS) : undefined;
    return reader.problem(
      kind === undefined ? path : [...path, 'trigger'],
      kind === undefined ? 'trigger is missing' : `${shown(kind)} is not a trigger`,
      suggestion ? `did you mean "${suggestion}"?` : `use one of: ${TRIGGER_KINDS.join(', ')}`,
    );
  }
  const common = (raw: Raw): { at: string; id?: string } => {
    const id = reader.text(raw, 'id', path);
    return id === undefined ? { at } : { at, id };
  };
  switch (kind) {
    case 'cron': {
      const raw = reader.object(value, path, ['trigger', 'id', 'cron', 'timezone'], 'trigger: cron with cron: "0 22 * * *"');
      if (!raw) return undefined;
      const expression = reader.text(raw, 'cron', path, { required: true, example: '"0 22 * * *"' });
      const given = reader.text(raw, 'timezone', path);
      if (given !== undefined && !isTimeZone(given))
        reader.problem([...path, 'timezone'], `"${given}" is not a time zone`, 'use an IANA name such as Europe/Berlin or America/Los_Angeles');
      if (expression === undefined) return undefined;
      const check = checkCron(expression);
      if (!check.ok) return reader.problem([...path, 'cron'], check.problem, check.fix);
      return { ...common(raw), trigger: 'cron', schedule: { expression, timeZone: given ?? systemTimeZone(), fields: check.fields } };
    }
    case 'state': {
      const raw = reader.object(value, path, ['trigger', 'id', 'entity', 'from', 'to', 'for'], 'trigger: state with entity: and to:');
      if (!raw) return undefined;
      const entities = readEntities(reader, raw, 'entity', path);
      const from = states(reader, raw, 'from', path);
      const to = states(reader, raw, 'to', path);
      const forS = reader.duration(raw, 'for', path, { max: FOR_MAX_S });
      if (!entities) return undefined;
      return { ...common(raw), trigger: 'state', entities, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(forS !== undefined ? { forS } : {}) };
    }
    case 'numeric_state': {
      const raw = reader.object(value, path, ['trigger', 'id', 'entity', 'above', 'below', 'for'], 'trigger: numeric_state with entity: and below: 30');
      if (!raw) return undefined;
      const entities = readEntities(reader, raw, 'entity', path);
      const bounds = readBounds(reader, raw, path);
      const forS = reader.duration(raw, 'for', path, { max: FOR_MAX_S });
      if (!entities || !bounds) return undefined;
      return { ...common(raw), trigger: 'numeric_state', entities, ...bounds, ...(forS !== undefined ? { forS } : {}) };
    }
    case 'event': {
      const raw = reader.object(value, path, ['trigger', 'id', 'event', 'device'], 'trigger: event with event: grid_outage');
      if (!raw) return undefined;
      const event = reader.text(raw, 'event', path, { required: true, example: 'grid_outage' });
      const device = raw.device === undefined ? undefined : readDevice(reader, raw, 'device', path);
      if (event === undefined) return undefined;
      if (!(EVENT_TYPES as readonly string[]).includes(event)) {
        const suggestion = closest(event, EVENT_TYPES);
        return reader.problem(
          [...path, 'event'],
          `"${event}" is not an event teslahub sends`,
          suggestion ? `did you mean "${suggestion}"?` : `use one of: ${EVENT_TYPES.join(', ')}`,
        );
      }
      return { ...common(raw), trigger: 'event', event, ...(device ? { device } : {}) };
    }
    case 'mqtt': {
      const raw = reader.object(value, path, ['trigger', 'id', 'topic', 'payload'], 'trigger: mqtt with topic: home/alarm');
      if (!raw) return undefined;
      const topic = reader.text(raw, 'topic', path, { required: true, example: 'home/alarm' });
      const payload = reader.text(raw, 'payload', path);
      if (topic === undefined) return undefined;
      const problem = filterProblem(topic);
      if (problem)
        return reader.problem([...path, 'topic'], problem, 'use "/" between levels, "+" for one whole level and "#" only as the last level, e.g. home/+/alarm');
      return { ...common(raw), trigger: 'mqtt', topic, ...(payload !== undefined ? { payload } : {}) };
    }
    default:
      return undefined;
  }
}

function states(reader: Reader, raw: Raw, key: string, path: Path): string[] | undefined {
  if (raw[key] === undefined || raw[key] === null) return undefined;
  const words = stateWords(raw[key]);
  if (!words)
    reader.problem([...path, key], `expected a state or a list of states, got ${shown(raw[key])}`, `write ${key}: "ON" or ${key}: [charging, complete]`);
  return words;
}

/** above and/or below, checked to describe a range that can hold. */
export function readBounds(reader: Reader, raw: Raw, path: Path): { above?: number; below?: number } | undefined {
  const above = reader.number(raw, 'above', path);
  const below = reader.number(raw, 'below', path);
  if (above === undefined && below === undefined) {
    if (raw.above === undefined && raw.below === undefined)
      reader.problem(path, 'needs above, below or both', 'add below: 30 (fires when the value drops under 30) or above: 1500');
    return undefined;
  }
  if (above !== undefined && below !== undefined && above >= below) {
    return reader.problem(
      [...path, 'below'],
      `below ${below} is not above ${above}, so no value is ever in range`,
      'the value must be above "above" and below "below"; for outside a range use two triggers',
    );
  }
  return { ...(above !== undefined ? { above } : {}), ...(below !== undefined ? { below } : {}) };
}

function filterProblem(topic: string): string | undefined {
  if (topic.includes('\0')) return 'the topic holds a NUL character';
  const levels = topic.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] ?? '';
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return `"#" may only be the last level of "${topic}"`;
    if (level.includes('+') && level !== '+') return `"+" must be a whole level in "${topic}"`;
  }
  return undefined;
}
