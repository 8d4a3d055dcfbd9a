import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calendarHistory } from '../../src/simulator/energy/calendar.js';
import { computeFlows, type FlowInput } from '../../src/simulator/energy/flows.js';
import { HISTORY_FIELDS } from '../../src/simulator/energy/history.js';
import { liveStatus } from '../../src/simulator/energy/render.js';
import { executeVehicleCommand } from '../../src/simulator/vehicle/commands.js';
import { acEfficiency } from '../../src/simulator/vehicle/physics.js';
import { homeScenario, HOUR, LA_MIDNIGHT, MINUTE, pass, worldAt } from './support.js';

const PW = { energyWh: 6750, capacityWh: 13_500, maxChargeW: 5000, maxDischargeW: 5000 };
const base: FlowInput = {
  solarW: 0,
  homeW: 1500,
  evW: 0,
  battery: PW,
  mode: 'self_consumption',
  exportRule: 'battery_ok',
  reservePercent: 20,
  gridChargingAllowed: true,
  gridUp: true,
  stormActive: false,
  tou: 'partial_peak',
  dtMs: 60_000,
};
const full = { ...PW, energyWh: 13_500 };

describe('energy flows (pure rules)', () => {
  const cases: [string, Partial<FlowInput>, { solar: number; battery: number; grid: number; load: number }][] = [
    ['self-consumption covers the home from the battery at night', {}, { solar: 0, battery: 1500, grid: 0, load: 1500 }],
    ['self-consumption stops at the reserve', { battery: { ...PW, energyWh: 2700 } }, { solar: 0, battery: 0, grid: 1500, load: 1500 }],
    [
      'below the reserve it recharges from the grid at full power',
      { battery: { ...PW, energyWh: 1000 } },
      { solar: 0, battery: -5000, grid: 6500, load: 1500 },
    ],
    [
      '…unless grid charging is disallowed',
      { battery: { ...PW, energyWh: 1000 }, gridChargingAllowed: false },
      { solar: 0, battery: 0, grid: 1500, load: 1500 },
    ],
    ['solar surplus charges the battery first', { solarW: 4000 }, { solar: 4000, battery: -2500, grid: 0, load: 1500 }],
    ['a surplus beyond 5 kW goes to the grid', { solarW: 8000 }, { solar: 8000, battery: -5000, grid: -1500, load: 1500 }],
    [
      'export rule never: a full battery throttles the panels',
      { solarW: 6000, battery: full, exportRule: 'never' },
      { solar: 1500, battery: 0, grid: 0, load: 1500 },
    ],
    ['export rule pv_only: solar is exported', { solarW: 6000, battery: full, exportRule: 'pv_only' }, { solar: 6000, battery: 0, grid: -4500, load: 1500 }],
    ['backup mode holds its charge and charges from the grid', { mode: 'backup' }, { solar: 0, battery: -5000, grid: 6500, load: 1500 }],
    ['backup mode without grid charging just holds', { mode: 'backup', gridChargingAllowed: false }, { solar: 0, battery: 0, grid: 1500, load: 1500 }],
    ['autonomous off-peak saves the battery', { mode: 'autonomous', tou: 'off_peak' }, { solar: 0, battery: 0, grid: 1500, load: 1500 }],
    [
      'autonomous on-peak with battery_ok discharges fully and exports',
      { mode: 'autonomous', tou: 'on_peak' },
      { solar: 0, battery: 5000, grid: -3500, load: 1500 },
    ],
    [
      'autonomous on-peak with pv_only only covers the home',
      { mode: 'autonomous', tou: 'on_peak', exportRule: 'pv_only' },
      { solar: 0, battery: 1500, grid: 0, load: 1500 },
    ],
    [
      'a storm watch fills the battery from the grid, whatever the settings',
      { stormActive: true, gridChargingAllowed: false },
      { solar: 0, battery: -5000, grid: 6500, load: 1500 },
    ],
    ['the Wall Connector is part of the load', { evW: 7680 }, { solar: 0, battery: 5000, grid: 4180, load: 9180 }],
    [
      'off grid the battery carries the home, below the reserve too',
      { gridUp: false, battery: { ...PW, energyWh: 1000 } },
      { solar: 0, battery: 1500, grid: 0, load: 1500 },
    ],
    ['off grid a full battery throttles the panels', { gridUp: false, solarW: 6000, battery: full }, { solar: 1500, battery: 0, grid: 0, load: 1500 }],
    [
      'off grid an empty battery sheds the load',
      { gridUp: false, solarW: 500, battery: { ...PW, energyWh: 0 } },
      { solar: 500, battery: 0, grid: 0, load: 500 },
    ],
    ['without a battery the grid balances solar', { battery: null, solarW: 4000 }, { solar: 4000, battery: 0, grid: -2500, load: 1500 }],
  ];
  for (const [name, change, expected] of cases) {
    it(name, () => {
      const flows = computeFlows({ ...base, ...change });
      assert.deepEqual(flows, expected);
      assert.equal(flows.solar + flows.battery + flows.grid, flows.load);
    });
  }
});

describe('an energy site over a simulated day (world, fake clock)', () => {
  it('balances at every instant, and calendar_history totals equal the live flows integrated over the day', async () => {
    const scenario = homeScenario({
      events: [
        { at: '17:30', type: 'drive', duration: 1800, miles: 10, to: 'home' },
        { at: '18:05', type: 'plug_in', charger: 'home' },
      ],
    });
    const { clock, world } = worldAt(LA_MIDNIGHT, scenario);
    const site = world.sites[0];
    assert.ok(site);
    const STEP = 10_000;
    const integrated = { solar: 0, load: 0, imported: 0, exported: 0, charged: 0, discharged: 0 };
    let noonSolar = 0;
    let evSeen = 0;
    for (let t = 0; t < 24 * HOUR; t += STEP) {
      const flows = world.siteFlows(site);
      assert.equal(flows.solar + flows.battery + flows.grid, flows.load, `unbalanced at ${new Date(clock.now()).toISOString()}`);
      const live = liveStatus(site, flows, world.time, (din) => world.vehicleOn(din)) as any;
      assert.equal(live.solar_power + live.battery_power + live.grid_power, live.load_power);
      evSeen = Math.max(evSeen, live.wall_connectors[0].wall_connector_power);
      if (t === 13 * HOUR) noonSolar = flows.solar;
      if (t < 4 * HOUR) assert.equal(flows.solar, 0, 'no sun at night');
      const h = STEP / HOUR;
      integrated.solar += flows.solar * h;
      integrated.load += flows.load * h;
      integrated.imported += Math.max(0, flows.grid) * h;
      integrated.exported += Math.max(0, -flows.grid) * h;
      integrated.charged += Math.max(0, -flows.battery) * h;
      integrated.discharged += Math.max(0, flows.battery) * h;
      await pass(clock, world, STEP);
    }
    assert.ok(noonSolar > 6000, `clear-day peak near 7 kW, got ${noonSolar}`);
    assert.equal(evSeen, 7680, 'the evening charge shows on the Wall Connector');

    const history = calendarHistory(site, { kind: 'energy', period: 'day', end_date: new Date(LA_MIDNIGHT + 23 * HOUR).toISOString() }, world.time) as any;
    assert.equal(history.time_series.length, 288);
    assert.equal(history.time_series[0].timestamp, '2026-06-22T00:00:00-07:00');
    const total = (field: string): number => history.time_series.reduce((sum: number, point: any) => sum + point[field], 0);
    const close = (field: string, expected: number) =>
      assert.ok(Math.abs(total(field) - expected) < 2, `${field}: history ${total(field)} Wh vs integrated ${expected} Wh`);
    close('total_solar_generation', integrated.solar);
    close('total_home_usage', integrated.load);
    close('grid_energy_imported', integrated.imported);
    close('total_grid_energy_exported', integrated.exported);
    close('total_battery_charge', integrated.charged);
    close('total_battery_discharge', integrated.discharged);
    // Every source/destination split adds up.
    close(
      'consumer_energy_imported_from_grid',
      total('total_home_usage') - total('consumer_energy_imported_from_solar') - total('consumer_energy_imported_from_battery'),
    );
    close('battery_energy_imported_from_grid', total('total_battery_charge') - total('battery_energy_imported_from_solar'));
    assert.ok(total('total_solar_generation') > 40_000, 'a summer day of 7 kW makes over 40 kWh');
    for (const point of history.time_series) for (const field of HISTORY_FIELDS) assert.equal(typeof point[field], 'number');
  });

  for (const trigger of ['a scheduled start', 'the grid coming back'] as const) {
    it(`integrates at the site exactly what the car draws from its Wall Connector, across ${trigger} and a big jump`, async () => {
      const homeUsage = async (withCar: boolean): Promise<{ wh: number; carKwh: number }> => {
        const { clock, world } = worldAt(LA_MIDNIGHT + 21 * HOUR, homeScenario({}, { batteryLevel: 40, outsideTemp: 25 }));
        const car = world.vehicles[0]!;
        const site = world.sites[0]!;
        if (trigger === 'the grid coming back') {
          // Off grid below the vehicle-charging reserve the car waits; the grid returns at 22:00.
          world.patchSite(site.id, { batteryLevel: 30 });
          world.runEvent({ at: '00:00', type: 'grid_outage', duration: 3600 });
        } else if (withCar) {
          executeVehicleCommand(car, 'set_scheduled_charging', { enable: true, time: 22 * 60 }, { now: clock.now(), env: world.env });
        }
        if (withCar) world.patchVehicle(car.vin, { pluggedIn: 'home' });
        await pass(clock, world, 2 * HOUR);
        const history = calendarHistory(site, { kind: 'energy', period: 'day' }, world.time) as any;
        const wh = history.time_series.reduce((sum: number, point: any) => sum + point.total_home_usage, 0);
        return { wh, carKwh: car.state.chargeEnergyAdded };
      };
      const without = await homeUsage(false);
      const withCar = await homeUsage(true);
      // Warm all evening: the losses at 7.68 kW are the same all along.
      const wallWh = (withCar.carKwh / acEfficiency(7.68, 25)) * 1000;
      assert.ok(wallWh > 7000, `the car charged from 22:00: ${wallWh} Wh`);
      assert.ok(Math.abs(withCar.wh - without.wh - wallWh) < 1, `site saw ${withCar.wh - without.wh} Wh, car drew ${wallWh} Wh`);
    });
  }

  it('reacts to operation mode, reserve, export rule and storm watch as the rules say', async () => {
    const { clock, world } = worldAt(LA_MIDNIGHT + 2 * HOUR, homeScenario());
    const site = world.sites[0]!;
    assert.ok(world.siteFlows(site).battery > 0, 'self-consumption discharges at night');
    world.patchSite(site.id, { backupReserve: 80 });
    assert.ok(world.siteFlows(site).battery < 0, 'a reserve above the charge recharges from the grid');
    world.patchSite(site.id, { backupReserve: 10, mode: 'backup' });
    assert.equal(world.siteFlows(site).battery, -5000, 'backup mode charges towards full');
    world.patchSite(site.id, { disallowGridCharging: true });
    assert.equal(world.siteFlows(site).battery, 0, 'backup without grid charging holds');
    world.patchSite(site.id, { stormWatch: true });
    assert.equal(world.siteFlows(site).battery, -5000, 'storm watch charges regardless');
    world.patchSite(site.id, { stormModeEnabled: false });
    assert.equal(world.siteFlows(site).battery, 0, 'storm watch is ignored with storm mode off');
    await pass(clock, world, 10 * HOUR); // noon
    world.patchSite(site.id, { mode: 'self_consumption', batteryLevel: 100, exportRule: 'never' });
    let flows = world.siteFlows(site);
    assert.equal(flows.grid, 0, 'nothing exported');
    assert.equal(flows.solar, flows.load, 'panels throttled to the load');
    world.patchSite(site.id, { exportRule: 'pv_only' });
    flows = world.siteFlows(site);
    assert.ok(flows.grid < -3000, `solar exported: ${flows.grid}`);
  });

  it('rides through a grid outage on the battery, pausing the car below the off-grid reserve, and logs it', async () => {
    const { clock, world } = worldAt(LA_MIDNIGHT + 21 * HOUR, homeScenario({}, { batteryLevel: 30 }));
    const site = world.sites[0]!;
    const car = world.vehicles[0]!;
    world.patchSite(site.id, { batteryLevel: 60 });
    world.patchVehicle(car.vin, { pluggedIn: 'home' });
    world.runEvent({ at: '00:00', type: 'grid_outage', duration: 2 * 3600 });
    await pass(clock, world, 20_000);
    let live = liveStatus(site, world.siteFlows(site), world.time, (din) => world.vehicleOn(din)) as any;
    assert.equal(live.grid_status, 'Inactive');
    assert.equal(live.island_status, 'off_grid_unintentional');
    assert.equal(live.grid_power, 0);
    assert.equal(live.battery_power, live.load_power - live.solar_power);
    assert.equal(car.state.chargingState, 'Charging', 'above the 50 % off-grid reserve the car still charges');
    await pass(clock, world, 25 * MINUTE);
    assert.ok(site.percentage <= 50);
    assert.equal(car.state.chargingState, 'NoPower', 'below it the Wall Connector pauses');
    assert.equal(world.siteFlows(site).load < 3000, true);
    await pass(clock, world, 2 * HOUR);
    live = liveStatus(site, world.siteFlows(site), world.time, (din) => world.vehicleOn(din)) as any;
    assert.equal(live.grid_status, 'Active');
    assert.equal(live.island_status, 'on_grid');
    assert.notEqual(car.state.chargingState, 'NoPower');
    const backup = calendarHistory(site, { kind: 'backup' }, world.time) as any;
    assert.equal(backup.total_events, 1);
    assert.equal(backup.events[0].duration, 2 * 3600);
  });
});
