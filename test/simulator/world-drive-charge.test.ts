import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { liveStatus } from '../../src/simulator/energy/render.js';
import { executeVehicleCommand } from '../../src/simulator/vehicle/commands.js';
import { acEfficiency } from '../../src/simulator/vehicle/physics.js';
import { vehicleData } from '../../src/simulator/vehicle/render.js';
import type { Vehicle } from '../../src/simulator/index.js';
import type { World } from '../../src/simulator/world/world.js';
import { homeScenario, LA_MIDNIGHT, M3_VIN, MINUTE, pass, TZ, WC_DIN, worldAt } from './support.js';

const START = LA_MIDNIGHT + 20 * 60 * MINUTE; // 20:00 local, after sunset

function data(world: World, v: Vehicle, location = true): any {
  return vehicleData(v, {
    now: world.time,
    timeZone: TZ,
    endpoints: ['charge_state', 'drive_state', 'vehicle_state', 'climate_state', 'location_data'],
    locationScope: location,
  });
}

function setup(vehicle: Record<string, unknown> = {}) {
  const { clock, world } = worldAt(START, homeScenario({}, vehicle));
  const v = world.vehicles[0];
  const site = world.sites[0];
  assert.ok(v && site);
  return { clock, world, v, site };
}

describe('driving and charging (world, fake clock)', () => {
  it('drives: D, speed, power, odometer, battery at ~250 Wh/mi, moving location and an active route', async () => {
    const { clock, world, v } = setup();
    const before = data(world, v);
    const to = { lat: 37.5, lon: -122.2, name: 'Office' };
    world.runEvent({ at: '00:00', type: 'drive', duration: 30 * 60, miles: 20, to });
    await pass(clock, world, 15 * MINUTE);
    const mid = data(world, v);
    assert.equal(mid.drive_state.shift_state, 'D');
    assert.ok(mid.drive_state.speed >= 20 && mid.drive_state.speed <= 60, `speed ${mid.drive_state.speed} mph`);
    assert.ok(mid.drive_state.power > 0, 'drive power in kW');
    assert.ok(Math.abs(mid.vehicle_state.odometer - before.vehicle_state.odometer - 10) < 0.01, 'half the miles');
    assert.ok(mid.drive_state.latitude > before.drive_state.latitude && mid.drive_state.latitude < to.lat);
    assert.equal(mid.drive_state.active_route_destination, 'Office');
    assert.ok(Math.abs(mid.drive_state.active_route_miles_to_arrival - 10) < 0.01);
    assert.ok(Math.abs(mid.drive_state.active_route_minutes_to_arrival - 15) < 0.01);
    assert.equal(mid.drive_state.active_route_latitude, to.lat);
    assert.ok(mid.drive_state.active_route_energy_at_arrival < mid.charge_state.battery_level);
    assert.equal(mid.vehicle_state.dashcam_state, 'Recording');

    await pass(clock, world, 15 * MINUTE);
    const after = data(world, v);
    assert.equal(after.drive_state.shift_state, null);
    assert.equal(after.drive_state.speed, null);
    assert.equal(after.drive_state.latitude, to.lat);
    assert.equal(after.drive_state.longitude, to.lon);
    assert.equal(after.drive_state.active_route_destination, undefined);
    assert.ok(Math.abs(after.vehicle_state.odometer - before.vehicle_state.odometer - 20) < 1e-6);
    // 20 mi × 250 Wh/mi = 5 kWh, plus a trickle of parked drain.
    const usedKwh = before.charge_state.energy_remaining - after.charge_state.energy_remaining;
    assert.ok(usedKwh >= 5 && usedKwh < 5.05, `used ${usedKwh} kWh`);
    assert.ok(after.charge_state.battery_range < before.charge_state.battery_range);
  });

  it('charges on the home Wall Connector: Starting → Charging at 32 A × 240 V, the connector shows the car and its power', async () => {
    const { clock, world, v, site } = setup({ outsideTemp: 25 });
    world.runEvent({ at: '00:00', type: 'plug_in', charger: 'home' });
    let cs = data(world, v).charge_state;
    assert.equal(cs.charging_state, 'Starting');
    assert.equal(cs.conn_charge_cable, 'SAE');
    assert.equal(cs.charge_port_latch, 'Engaged');
    await pass(clock, world, 10_000);
    cs = data(world, v).charge_state;
    assert.equal(cs.charging_state, 'Charging');
    assert.equal(cs.charger_voltage, 240);
    assert.equal(cs.charger_actual_current, 32);
    assert.equal(cs.charger_phases, 1);
    assert.equal(cs.charger_power, 8);
    assert.ok(cs.minutes_to_full_charge > 100, `minutes ${cs.minutes_to_full_charge}`);
    const wc = (liveStatus(site, world.siteFlows(site), world.time, (din) => world.vehicleOn(din)).wall_connectors as any[])[0];
    assert.deepEqual([wc.din, wc.vin, wc.wall_connector_state, wc.wall_connector_power], [WC_DIN, M3_VIN, 1, 7680]);
    assert.ok(world.siteFlows(site).load >= 7680, 'the house load includes the car');

    await pass(clock, world, 60 * MINUTE);
    cs = data(world, v).charge_state;
    // One hour at 7.68 kW on a warm day: the AC losses of that power reach the battery's side.
    const efficiency = acEfficiency(7.68, 25);
    assert.ok(efficiency > 0.9 && efficiency < 0.93, `efficiency ${efficiency}`);
    assert.ok(Math.abs(cs.charge_energy_added - 7.68 * efficiency) < 0.05, `added ${cs.charge_energy_added} kWh`);
    assert.equal(cs.battery_level, Math.round(50 + ((7.68 * efficiency) / 75) * 100));

    executeVehicleCommand(v, 'set_charging_amps', { charging_amps: 16 }, { now: clock.now(), env: world.env });
    assert.equal(data(world, v).charge_state.charger_actual_current, 16);
    assert.equal(Math.round(v.chargePowerKw * 1000), 3840);
  });

  it('stops at the charge limit: Complete, level = limit, no power; raising the limit resumes', async () => {
    const { clock, world, v, site } = setup({ batteryLevel: 70 });
    world.runEvent({ at: '00:00', type: 'plug_in', charger: 'home' });
    await pass(clock, world, 5 * 60 * MINUTE);
    const cs = data(world, v).charge_state;
    assert.equal(cs.charging_state, 'Complete');
    assert.equal(cs.battery_level, 80);
    assert.equal(cs.charger_power, 0);
    assert.equal(cs.minutes_to_full_charge, 0);
    assert.ok(Math.abs(cs.charge_energy_added - 7.5) < 0.01, `added ${cs.charge_energy_added}`);
    const wc = (liveStatus(site, world.siteFlows(site), world.time, (din) => world.vehicleOn(din)).wall_connectors as any[])[0];
    assert.equal(wc.wall_connector_power, 0);
    assert.equal(wc.wall_connector_state, 8);

    const raised = executeVehicleCommand(v, 'set_charge_limit', { percent: 90 }, { now: clock.now(), env: world.env });
    assert.deepEqual(raised, { result: true, reason: '' });
    assert.equal(v.state.chargingState, 'Starting');
    const same = executeVehicleCommand(v, 'set_charge_limit', { percent: 90 }, { now: clock.now(), env: world.env });
    assert.deepEqual(same, { result: false, reason: 'already_set' });
  });

  it('answers charge_start/charge_stop like a car: Stopped, already charging, not charging, unplugged', async () => {
    const { clock, world, v } = setup();
    const ctx = () => ({ now: clock.now(), env: world.env });
    assert.deepEqual(executeVehicleCommand(v, 'charge_start', {}, ctx()), { result: false, reason: 'disconnected' });
    assert.deepEqual(executeVehicleCommand(v, 'charge_stop', {}, ctx()), { result: false, reason: 'not_charging' });
    world.patchVehicle(M3_VIN, { pluggedIn: 'home' });
    await pass(clock, world, 30_000);
    assert.deepEqual(executeVehicleCommand(v, 'charge_start', {}, ctx()), { result: false, reason: 'is_charging' });
    assert.deepEqual(executeVehicleCommand(v, 'charge_stop', {}, ctx()), { result: true, reason: '' });
    assert.equal(v.state.chargingState, 'Stopped');
    const level = v.levelPercent;
    await pass(clock, world, 30 * MINUTE);
    assert.equal(v.levelPercent, level, 'no energy while stopped on shore power');
    assert.deepEqual(executeVehicleCommand(v, 'charge_start', {}, ctx()), { result: true, reason: '' });
    await pass(clock, world, 10_000);
    assert.equal(v.state.chargingState, 'Charging');
    world.runEvent({ at: '00:00', type: 'unplug' });
    const cs = data(world, v).charge_state;
    assert.equal(cs.charging_state, 'Disconnected');
    assert.equal(cs.conn_charge_cable, '<invalid>');
    assert.equal(cs.charger_phases, null);
  });

  it('fast-charges on DC at 150 kW up to 80 %, tapering above', async () => {
    const { clock, world, v } = setup({ batteryLevel: 40, chargeLimit: 100 });
    world.runEvent({ at: '00:00', type: 'plug_in', charger: 'dc', kw: 150 });
    await pass(clock, world, 10_000);
    let cs = data(world, v).charge_state;
    assert.equal(cs.fast_charger_present, true);
    assert.equal(cs.charger_power, 150);
    await pass(clock, world, 20 * MINUTE);
    cs = data(world, v).charge_state;
    assert.ok(cs.battery_level > 80, `level ${cs.battery_level}`);
    assert.ok(cs.charger_power < 150 && cs.charger_power > 20, `tapered to ${cs.charger_power} kW`);
  });

  it('waits for a scheduled charging start, then charges', async () => {
    const { clock, world, v } = setup();
    executeVehicleCommand(v, 'set_scheduled_charging', { enable: true, time: 23 * 60 }, { now: clock.now(), env: world.env });
    world.runEvent({ at: '00:00', type: 'plug_in', charger: 'home' });
    let cs = data(world, v).charge_state;
    assert.equal(cs.charging_state, 'Stopped');
    assert.equal(cs.scheduled_charging_pending, true);
    assert.equal(cs.scheduled_charging_start_time, (LA_MIDNIGHT + 23 * 60 * MINUTE) / 1000);
    await pass(clock, world, 3 * 60 * MINUTE + 10_000);
    cs = data(world, v).charge_state;
    assert.equal(cs.charging_state, 'Charging');
    assert.equal(cs.scheduled_charging_pending, false);
  });

  it('changes the world with body, climate and media commands', async () => {
    const { clock, world, v } = setup({ outsideTemp: 5 });
    const run = (name: string, body: Record<string, unknown> = {}) => executeVehicleCommand(v, name, body, { now: clock.now(), env: world.env });
    run('door_unlock');
    run('actuate_trunk', { which_trunk: 'rear' });
    run('window_control', { command: 'vent' });
    run('set_sentry_mode', { on: true });
    run('set_temps', { driver_temp: 22.5, passenger_temp: 21 });
    run('auto_conditioning_start');
    run('remote_seat_heater_request', { heater: 0, level: 3 });
    run('remote_steering_wheel_heat_level_request', { level: 2 });
    run('media_toggle_playback');
    run('adjust_volume', { volume: 6 });
    const inside = v.state.insideTemp;
    await pass(clock, world, 20 * MINUTE);
    const d = vehicleData(v, { now: world.time, timeZone: TZ, endpoints: undefined, locationScope: false }) as any;
    assert.equal(d.vehicle_state.locked, false);
    assert.equal(d.vehicle_state.rt, 1);
    assert.equal(d.vehicle_state.fd_window, 1);
    assert.equal(d.vehicle_state.sentry_mode, true);
    assert.equal(d.climate_state.is_climate_on, true);
    assert.equal(d.climate_state.driver_temp_setting, 22.5);
    assert.equal(d.climate_state.seat_heater_left, 3);
    assert.equal(d.climate_state.steering_wheel_heat_level, 2);
    assert.ok(d.climate_state.inside_temp > inside + 5, `cabin warmed from ${inside} to ${d.climate_state.inside_temp}`);
    assert.equal(d.vehicle_state.media_info.media_playback_status, 'Playing');
    assert.equal(d.vehicle_state.media_info.audio_volume, 6);
    assert.ok(d.vehicle_state.media_info.now_playing_title.length > 0);
    assert.equal(d.drive_state.latitude, undefined, 'no location without location_data');
    assert.deepEqual(run('honk_horn'), { result: true, reason: '' });
    assert.equal(v.state.actions.at(-1)?.action, 'honk_horn');
    assert.deepEqual(run('trigger_homelink', { lat: 0, lon: 0 }), { result: false, reason: 'homelink not near the vehicle' });
  });
  it('loses 7-15 % of AC power, more at low power and in the cold, and a worn pack holds less than the model’s nominal figure', async () => {
    const shares = [acEfficiency(3.84, 20), acEfficiency(7.68, 20), acEfficiency(11.52, 20), acEfficiency(7.68, -10)];
    for (const share of shares) assert.ok(share >= 0.85 && share <= 0.93, `share ${share}`);
    assert.ok(shares[0]! < shares[1]! && shares[1]! < shares[2]!, 'more power, smaller share lost');
    assert.ok(shares[3]! < shares[1]!, 'cold costs');
    const added = async (amps: number, outsideTemp: number): Promise<number> => {
      const { clock, world, v } = setup({ outsideTemp, chargeAmps: amps });
      world.runEvent({ at: '00:00', type: 'plug_in', charger: 'home' });
      await pass(clock, world, 60 * MINUTE);
      return data(world, v).charge_state.charge_energy_added / (v.chargePowerKw || 1);
    };
    const perWallKwh = [await added(16, 25), await added(32, 25), await added(32, 0)];
    assert.ok(perWallKwh[0]! < perWallKwh[1]! - 0.02, `16 A vs 32 A: ${perWallKwh.join(', ')}`);
    assert.ok(perWallKwh[2]! < perWallKwh[1]! - 0.01, `cold vs warm: ${perWallKwh.join(', ')}`);
    const { world } = worldAt(START, homeScenario({}, { batteryKwh: undefined }));
    const worn = world.vehicles[0]!;
    assert.equal(worn.capacityKwh, 75 * 0.94);
    assert.equal(worldAt(START, homeScenario({}, { batteryKwh: undefined, batteryHealth: 1 })).world.vehicles[0]!.capacityKwh, 75);
  });
});
