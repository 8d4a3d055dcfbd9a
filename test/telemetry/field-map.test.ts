import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DecodeContext, doorsSwapped, fieldRule, FIELD_RULES, type Writes } from '../../src/telemetry/field-map.js';
import { readEnum, readLocation, readNumber } from '../../src/telemetry/values.js';

const NONE: DecodeContext = { get: () => undefined };

function decode(name: string, value: unknown, context: DecodeContext = NONE): Record<string, unknown> | undefined {
  const rule = fieldRule(name);
  assert.ok(rule, `${name} has a rule`);
  const writes: Writes | undefined = rule.decode(value, context);
  return writes && Object.fromEntries(writes);
}

describe('streamed values → vehicle_data keys and units', () => {
  it('reads numbers typed or as text (firmware without prefer_typed), and null as invalid', () => {
    assert.deepEqual(decode('BatteryLevel', 75.53), { 'charge_state.battery_level': 75.5 });
    assert.deepEqual(decode('BatteryLevel', '75.500'), { 'charge_state.battery_level': 75.5 });
    assert.deepEqual(decode('BatteryLevel', null), { 'charge_state.battery_level': null });
    assert.equal(decode('BatteryLevel', 'n/a'), undefined, 'not a number: the last value stays');
    assert.equal(decode('BatteryLevel', { nested: 1 }), undefined);
    assert.equal(readNumber('1e3'), 1000);
    assert.equal(readNumber(Number.NaN), undefined);
  });

  it('turns hours into minutes for the time to full charge', () => {
    assert.deepEqual(decode('TimeToFullCharge', 1.5), { 'charge_state.minutes_to_full_charge': 90, 'charge_state.time_to_full_charge': 1.5 });
    assert.deepEqual(decode('TimeToFullCharge', null), { 'charge_state.minutes_to_full_charge': null, 'charge_state.time_to_full_charge': null });
  });

  it('knows no field or enum member named after a built-in JavaScript property', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      assert.equal(fieldRule(name), undefined, name);
      assert.deepEqual(decode('DetailedChargeState', `DetailedChargeState${name}`), { 'charge_state.charging_state': null }, name);
      assert.deepEqual(decode('Gear', name), { 'drive_state.shift_state': null }, name);
    }
  });

  it('maps enum member names to vehicle_data words; unknown members read as unknown', () => {
    assert.deepEqual(decode('DetailedChargeState', 'DetailedChargeStateCharging'), { 'charge_state.charging_state': 'Charging' });
    assert.deepEqual(decode('DetailedChargeState', 'DetailedChargeStateUnknown'), { 'charge_state.charging_state': null });
    assert.deepEqual(decode('Gear', 'ShiftStateD'), { 'drive_state.shift_state': 'D' });
    assert.deepEqual(decode('Gear', 'ShiftStateSNA'), { 'drive_state.shift_state': null });
    assert.deepEqual(decode('SentryMode', 'SentryModeStateAware'), { 'vehicle_state.sentry_mode': true });
    assert.deepEqual(decode('SentryMode', 'SentryModeStateOff'), { 'vehicle_state.sentry_mode': false });
    assert.deepEqual(decode('ClimateKeeperMode', 'ClimateKeeperModeStateParty'), { 'climate_state.climate_keeper_mode': 'camp' });
    assert.deepEqual(decode('FdWindow', 'WindowStatePartiallyOpen'), { 'vehicle_state.fd_window': 1 });
    assert.deepEqual(decode('DefrostMode', 'DefrostModeStateMax'), { 'climate_state.defrost_mode': 2 });
    assert.deepEqual(decode('HvacPower', 'HvacPowerStatePrecondition'), { 'climate_state.is_climate_on': true, 'climate_state.is_preconditioning': true });
    assert.deepEqual(decode('HvacPower', 'HvacPowerStateOverheatProtect'), { 'climate_state.is_climate_on': false, 'climate_state.is_preconditioning': false });
    assert.equal(readEnum('Charging', 'DetailedChargeState'), 'Charging', 'a bare member name is accepted too');
  });

  it('says "<invalid>" for no cable and no fast charger, as vehicle_data does', () => {
    assert.deepEqual(decode('ChargingCableType', null), { 'charge_state.conn_charge_cable': '<invalid>' });
    assert.deepEqual(decode('ChargingCableType', 'CableTypeSNA'), { 'charge_state.conn_charge_cable': '<invalid>' });
    assert.deepEqual(decode('ChargingCableType', 'CableTypeIEC'), { 'charge_state.conn_charge_cable': 'IEC' });
    assert.deepEqual(decode('FastChargerType', 'FastChargerSNA'), { 'charge_state.fast_charger_type': '<invalid>' });
    assert.deepEqual(decode('ChargePortLatch', 'ChargePortLatchEngaged'), { 'charge_state.charge_port_latch': 'Engaged' });
  });

  it('reads locations as objects or as the text form the server leaves on some fields', () => {
    assert.deepEqual(decode('Location', { latitude: 37.7749, longitude: -122.4194 }), { 'drive_state.latitude': 37.7749, 'drive_state.longitude': -122.4194 });
    assert.deepEqual(readLocation('(37.41 N, 122.14 W)'), { latitude: 37.41, longitude: -122.14 });
    assert.equal(readLocation({ latitude: 95, longitude: 0 }), undefined, 'off the globe');
    assert.deepEqual(decode('DestinationLocation', null), { 'drive_state.active_route_latitude': null, 'drive_state.active_route_longitude': null });
  });

  it('turns DoorState into 0/1 flags, undoing the swap of firmware before 2024.44.32', () => {
    const doors = { DriverFront: false, PassengerFront: true, DriverRear: false, PassengerRear: false, TrunkFront: false, TrunkRear: true };
    const current = decode('DoorState', doors, { get: (path) => (path === 'vehicle_state.car_version' ? '2025.2.6 abc' : undefined) });
    assert.deepEqual(current, {
      'vehicle_state.df': 0,
      'vehicle_state.pf': 1,
      'vehicle_state.dr': 0,
      'vehicle_state.pr': 0,
      'vehicle_state.ft': 0,
      'vehicle_state.rt': 1,
    });
    const old = decode('DoorState', doors, { get: (path) => (path === 'vehicle_state.car_version' ? '2024.38.7' : undefined) });
    assert.equal(old?.['vehicle_state.pf'], 0);
    assert.equal(old?.['vehicle_state.dr'], 1);
    assert.equal(doorsSwapped('2024.44.31'), true);
    assert.equal(doorsSwapped('2024.44.32'), false);
    assert.equal(doorsSwapped(undefined), false, 'unknown firmware: taken as current');
  });

  it('reads tyre warnings from the object of only-true keys', () => {
    assert.deepEqual(decode('TpmsSoftWarnings', { front_left: true }), {
      'vehicle_state.tpms_soft_warning_fl': true,
      'vehicle_state.tpms_soft_warning_fr': false,
      'vehicle_state.tpms_soft_warning_rl': false,
      'vehicle_state.tpms_soft_warning_rr': false,
    });
  });

  it('keeps the delivering charger in charger_power, whatever order AC and DC arrive in', () => {
    const raw = new Map<string, unknown>();
    const context: DecodeContext = { get: () => undefined, streamed: (name) => raw.get(name) };
    const arrive = (name: string, value: number): Record<string, unknown> | undefined => {
      const out = decode(name, value, context);
      raw.set(name, value);
      return out;
    };
    assert.deepEqual(arrive('ACChargingPower', 7.68), { 'charge_state.charger_power': 7.7 });
    assert.deepEqual(arrive('DCChargingPower', 0), {}, 'the idle DC 0 leaves the AC power');
    raw.clear();
    assert.deepEqual(arrive('DCChargingPower', 72.3), { 'charge_state.charger_power': 72.3 });
    assert.deepEqual(arrive('ACChargingPower', 0), {}, 'the idle AC 0 leaves the DC power');
    assert.deepEqual(arrive('DCChargingPower', 0), { 'charge_state.charger_power': 0 }, 'both idle: 0');
  });

  it('derives the software update status from the version and the percentages', () => {
    const data: Record<string, unknown> = {};
    const context: DecodeContext = { get: (path) => data[path] };
    const apply = (name: string, value: unknown): void => {
      Object.assign(data, decode(name, value, context));
    };
    apply('SoftwareUpdateVersion', '2026.8.1');
    assert.equal(data['vehicle_state.software_update.status'], 'available');
    apply('SoftwareUpdateDownloadPercentComplete', 40);
    assert.equal(data['vehicle_state.software_update.status'], 'downloading');
    apply('SoftwareUpdateDownloadPercentComplete', 100);
    apply('SoftwareUpdateInstallationPercentComplete', 30);
    assert.equal(data['vehicle_state.software_update.status'], 'installing');
    apply('SoftwareUpdateVersion', '');
    assert.equal(data['vehicle_state.software_update.status'], '');
  });

  it('has a rule for exactly the fields it documents, each writing at least one path', () => {
    for (const [name, rule] of Object.entries(FIELD_RULES)) assert.ok(rule && rule.paths.length > 0, name);
    assert.equal(fieldRule('NotAField'), undefined);
  });
});
