import type { EnergyCommand } from './energy-commands.js';

/**
 * What a control asks a device to do. Vehicle actions use Tesla's REST command names and bodies,
 * the same form Tesla's own HTTP proxy signs: REST cars get them as they are,
 * and the Vehicle Command Protocol translates them. Entity tables never know which path a car uses.
 */
export type DeviceAction =
  | { kind: 'vehicle'; command: VehicleCommandName; body: Record<string, unknown>; steps?: VehicleStep[] }
  | { kind: 'wake' }
  | { kind: 'energy'; command: EnergyCommand; body: Record<string, unknown> }
  | { kind: 'battery_control'; mode: 'normal' | 'charge' | 'discharge'; durationS: number | undefined };

/** A command sent before the main one (e.g. start climate before a seat heater). */
export interface VehicleStep {
  command: VehicleCommandName;
  body: Record<string, unknown>;
}

export const VEHICLE_COMMANDS = [
  'door_lock',
  'door_unlock',
  'actuate_trunk',
  'window_control',
  'sun_roof_control',
  'charge_port_door_open',
  'charge_port_door_close',
  'charge_start',
  'charge_stop',
  'set_charge_limit',
  'set_charging_amps',
  'set_scheduled_charging',
  'set_scheduled_departure',
  'auto_conditioning_start',
  'auto_conditioning_stop',
  'set_temps',
  'set_preconditioning_max',
  'set_climate_keeper_mode',
  'set_cabin_overheat_protection',
  'set_cop_temp',
  'remote_seat_heater_request',
  'remote_seat_cooler_request',
  'remote_auto_seat_climate_request',
  'remote_steering_wheel_heat_level_request',
  'remote_steering_wheel_heater_request',
  'remote_auto_steering_wheel_heat_climate_request',
  'set_sentry_mode',
  'flash_lights',
  'honk_horn',
  'remote_start_drive',
  'remote_boombox',
  'trigger_homelink',
  'media_toggle_playback',
  'media_next_track',
  'media_prev_track',
  'media_next_fav',
  'media_prev_fav',
  'media_volume_up',
  'media_volume_down',
  'adjust_volume',
  'navigation_request',
  'navigation_gps_request',
  'schedule_software_update',
  'cancel_software_update',
] as const;
export type VehicleCommandName = (typeof VEHICLE_COMMANDS)[number];

/**
 * Commands that open the car or let someone drive it away. They are refused unless the device's
 * `allow` list names the entity, so a leaked MQTT password cannot unlock a car by default.
 */
export function opensTheCar(action: DeviceAction): boolean {
  if (action.kind !== 'vehicle') return false;
  switch (action.command) {
    case 'door_unlock':
    case 'actuate_trunk':
    case 'remote_start_drive':
    case 'trigger_homelink':
      return true;
    case 'window_control':
      return action.body.command === 'vent';
    case 'sun_roof_control':
      return action.body.state === 'vent';
    default:
      return false;
  }
}
