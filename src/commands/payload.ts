import { parseDuration } from '../config/duration.js';
import type { EntityDescriptor, HvacMode } from '../model/descriptors.js';
import type { DeviceAction } from '../model/actions.js';

export const MAX_COMMAND_BYTES = 1024;

export type ParsedCommand = { ok: true; action: DeviceAction; value: unknown } | { ok: false; problem: string };

const NUMBER = /^-?\d+(\.\d+)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function bad(problem: string): ParsedCommand {
  return { ok: false, problem };
}

function resolve<S>(bound: number | ((source: S) => number), source: S): number {
  return typeof bound === 'function' ? bound(source) : bound;
}

function onStep(value: number, min: number, step: number): boolean {
  const steps = (value - min) / step;
  return Math.abs(steps - Math.round(steps)) < 1e-6;
}

function checkNumber(text: string, min: number, max: number, step: number, what: string): number | string {
  const expected = `a number from ${min} to ${max}${step !== 1 ? ` in steps of ${step}` : ''}`;
  if (!NUMBER.test(text)) return `${quote(text)} is not a number (expected ${expected})`;
  const value = Number(text);
  if (value < min || value > max) return `${value} is outside ${min}–${max} for ${what}`;
  if (!onStep(value, min, step)) return `${value} is not a step of ${step} from ${min} for ${what}`;
  return value;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns an MQTT command payload into a device action, or says precisely what is wrong with it.
 * Nothing is sent on a bad payload: the checks are size, UTF-8, then the descriptor's type,
 * range, step and options, against the device's current data (a charge limit's bounds come
 * from the car).
 */
export function parseCommand<S>(descriptor: EntityDescriptor<S>, payload: Uint8Array, source: S): ParsedCommand {
  if (payload.length > MAX_COMMAND_BYTES) return bad(`the payload has ${payload.length} bytes; commands are short values (at most ${MAX_COMMAND_BYTES} bytes)`);
  let raw: string;
  try {
    raw = utf8.decode(payload);
  } catch {
    return bad('the payload is not valid UTF-8 text');
  }
  const text = raw.trim();
  if (text === '') return bad(`the payload is empty (expected ${expectation(descriptor)})`);
  switch (descriptor.platform) {
    case 'sensor':
    case 'binary_sensor':
    case 'device_tracker':
      return bad(`${descriptor.key} is read-only`);
    case 'number': {
      const value = checkNumber(text, resolve(descriptor.min, source), resolve(descriptor.max, source), descriptor.step, descriptor.key);
      return typeof value === 'string' ? bad(value) : { ok: true, action: descriptor.command(value, source), value };
    }
    case 'select': {
      const object = jsonObject(text);
      const option = object ? (object.option ?? object.mode ?? object.value) : text;
      if (typeof option !== 'string' || !descriptor.options.includes(option)) {
        return bad(`${quote(typeof option === 'string' ? option : text)} is not one of: ${descriptor.options.join(', ')}`);
      }
      const action = descriptor.command(option, source);
      if (object && 'duration' in object) {
        if (action.kind !== 'battery_control') return bad(`${descriptor.key} takes no duration`);
        const seconds = parseDuration(object.duration);
        if (seconds === undefined || seconds <= 0 || seconds > 7 * 86_400)
          return bad(`duration ${JSON.stringify(object.duration)} is not a duration of up to 7 days (write it like 30m or 2h)`);
        return { ok: true, action: { ...action, durationS: seconds }, value: { option, duration: seconds } };
      }
      if (object && Object.keys(object).some((key) => !['option', 'mode', 'value'].includes(key))) return bad(`unexpected fields in ${quote(text)}`);
      return { ok: true, action, value: option };
    }
    case 'switch': {
      const upper = text.toUpperCase();
      if (upper !== 'ON' && upper !== 'OFF') return bad(`${quote(text)} is not ON or OFF`);
      return { ok: true, action: descriptor.command(upper === 'ON', source), value: upper };
    }
    case 'lock': {
      const upper = text.toUpperCase();
      if (upper !== 'LOCK' && upper !== 'UNLOCK') return bad(`${quote(text)} is not LOCK or UNLOCK`);
      return { ok: true, action: descriptor.command(upper === 'LOCK', source), value: upper };
    }
    case 'cover': {
      const upper = text.toUpperCase();
      if (!(descriptor.supports as readonly string[]).includes(upper)) return bad(`${quote(text)} is not one of: ${descriptor.supports.join(', ')}`);
      return { ok: true, action: descriptor.command(upper as 'OPEN' | 'CLOSE' | 'STOP', source), value: upper };
    }
    case 'button':
      if (text.toUpperCase() !== 'PRESS') return bad(`${quote(text)} is not PRESS`);
      return { ok: true, action: descriptor.command(source), value: 'PRESS' };
    case 'update':
      if (!descriptor.install) return bad(`${descriptor.key} cannot be installed from here`);
      if (text.toLowerCase() !== 'install') return bad(`${quote(text)} is not install`);
      return { ok: true, action: descriptor.install(source), value: 'install' };
    case 'climate':
      return climate(descriptor, text, source);
  }
}

function climate<S>(d: Extract<EntityDescriptor<S>, { platform: 'climate' }>, text: string, source: S): ParsedCommand {
  const object = jsonObject(text) ?? ((d.modes as readonly string[]).includes(text) ? { mode: text } : undefined);
  if (!object)
    return bad(
      `${quote(text)} is not a climate command (send {"mode": "${d.modes.join('|')}"}, {"temperature": 21}${d.presets ? ` or {"preset": "${d.presets.join('|')}"}` : ''})`,
    );
  const keys = Object.keys(object);
  if (keys.length !== 1) return bad('send one of mode, temperature or preset per command');
  if ('mode' in object) {
    const mode = object.mode;
    if (typeof mode !== 'string' || !(d.modes as readonly string[]).includes(mode))
      return bad(`mode ${JSON.stringify(mode)} is not one of: ${d.modes.join(', ')}`);
    return { ok: true, action: d.setMode(mode as HvacMode, source), value: { mode } };
  }
  if ('temperature' in object) {
    if (!d.setTemperature) return bad(`${d.key} has no target temperature`);
    if (typeof object.temperature !== 'number' && typeof object.temperature !== 'string') return bad('temperature must be a number');
    const value = checkNumber(String(object.temperature), resolve(d.minTemp, source), resolve(d.maxTemp, source), d.tempStep, `${d.key} temperature`);
    return typeof value === 'string' ? bad(value) : { ok: true, action: d.setTemperature(value, source), value: { temperature: value } };
  }
  if ('preset' in object) {
    const preset = object.preset;
    if (!d.presets || !d.setPreset) return bad(`${d.key} has no presets`);
    if (typeof preset !== 'string' || !d.presets.includes(preset)) return bad(`preset ${JSON.stringify(preset)} is not one of: ${d.presets.join(', ')}`);
    return { ok: true, action: d.setPreset(preset, source), value: { preset } };
  }
  return bad(`unknown climate field ${JSON.stringify(keys[0])} (send mode, temperature or preset)`);
}

function expectation<S>(d: EntityDescriptor<S>): string {
  switch (d.platform) {
    case 'number':
      return 'a number';
    case 'select':
      return `one of: ${d.options.join(', ')}`;
    case 'switch':
      return 'ON or OFF';
    case 'lock':
      return 'LOCK or UNLOCK';
    case 'cover':
      return d.supports.join(', ');
    case 'button':
      return 'PRESS';
    case 'update':
      return 'install';
    case 'climate':
      return '{"mode": …}, {"temperature": …} or {"preset": …}';
    default:
      return 'nothing: it is read-only';
  }
}
