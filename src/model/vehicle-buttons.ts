import { CommandRefused } from './descriptors.js';
import { act, carPosition, COMMAND_SCOPES, type VehicleRow } from './vehicle-read.js';

/** One-shot actions. Each wakes the car first, like every command. */

export const VEHICLE_BUTTON_ROWS: VehicleRow[] = [
  // Only wakes: any vehicle scope allows a wake_up.
  {
    platform: 'button',
    key: 'wake',
    name: 'Wake',
    scopes: ['vehicle_cmds', 'vehicle_charging_cmds', 'vehicle_device_data'],
    command: () => ({ kind: 'wake' }),
  },
  { platform: 'button', key: 'flash_lights', name: 'Flash lights', scopes: COMMAND_SCOPES, command: () => act('flash_lights') },
  { platform: 'button', key: 'honk_horn', name: 'Honk horn', scopes: COMMAND_SCOPES, command: () => act('honk_horn') },
  { platform: 'button', key: 'keyless_driving', name: 'Keyless driving', scopes: COMMAND_SCOPES, command: () => act('remote_start_drive') },
  { platform: 'button', key: 'play_fart', name: 'Play fart', scopes: COMMAND_SCOPES, command: () => act('remote_boombox', { sound: 0 }) },
  {
    platform: 'button',
    key: 'homelink',
    name: 'HomeLink',
    scopes: COMMAND_SCOPES,
    // The car only triggers HomeLink near the place it is told, so it is told where it is.
    command: (s) => {
      const here = carPosition(s);
      if (!here) throw new CommandRefused('unknown_state', "HomeLink needs the car's position (the vehicle_location scope and a recent location)");
      return act('trigger_homelink', { lat: here.latitude, lon: here.longitude });
    },
  },
];
