import { isControl } from '../model/descriptors.js';
import { descriptorFor, ENTITY_TABLES } from '../model/tables.js';
import { DEVICE_KINDS, type DeviceKind, isDeviceKind } from '../core/devices.js';
import { ExpressionSyntaxError } from './expression/lexer.js';
import { compileTemplate, hasTemplate, type Template, templateNames } from './expression/template.js';
import { closest, type Path, type Raw, type Reader, shown } from './schema-read.js';
import type { DeviceId, EntityId, ValueSpec } from './types.js';

/** Entity and device references, values and templates, checked against the entity tables at load. */

const EXAMPLE_ENTITY = 'vehicle.5YJ3E1EA0PF000001.charge_limit';
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Fields of the trigger that started a run, readable in templates as `trigger.<field>`. */
export const TRIGGER_FIELDS = ['id', 'platform', 'entity', 'from', 'to', 'topic', 'payload', 'event', 'device'] as const;

const keysOf = (kind: DeviceKind): string[] => ENTITY_TABLES[kind].map((d) => d.key);
const ALL_KEYS = new Set(DEVICE_KINDS.flatMap(keysOf));

/** Why `text` is not an entity id, or the id taken apart. */
export function splitEntityId(text: string): EntityId | { problem: string; fix: string } {
  const parts = text.split('.');
  if (parts.length !== 3 || parts.some((part) => part === '')) {
    return { problem: `"${text}" is not an entity id`, fix: `write <kind>.<device id>.<entity>, e.g. ${EXAMPLE_ENTITY}` };
  }
  const [kind = '', device = '', key = ''] = parts;
  if (!isDeviceKind(kind)) {
    const suggestion = closest(kind, DEVICE_KINDS);
    return { problem: `"${kind}" is not a kind of device`, fix: suggestion ? `did you mean "${suggestion}"?` : `use ${DEVICE_KINDS.join(', ')}` };
  }
  if (!SEGMENT.test(device))
    return { problem: `"${device}" is not a device id`, fix: 'use the VIN, energy site id or Wall Connector DIN, or the topic set for the device' };
  if (!descriptorFor(kind, key)) {
    const suggestion = closest(key, keysOf(kind));
    return {
      problem: `${kind.replace('_', ' ')}s have no entity "${key}"`,
      fix: suggestion ? `did you mean "${suggestion}"?` : 'use an entity key from the README (the last part of its MQTT topic)',
    };
  }
  return { id: text, kind, device, key };
}

export function readEntity(reader: Reader, raw: Raw, key: string, path: Path, options: { control?: boolean } = {}): EntityId | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return reader.problem(path, `${key} is missing`, `add ${key}: ${EXAMPLE_ENTITY}`);
  if (typeof value !== 'string') return reader.problem([...path, key], `expected an entity id, got ${shown(value)}`, `write ${key}: ${EXAMPLE_ENTITY}`);
  const entity = splitEntityId(value);
  if ('problem' in entity) return reader.problem([...path, key], entity.problem, entity.fix);
  if (options.control) {
    const descriptor = descriptorFor(entity.kind, entity.key);
    if (descriptor && !isControl(descriptor)) {
      return reader.problem(
        [...path, key],
        `${entity.key} is read-only: it cannot be commanded`,
        'command a control such as charge, charge_current, charge_limit or backup_reserve',
      );
    }
  }
  return entity;
}

/** One entity id or a list of them. */
export function readEntities(reader: Reader, raw: Raw, key: string, path: Path): EntityId[] | undefined {
  const value = raw[key];
  if (!Array.isArray(value)) {
    const one = readEntity(reader, raw, key, path);
    return one ? [one] : undefined;
  }
  if (value.length === 0) return reader.problem([...path, key], 'the list is empty', `name at least one entity, e.g. ${EXAMPLE_ENTITY}`);
  const out: EntityId[] = [];
  value.forEach((item, index) => {
    const entity = readEntity(reader, { [index]: item }, String(index), [...path, key]);
    if (entity) out.push(entity);
  });
  return out.length === value.length ? out : undefined;
}

export function readDevice(reader: Reader, raw: Raw, key: string, path: Path): DeviceId | undefined {
  const value = raw[key];
  const example = 'vehicle.5YJ3E1EA0PF000001';
  if (typeof value !== 'string')
    return reader.problem(
      value === undefined ? path : [...path, key],
      value === undefined ? `${key} is missing` : `expected a device, got ${shown(value)}`,
      `write ${key}: ${example}`,
    );
  const [kind = '', device = '', ...rest] = value.split('.');
  if (!isDeviceKind(kind) || !SEGMENT.test(device) || rest.length > 0) {
    return reader.problem([...path, key], `"${value}" is not a device`, `write <kind>.<device id> with kind ${DEVICE_KINDS.join(', ')}, e.g. ${example}`);
  }
  return { id: value, kind, device };
}

/** Checks the names a template reads: trigger fields, entity ids, bare entity keys. */
function checkNames(reader: Reader, template: Template, path: Path): boolean {
  let ok = true;
  for (const { name, call } of templateNames(template)) {
    if (name.startsWith('trigger.') && !call) {
      const field = name.slice('trigger.'.length);
      if (!(TRIGGER_FIELDS as readonly string[]).includes(field)) {
        const suggestion = closest(field, TRIGGER_FIELDS);
        reader.problem(
          path,
          `"${name}" is not a trigger field`,
          suggestion ? `did you mean "trigger.${suggestion}"?` : `use one of: ${TRIGGER_FIELDS.map((f) => `trigger.${f}`).join(', ')}`,
        );
        ok = false;
      }
      continue;
    }
    if (name.includes('.') || call) {
      const entity = splitEntityId(name);
      if ('problem' in entity) {
        reader.problem(path, `${entity.problem} in the expression`, entity.fix);
        ok = false;
      }
      continue;
    }
    if (!ALL_KEYS.has(name)) {
      const suggestion = closest(name, [...ALL_KEYS]);
      reader.problem(
        path,
        `unknown name "${name}" in the expression`,
        suggestion
          ? `did you mean "${suggestion}"? Or name the entity in full, e.g. ${EXAMPLE_ENTITY}`
          : `name an entity in full, e.g. ${EXAMPLE_ENTITY}, or a trigger field such as trigger.to`,
      );
      ok = false;
    }
  }
  return ok;
}

export function readTemplate(reader: Reader, text: string, path: Path): Template | undefined {
  let template: Template;
  try {
    template = compileTemplate(text);
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    return reader.problem(
      path,
      `invalid expression ${shown(text)}: ${error.message} (at character ${error.at + 1})`,
      'write values, entity ids, + - * / %, comparisons, and/or/not and functions such as min(a, b), max, round, clamp inside {{ }}',
    );
  }
  return checkNames(reader, template, path) ? template : undefined;
}

/** A value as written (number, text, true/false, a section) or a template. */
export function readValue(reader: Reader, raw: Raw, key: string, path: Path, example: string): ValueSpec | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return reader.problem(path, `${key} is missing`, `add ${key}: ${example}`);
  if (typeof value === 'string') {
    if (!hasTemplate(value)) return { kind: 'literal', value };
    const template = readTemplate(reader, value, [...path, key]);
    return template ? { kind: 'template', template } : undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'literal', value };
  if (typeof value === 'object' && !Array.isArray(value)) return { kind: 'literal', value: value as Record<string, unknown> };
  return reader.problem([...path, key], `expected a value, got ${shown(value)}`, `write ${key}: ${example}`);
}
