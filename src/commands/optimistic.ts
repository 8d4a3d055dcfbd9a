import type { DeviceAction } from '../model/actions.js';

type Json = Record<string, unknown>;

function section(root: Json, name: string): Json {
  const existing = root[name];
  if (existing && typeof existing === 'object' && !Array.isArray(existing)) return existing as Json;
  const created: Json = {};
  root[name] = created;
  return created;
}

const SEATS: Record<number, string> = {
  0: 'seat_heater_left',
  1: 'seat_heater_right',
  2: 'seat_heater_rear_left',
  4: 'seat_heater_rear_center',
  5: 'seat_heater_rear_right',
  7: 'seat_heater_third_row_left',
  8: 'seat_heater_third_row_right',
};
const KEEPER = ['off', 'keep', 'dog', 'camp'];
const COP_TEMP = ['Low', 'Medium', 'High'];

/**
 * What a successful vehicle command changes in vehicle_data, so the entity shows the new state at
 * once; a refresh confirms it afterwards. Commands without a direct reading (flash, honk) change
 * nothing here.
 */
export function applyVehicleCommand(data: Json, action: Extract<DeviceAction, { kind: 'vehicle' }>): void {
  const { body } = action;
  const charge = (): Json => section(data, 'charge_state');
  const climate = (): Json => section(data, 'climate_state');
  const vehicle = (): Json => section(data, 'vehicle_state');
  switch (action.command) {
    case 'set_charge_limit':
      charge().charge_limit_soc = body.percent;
      return;
    case 'set_charging_amps':
      charge().charge_current_request = body.charging_amps;
      return;
    case 'charge_start':
      Object.assign(charge(), { charging_state: 'Starting', user_charge_enable_request: true });
      return;
    case 'charge_stop':
      Object.assign(charge(), { charging_state: 'Stopped', user_charge_enable_request: false });
      return;
    case 'charge_port_door_open':
      charge().charge_port_door_open = true;
      return;
    case 'charge_port_door_close':
      charge().charge_port_door_open = false;
      return;
    case 'door_lock':
    case 'door_unlock':
      vehicle().locked = action.command === 'door_lock';
      return;
    case 'set_sentry_mode':
      vehicle().sentry_mode = body.on;
      return;
    case 'auto_conditioning_start':
    case 'auto_conditioning_stop':
      climate().is_climate_on = action.command === 'auto_conditioning_start';
      return;
    case 'set_temps':
      Object.assign(climate(), { driver_temp_setting: body.driver_temp, passenger_temp_setting: body.passenger_temp });
      return;
    case 'set_climate_keeper_mode':
      climate().climate_keeper_mode = KEEPER[Number(body.climate_keeper_mode)] ?? climate().climate_keeper_mode;
      return;
    case 'set_cabin_overheat_protection':
      climate().cabin_overheat_protection = body.on ? (body.fan_only ? 'FanOnly' : 'On') : 'Off';
      return;
    case 'set_cop_temp':
      climate().cop_activation_temperature = COP_TEMP[Number(body.cop_temp)] ?? climate().cop_activation_temperature;
      return;
    case 'remote_seat_heater_request': {
      const key = SEATS[Number(body.heater)];
      if (key) climate()[key] = body.level;
      return;
    }
    case 'remote_steering_wheel_heat_level_request':
      climate().steering_wheel_heat_level = body.level;
      return;
    case 'set_preconditioning_max':
      climate().defrost_mode = body.on ? 2 : 0;
      return;
    case 'remote_auto_seat_climate_request':
      climate()[Number(body.auto_seat_position) === 1 ? 'auto_seat_climate_left' : 'auto_seat_climate_right'] = body.auto_climate_on;
      return;
    case 'remote_auto_steering_wheel_heat_climate_request':
      climate().auto_steering_wheel_heat = body.on;
      return;
    case 'window_control': {
      const open = body.command === 'vent' ? 1 : 0;
      Object.assign(vehicle(), { fd_window: open, fp_window: open, rd_window: open, rp_window: open });
      return;
    }
    case 'adjust_volume':
      section(vehicle(), 'media_info').audio_volume = body.volume;
      return;
    default:
      return;
  }
}

/** The same for energy site settings, in site_info's shape. */
export function applyEnergyCommand(info: Json, action: Extract<DeviceAction, { kind: 'energy' }>): void {
  const { body } = action;
  switch (action.command) {
    case 'backup':
      info.backup_reserve_percent = body.backup_reserve_percent;
      return;
    case 'operation':
      info.default_real_mode = body.default_real_mode;
      return;
    case 'grid_import_export': {
      const components = section(info, 'components');
      for (const key of ['customer_preferred_export_rule', 'disallow_charge_from_grid_with_solar_installed']) {
        if (key in body) components[key] = body[key];
      }
      return;
    }
    case 'storm_mode':
      section(info, 'user_settings').storm_mode_enabled = body.enabled;
      return;
    case 'off_grid_vehicle_charging_reserve':
      info.off_grid_vehicle_charging_reserve_percent = body.off_grid_vehicle_charging_reserve_percent;
      return;
  }
}
