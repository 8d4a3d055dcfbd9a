import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_SITE_ID, DEMO_VIN, HISTORY_FIELDS } from '../../src/simulator/index.js';
import { HOUR, MINUTE, OLD_S_VIN, startSim } from './support.js';

/** Flattens like Home Assistant does: charge_state.battery_level → charge_state_battery_level. */
function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix ? `${prefix}_${key}` : key;
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) flatten(inner as Record<string, unknown>, name, out);
    else out[name] = inner;
  }
  return out;
}

const VEHICLE_KEYS = [
  'state',
  ...[
    'charging_state',
    'battery_level',
    'usable_battery_level',
    'charge_energy_added',
    'charger_power',
    'charger_voltage',
    'charger_actual_current',
    'charge_rate',
    'conn_charge_cable',
    'fast_charger_type',
    'battery_range',
    'est_battery_range',
    'ideal_battery_range',
    'minutes_to_full_charge',
    'battery_heater_on',
    'charger_phases',
    'preconditioning_enabled',
    'scheduled_charging_pending',
    'trip_charging',
    'charge_current_request',
    'charge_current_request_max',
    'charge_limit_soc',
    'charge_limit_soc_min',
    'charge_limit_soc_max',
    'user_charge_enable_request',
    'charge_enable_request',
    'charge_port_door_open',
    'charge_port_latch',
  ].map((k) => `charge_state_${k}`),
  ...[
    'speed',
    'power',
    'shift_state',
    'active_route_traffic_minutes_delay',
    'active_route_energy_at_arrival',
    'active_route_miles_to_arrival',
    'active_route_minutes_to_arrival',
    'latitude',
    'longitude',
    'active_route_latitude',
    'active_route_longitude',
    'active_route_destination',
  ].map((k) => `drive_state_${k}`),
  ...[
    'inside_temp',
    'outside_temp',
    'driver_temp_setting',
    'passenger_temp_setting',
    'is_preconditioning',
    'cabin_overheat_protection_actively_cooling',
    'auto_seat_climate_left',
    'auto_seat_climate_right',
    'auto_steering_wheel_heat',
    'defrost_mode',
    'seat_heater_left',
    'seat_heater_right',
    'seat_heater_rear_left',
    'seat_heater_rear_center',
    'seat_heater_rear_right',
    'steering_wheel_heat_level',
    'is_climate_on',
    'climate_keeper_mode',
    'min_avail_temp',
    'max_avail_temp',
    'cabin_overheat_protection',
    'cop_activation_temperature',
  ].map((k) => `climate_state_${k}`),
  ...[
    'odometer',
    'tpms_pressure_fl',
    'tpms_pressure_fr',
    'tpms_pressure_rl',
    'tpms_pressure_rr',
    'tpms_soft_warning_fl',
    'tpms_soft_warning_fr',
    'tpms_soft_warning_rl',
    'tpms_soft_warning_rr',
    'dashcam_state',
    'is_user_present',
    'fd_window',
    'fp_window',
    'rd_window',
    'rp_window',
    'df',
    'dr',
    'pf',
    'pr',
    'ft',
    'rt',
    'sentry_mode',
    'locked',
    'car_version',
    'software_update_status',
    'software_update_version',
    'software_update_install_perc',
    'media_info_media_playback_status',
    'media_info_audio_volume',
    'media_info_audio_volume_max',
    'media_info_now_playing_duration',
    'media_info_now_playing_elapsed',
    'media_info_now_playing_title',
    'media_info_now_playing_artist',
    'media_info_now_playing_album',
    'media_info_now_playing_station',
    'media_info_now_playing_source',
  ].map((k) => `vehicle_state_${k}`),
  ...['rear_seat_heaters', 'third_row_seats', 'cop_user_set_temp_supported'].map((k) => `vehicle_config_${k}`),
];

const ALL_SECTIONS = encodeURIComponent('charge_state;climate_state;drive_state;location_data;vehicle_state;vehicle_config;gui_settings');

describe('the data fields Home Assistant entities read', () => {
  it('are all in vehicle_data, in the API units, while driving and while charging', async () => {
    const { sim, clock, api } = await startSim();
    try {
      const read = async () => flatten((await api.get(`/na/api/1/vehicles/${DEMO_VIN}/vehicle_data?endpoints=${ALL_SECTIONS}`)).body.response);
      sim.world.runEvent({ at: '00:00', type: 'drive', duration: 1800, miles: 15, to: { lat: 37.45, lon: -122.15, name: 'Park' } });
      await clock.advance(10 * MINUTE);
      const driving = await read();
      const missing = VEHICLE_KEYS.filter((key) => !(key in driving));
      assert.deepEqual(missing, [], `missing: ${missing.join(', ')}`);
      const num = (key: string): number => {
        assert.equal(typeof driving[key], 'number', key);
        return driving[key] as number;
      };
      assert.ok(num('drive_state_speed') > 5 && num('drive_state_speed') < 90, 'mph');
      assert.ok(num('drive_state_power') > 0 && num('drive_state_power') < 100, 'kW');
      assert.ok(num('vehicle_state_odometer') > 10_000, 'miles');
      assert.ok(num('charge_state_battery_range') > 100 && num('charge_state_battery_range') < 400, 'miles');
      for (const wheel of ['fl', 'fr', 'rl', 'rr'])
        assert.ok(num(`vehicle_state_tpms_pressure_${wheel}`) > 2 && num(`vehicle_state_tpms_pressure_${wheel}`) < 3.5, 'bar');
      assert.ok(num('climate_state_inside_temp') > -10 && num('climate_state_inside_temp') < 60, '°C');
      assert.ok(num('climate_state_outside_temp') > -10 && num('climate_state_outside_temp') < 45, '°C');
      assert.equal(driving.drive_state_shift_state, 'D');
      assert.equal(driving.state, 'online');

      await clock.advance(30 * MINUTE);
      sim.world.runEvent({ at: '00:00', type: 'plug_in', charger: 'home' });
      await clock.advance(MINUTE);
      const charging = await read();
      assert.equal(charging.charge_state_charging_state, 'Charging');
      assert.ok((charging.charge_state_charger_power as number) > 5 && (charging.charge_state_charger_power as number) < 12, 'kW');
      assert.ok((charging.charge_state_charge_rate as number) > 10, 'mph of range');
      assert.equal(charging.charge_state_charger_phases, 1);
      assert.ok((charging.charge_state_minutes_to_full_charge as number) > 0);
      assert.ok((charging.charge_state_charge_energy_added as number) > 0, 'kWh');
    } finally {
      await sim.stop();
    }
  });

  it('include the sunroof and third-row entries only on cars that have them', async () => {
    const { sim, api } = await startSim({ scenario: { vehicles: [{ vin: OLD_S_VIN }, { vin: '7SAXCBE50PF000008', model: 'X' }] } });
    try {
      const s = flatten((await api.get(`/na/api/1/vehicles/${OLD_S_VIN}/vehicle_data?endpoints=${ALL_SECTIONS}`)).body.response);
      assert.equal(s.vehicle_state_sun_roof_state, 'closed');
      assert.equal(s.vehicle_state_sun_roof_percent_open, 0);
      assert.equal(s.vehicle_config_sun_roof_installed, 2);
      const x = flatten((await api.get('/na/api/1/vehicles/7SAXCBE50PF000008/vehicle_data?endpoints=climate_state%3Bvehicle_config')).body.response);
      assert.equal(x.climate_state_seat_heater_third_row_left, 0);
      assert.equal(x.vehicle_config_third_row_seats, 'FuturisFoldFlat');
      assert.equal(x.vehicle_state_sun_roof_state, undefined);
    } finally {
      await sim.stop();
    }
  });

  it('are all in live_status, site_info and calendar_history for the energy site and Wall Connector', async () => {
    const { sim, clock, api } = await startSim();
    try {
      await clock.advance(HOUR);
      const S = `/na/api/1/energy_sites/${DEMO_SITE_ID}`;
      const live = flatten((await api.get(`${S}/live_status`)).body.response);
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
        'island_status',
        'grid_status',
        'grid_services_active',
        'storm_mode_active',
        'backup_capable',
      ]) {
        assert.ok(key in live, `live_status ${key}`);
      }
      assert.ok((live.solar_power as number) > 1000, 'W at noon');
      const info = flatten((await api.get(`${S}/site_info`)).body.response);
      for (const key of [
        'vpp_backup_reserve_percent',
        'version',
        'backup_reserve_percent',
        'off_grid_vehicle_charging_reserve_percent',
        'default_real_mode',
        'components_battery',
        'components_solar',
        'components_customer_preferred_export_rule',
        'components_disallow_charge_from_grid_with_solar_installed',
        'user_settings_storm_mode_enabled',
        'components_storm_mode_capable',
        'components_off_grid_vehicle_charging_reserve_supported',
        'components_grid_services_enabled',
        'installation_time_zone',
      ]) {
        assert.ok(key in info, `site_info ${key}`);
      }
      const raw = (await api.get(`${S}/site_info`)).body.response;
      assert.ok(raw.components.gateways[0].part_name && raw.components.batteries[0].part_name && raw.components.wall_connectors[0].part_name);
      sim.world.runEvent({ at: '00:00', type: 'plug_in', charger: 'home' });
      await clock.advance(MINUTE);
      const wc = (await api.get(`${S}/live_status`)).body.response.wall_connectors[0];
      assert.deepEqual(
        Object.keys(wc)
          .filter((k) => ['din', 'vin', 'wall_connector_state', 'wall_connector_fault_state', 'wall_connector_power'].includes(k))
          .sort(),
        ['din', 'vin', 'wall_connector_fault_state', 'wall_connector_power', 'wall_connector_state'],
      );
      const history = (await api.get(`${S}/calendar_history?kind=energy&period=day`)).body.response.time_series;
      for (const field of HISTORY_FIELDS) assert.equal(typeof history[0][field], 'number', field);
    } finally {
      await sim.stop();
    }
  });
});
