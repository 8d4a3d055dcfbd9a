import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VEHICLE_COMMANDS } from '../../src/model/actions.js';
import { CommandBodyError } from '../../src/commands/command-body.js';
import { translateCommand } from '../../src/commands/translate.js';
import { PAYLOAD_CASES } from './payload-cases.js';
import { toHex, VECTORS } from './vectors.js';

describe('VCP known answers: the 45 command payloads', () => {
  it('has a case for every vector', () => {
    assert.equal(PAYLOAD_CASES.length, VECTORS.payload_encodings.cases.length);
    assert.equal(PAYLOAD_CASES.length, 45);
  });

  for (const c of PAYLOAD_CASES) {
    it(`encodes ${c.label}`, () => {
      assert.equal(toHex(c.build()), c.hex);
      if (c.rest && c.rest.name !== 'charge_max_range' && c.rest.name !== 'charge_standard') {
        const translation = translateCommand(c.rest.name as never, c.rest.body);
        assert.ok(translation.kind === 'signed');
        assert.equal(translation.domain, c.domain, 'domain');
      }
    });
  }
});

describe('translating REST commands into protocol messages', () => {
  it('gives every vehicle control a signed message or an explicit reason', () => {
    const bodies: Record<string, Record<string, unknown>> = {
      window_control: { command: 'vent' },
      set_charge_limit: { percent: 80 },
      set_charging_amps: { charging_amps: 16 },
      set_scheduled_charging: { enable: true, time: 60 },
      set_scheduled_departure: {
        enable: true,
        departure_time: 450,
        preconditioning_enabled: true,
        off_peak_charging_enabled: true,
        off_peak_charging_weekdays_only: true,
        end_off_peak_time: 360,
      },
      set_temps: { driver_temp: 21 },
      set_preconditioning_max: { on: true },
      set_climate_keeper_mode: { climate_keeper_mode: 1 },
      set_cabin_overheat_protection: { on: true, fan_only: true },
      set_cop_temp: { cop_temp: 1 },
      remote_seat_heater_request: { heater: 2, level: 1 },
      remote_seat_cooler_request: { seat_position: 1, seat_cooler_level: 2 },
      remote_auto_seat_climate_request: { auto_seat_position: 2, auto_climate_on: true },
      remote_steering_wheel_heater_request: { on: true },
      set_sentry_mode: { on: true },
      trigger_homelink: { lat: 37.4, lon: -122.1 },
      adjust_volume: { volume: 3 },
      schedule_software_update: { offset_sec: 0 },
    };
    const unsigned: Record<string, string> = {};
    for (const command of VEHICLE_COMMANDS) {
      const t = translateCommand(command, bodies[command] ?? {});
      if (t.kind === 'signed') assert.ok(t.payload.length > 0 || command === 'door_unlock', command);
      else unsigned[command] = t.kind;
    }
    assert.deepEqual(unsigned, {
      sun_roof_control: 'no_signed_form',
      remote_steering_wheel_heat_level_request: 'no_signed_form',
      remote_auto_steering_wheel_heat_climate_request: 'no_signed_form',
      remote_boombox: 'rest_only',
      navigation_request: 'rest_only',
      navigation_gps_request: 'rest_only',
    });
  });

  it('encodes departure policies and the cop temperature by meaning', () => {
    const departure = translateCommand('set_scheduled_departure', {
      enable: true,
      departure_time: 450,
      preconditioning_enabled: true,
      off_peak_charging_enabled: true,
      off_peak_charging_weekdays_only: true,
      end_off_peak_time: 360,
    });
    assert.ok(departure.kind === 'signed');
    // enabled, 450 min, preconditioning all week, off-peak weekdays, ends 360 min.
    assert.equal(toHex(departure.payload), '1213d20210080110c2031a020a002202120028e802');
    const off = translateCommand('set_scheduled_departure', { enable: false });
    assert.ok(off.kind === 'signed');
    assert.equal(toHex(off.payload), '1203d20200');
    const cop = translateCommand('set_cop_temp', { cop_temp: 0 });
    assert.ok(cop.kind === 'signed');
    assert.equal(toHex(cop.payload), '12059204020801');
  });

  it('refuses bodies that do not fit, naming the field, before anything is signed', () => {
    const cases: [Parameters<typeof translateCommand>[0], Record<string, unknown>, RegExp][] = [
      ['set_charge_limit', { percent: 'lots' }, /set_charge_limit: percent must be a number/],
      ['set_charge_limit', { percent: 20 }, /between 50 and 100/],
      ['window_control', { command: 'open' }, /command must be one of vent, close/],
      ['set_sentry_mode', {}, /on must be true or false/],
      ['remote_seat_heater_request', { heater: 9, level: 1 }, /heater must be between 0 and 8/],
      ['set_climate_keeper_mode', { climate_keeper_mode: 1.5 }, /whole number/],
      ['actuate_trunk', { which_trunk: 'side' }, /which_trunk must be one of front, rear/],
    ];
    for (const [command, body, message] of cases)
      assert.throws(
        () => translateCommand(command, body),
        (error: unknown) => error instanceof CommandBodyError && message.test(error.message),
        command,
      );
  });
});
