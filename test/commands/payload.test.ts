import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceAction } from '../../src/model/actions.js';
import { MAX_COMMAND_BYTES, parseCommand } from '../../src/commands/payload.js';
import type { EntityDescriptor } from '../../src/model/descriptors.js';

type Src = { min: number; max: number };
const source: Src = { min: 50, max: 100 };
const act = (command: string, body: Record<string, unknown> = {}): DeviceAction => ({ kind: 'vehicle', command: command as 'door_lock', body });

const number: EntityDescriptor<Src> = {
  key: 'charge_limit',
  name: 'Charge limit',
  platform: 'number',
  min: (s) => s.min,
  max: (s) => s.max,
  step: 1,
  value: () => 80,
  command: (percent) => act('set_charge_limit', { percent }),
};
const half: EntityDescriptor<Src> = {
  key: 'volume',
  name: 'Volume',
  platform: 'number',
  min: 0,
  max: 11,
  step: 0.5,
  value: () => 3,
  command: (volume) => act('adjust_volume', { volume }),
};
const select: EntityDescriptor<Src> = {
  key: 'seat_heater_left',
  name: 'Seat heater left',
  platform: 'select',
  options: ['off', 'low', 'medium', 'high'],
  value: () => 'off',
  command: (o) => act('remote_seat_heater_request', { heater: 0, level: ['off', 'low', 'medium', 'high'].indexOf(o) }),
};
const battery: EntityDescriptor<Src> = {
  key: 'battery_control',
  name: 'Battery control',
  platform: 'select',
  options: ['normal', 'charge', 'discharge'],
  value: () => 'normal',
  command: (o) => ({ kind: 'battery_control', mode: o as 'charge', durationS: undefined }),
};
const toggle: EntityDescriptor<Src> = {
  key: 'sentry_mode',
  name: 'Sentry mode',
  platform: 'switch',
  value: () => false,
  command: (on) => act('set_sentry_mode', { on }),
};
const lock: EntityDescriptor<Src> = { key: 'lock', name: 'Lock', platform: 'lock', value: () => true, command: (l) => act(l ? 'door_lock' : 'door_unlock') };
const cover: EntityDescriptor<Src> = {
  key: 'frunk',
  name: 'Frunk',
  platform: 'cover',
  supports: ['OPEN'],
  value: () => 'closed',
  command: () => act('actuate_trunk', { which_trunk: 'front' }),
};
const button: EntityDescriptor<Src> = { key: 'flash_lights', name: 'Flash lights', platform: 'button', command: () => act('flash_lights') };
const climate: EntityDescriptor<Src> = {
  key: 'climate',
  name: 'Climate',
  platform: 'climate',
  modes: ['off', 'heat_cool'],
  presets: ['off', 'keep', 'dog', 'camp'],
  minTemp: 15,
  maxTemp: 28,
  tempStep: 0.5,
  currentTemperature: () => 20,
  targetTemperature: () => 21,
  mode: () => 'off',
  preset: () => 'off',
  setMode: (m) => act(m === 'off' ? 'auto_conditioning_stop' : 'auto_conditioning_start'),
  setTemperature: (t) => act('set_temps', { driver_temp: t, passenger_temp: t }),
  setPreset: (p) => act('set_climate_keeper_mode', { climate_keeper_mode: ['off', 'keep', 'dog', 'camp'].indexOf(p) }),
};
const sensor: EntityDescriptor<Src> = { key: 'battery_level', name: 'Battery level', platform: 'sensor', value: () => 50 };

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
function ok(d: EntityDescriptor<Src>, payload: string | Uint8Array): { action: DeviceAction; value: unknown } {
  const result = parseCommand(d, typeof payload === 'string' ? text(payload) : payload, source);
  assert.ok(result.ok, `expected ${JSON.stringify(payload)} to be accepted: ${!result.ok ? result.problem : ''}`);
  return result;
}
function refused(d: EntityDescriptor<Src>, payload: string | Uint8Array, problem: RegExp): void {
  const result = parseCommand(d, typeof payload === 'string' ? text(payload) : payload, source);
  assert.equal(result.ok, false, `expected ${JSON.stringify(payload)} to be refused`);
  if (!result.ok) assert.match(result.problem, problem);
}

describe('command payloads', () => {
  it("accepts numbers in range and on the step, with bounds from the device's own data", () => {
    assert.deepEqual(ok(number, '80').action, act('set_charge_limit', { percent: 80 }));
    assert.deepEqual(ok(number, ' 50 ').value, 50);
    assert.equal(ok(half, '5.5').value, 5.5);
    refused(number, '49', /outside 50–100/);
    refused(number, '101', /outside 50–100/);
    refused(number, '80.5', /not a step of 1/);
    refused(half, '5.25', /not a step of 0\.5/);
    for (const bad of ['abc', '1e2', '0x50', 'NaN', 'Infinity', '80%', '{"value":80}', '[80]', 'true', '--1']) refused(number, bad, /is not a number/);
  });

  it('accepts select options exactly, and a duration only for battery control', () => {
    assert.equal(ok(select, 'medium').value, 'medium');
    refused(select, 'MEDIUM', /is not one of: off, low, medium, high/);
    refused(select, 'hot', /is not one of/);
    const timed = ok(battery, '{"option": "charge", "duration": "2h"}');
    assert.deepEqual(timed.action, { kind: 'battery_control', mode: 'charge', durationS: 7200 });
    refused(battery, '{"option": "charge", "duration": "forever"}', /not a duration/);
    refused(battery, '{"option": "charge", "duration": "30d"}', /up to 7 days/);
    refused(select, '{"option": "low", "duration": "1h"}', /takes no duration/);
    refused(select, '{"option": "low", "extra": 1}', /unexpected fields/);
  });

  it("accepts ON/OFF, LOCK/UNLOCK, the cover's supported commands, PRESS", () => {
    assert.deepEqual(ok(toggle, 'on').action, act('set_sentry_mode', { on: true }));
    assert.deepEqual(ok(toggle, 'OFF').action, act('set_sentry_mode', { on: false }));
    refused(toggle, 'yes', /is not ON or OFF/);
    assert.deepEqual(ok(lock, 'UNLOCK').action, act('door_unlock'));
    refused(lock, 'OPEN', /is not LOCK or UNLOCK/);
    assert.equal(ok(cover, 'open').value, 'OPEN');
    refused(cover, 'CLOSE', /is not one of: OPEN/);
    assert.equal(ok(button, 'press').value, 'PRESS');
    refused(button, 'push', /is not PRESS/);
  });

  it('accepts climate commands as JSON (and a bare mode), one facet at a time', () => {
    assert.deepEqual(ok(climate, '{"mode": "heat_cool"}').action, act('auto_conditioning_start'));
    assert.deepEqual(ok(climate, 'off').action, act('auto_conditioning_stop'));
    assert.deepEqual(ok(climate, '{"temperature": 21.5}').action, act('set_temps', { driver_temp: 21.5, passenger_temp: 21.5 }));
    assert.deepEqual(ok(climate, '{"preset": "dog"}').action, act('set_climate_keeper_mode', { climate_keeper_mode: 2 }));
    refused(climate, '{"temperature": 40}', /outside 15–28/);
    refused(climate, '{"temperature": {"x": 1}}', /must be a number/);
    refused(climate, '{"mode": "cool"}', /not one of: off, heat_cool/);
    refused(climate, '{"preset": "none"}', /not one of/);
    refused(climate, '{"mode": "off", "temperature": 20}', /one of mode, temperature or preset/);
    refused(climate, 'warm please', /not a climate command/);
  });

  it('refuses read-only entities, empty, oversized and non-UTF-8 payloads before looking at them', () => {
    refused(sensor, '50', /read-only/);
    refused(number, '', /empty \(expected a number\)/);
    refused(number, '   ', /empty/);
    refused(number, new Uint8Array(MAX_COMMAND_BYTES + 1).fill(0x31), /commands are short values/);
    refused(number, new Uint8Array(100_000), /100000 bytes/);
    refused(number, new Uint8Array([0x38, 0xff, 0x30]), /not valid UTF-8/);
  });
});
