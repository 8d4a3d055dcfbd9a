import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FakeClock } from '../../src/core/fake-clock.js';
import { DEMO_SITE_ID, HISTORY_FIELDS, type Simulator } from '../../src/simulator/index.js';
import { type Api, HOUR, LA_MIDNIGHT, startSim } from './support.js';

const S = `/na/api/1/energy_sites/${DEMO_SITE_ID}`;

describe('energy site endpoints (real HTTP)', () => {
  let sim: Simulator;
  let clock: FakeClock;
  let api: Api;

  before(async () => {
    // 02:00 local: the battery covers the night.
    ({ sim, clock, api } = await startSim({}, LA_MIDNIGHT + 2 * HOUR));
  });
  after(() => sim.stop());

  it('serves live_status in W and Wh, balanced, with the Wall Connector', async () => {
    const live = (await api.get(`${S}/live_status`)).body.response;
    for (const key of [
      'solar_power',
      'battery_power',
      'load_power',
      'grid_power',
      'grid_services_power',
      'generator_power',
      'energy_left',
      'total_pack_energy',
      'percentage_charged',
    ]) {
      assert.equal(typeof live[key], 'number', key);
    }
    assert.equal(live.solar_power + live.battery_power + live.grid_power, live.load_power);
    assert.equal(live.total_pack_energy, 13_500);
    assert.ok(Math.abs(live.energy_left - (live.percentage_charged / 100) * 13_500) < 1);
    assert.equal(live.grid_status, 'Active');
    assert.equal(live.island_status, 'on_grid');
    assert.equal(live.storm_mode_active, false);
    assert.equal(live.backup_capable, true);
    assert.match(live.timestamp, /-07:00$/);
    assert.equal(live.wall_connectors.length, 1);
    assert.deepEqual(
      Object.keys(live.wall_connectors[0]).filter((k) => k.startsWith('wall_connector')),
      ['wall_connector_state', 'wall_connector_fault_state', 'wall_connector_power'],
    );
  });

  it('serves site_info with settings and components, and energy commands change them and the flows', async () => {
    let info = (await api.get(`${S}/site_info`)).body.response;
    assert.equal(info.backup_reserve_percent, 20);
    assert.equal(info.default_real_mode, 'self_consumption');
    assert.equal(info.components.customer_preferred_export_rule, 'battery_ok');
    assert.equal(info.components.disallow_charge_from_grid_with_solar_installed, false);
    assert.equal(info.user_settings.storm_mode_enabled, true);
    assert.equal(info.components.storm_mode_capable, true);
    assert.equal(info.installation_time_zone, 'America/Los_Angeles');
    assert.equal(info.components.wall_connectors[0].part_name, 'Gen 3 Wall Connector');
    assert.ok((await api.get(`${S}/live_status`)).body.response.battery_power > 0);

    const updated = { response: { code: 201, message: 'Updated' } };
    assert.deepEqual((await api.post(`${S}/backup`, { backup_reserve_percent: 100 })).body, updated);
    assert.deepEqual((await api.post(`${S}/operation`, { default_real_mode: 'autonomous' })).body, updated);
    assert.deepEqual(
      (await api.post(`${S}/grid_import_export`, { customer_preferred_export_rule: 'pv_only', disallow_charge_from_grid_with_solar_installed: true })).body,
      updated,
    );
    assert.deepEqual((await api.post(`${S}/storm_mode`, { enabled: false })).body, updated);
    assert.deepEqual((await api.post(`${S}/off_grid_vehicle_charging_reserve`, { off_grid_vehicle_charging_reserve_percent: 30 })).body, updated);
    info = (await api.get(`${S}/site_info`)).body.response;
    assert.equal(info.backup_reserve_percent, 100);
    assert.equal(info.default_real_mode, 'autonomous');
    assert.equal(info.components.customer_preferred_export_rule, 'pv_only');
    assert.equal(info.components.disallow_charge_from_grid_with_solar_installed, true);
    assert.equal(info.user_settings.storm_mode_enabled, false);
    assert.equal(info.off_grid_vehicle_charging_reserve_percent, 30);
    // A reserve of 100 % with grid charging disallowed: the battery neither covers the house nor charges at night.
    assert.equal((await api.get(`${S}/live_status`)).body.response.battery_power, 0);
    assert.equal((await api.post(`${S}/backup`, { backup_reserve_percent: 120 })).status, 400);
    assert.equal((await api.post(`${S}/operation`, { default_real_mode: 'turbo' })).status, 400);
    assert.equal((await api.post(`${S}/self_destruct`, {})).status, 400);
  });

  it('serves calendar_history in 5-minute Wh buckets of today, and rejects a bad query', async () => {
    await clock.advance(HOUR);
    const history = (await api.get(`${S}/calendar_history?kind=energy&period=day&time_zone=America%2FLos_Angeles`)).body.response;
    assert.equal(history.period, 'day');
    assert.equal(history.installation_time_zone, 'America/Los_Angeles');
    assert.equal(history.time_series.length, 12, 'one hour since the simulator started');
    assert.equal(history.time_series[0].timestamp, '2026-06-22T02:00:00-07:00');
    assert.deepEqual(Object.keys(history.time_series[0]).slice(1), [...HISTORY_FIELDS]);
    const usage = history.time_series.reduce((sum: number, p: any) => sum + p.total_home_usage, 0);
    assert.ok(usage > 200 && usage < 3000, `home used ${usage} Wh in an hour`);
    const power = (await api.get(`${S}/calendar_history?kind=power&period=day`)).body.response;
    assert.equal(power.time_series.length, 12);
    assert.equal((await api.get(`${S}/calendar_history?kind=energy&period=fortnight`)).status, 400);
    assert.equal((await api.get(`${S}/calendar_history?kind=energy&end_date=yesterday`)).status, 400);
    const past = (await api.get(`${S}/calendar_history?kind=energy&period=day&end_date=2026-06-20T23:59:59-07:00`)).body.response;
    assert.deepEqual(past.time_series, [], 'no history before the simulation started');
  });
});
