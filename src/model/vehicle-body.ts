import { str } from './read.js';
import { boolAt, field, numAt, type VehicleRow } from './vehicle-read.js';

/** Doors, windows, tyres and who is in the car: vehicle_state of vehicle_data (0/1 flags, bar). */

/** Tesla's two-letter door fields: driver/passenger side, front/rear. */
const DOORS = [
  ['front_driver_door', 'Front driver door', 'df'],
  ['front_passenger_door', 'Front passenger door', 'pf'],
  ['rear_driver_door', 'Rear driver door', 'dr'],
  ['rear_passenger_door', 'Rear passenger door', 'pr'],
] as const;

const WINDOWS = [
  ['front_driver_window', 'Front driver window', 'fd_window'],
  ['front_passenger_window', 'Front passenger window', 'fp_window'],
  ['rear_driver_window', 'Rear driver window', 'rd_window'],
  ['rear_passenger_window', 'Rear passenger window', 'rp_window'],
] as const;

const WHEELS = [
  ['front_left', 'front left', 'fl'],
  ['front_right', 'front right', 'fr'],
  ['rear_left', 'rear left', 'rl'],
  ['rear_right', 'rear right', 'rr'],
] as const;

export const VEHICLE_BODY_ROWS: VehicleRow[] = [
  ...DOORS.map(
    ([key, name, flag]): VehicleRow => ({
      platform: 'binary_sensor',
      key,
      name,
      category: 'diagnostic',
      deviceClass: 'door',
      value: boolAt(`vehicle_state.${flag}`),
    }),
  ),
  ...WINDOWS.map(
    ([key, name, flag]): VehicleRow => ({
      platform: 'binary_sensor',
      key,
      name,
      category: 'diagnostic',
      deviceClass: 'window',
      value: boolAt(`vehicle_state.${flag}`),
    }),
  ),
  ...WHEELS.map(
    ([key, name, wheel]): VehicleRow => ({
      platform: 'sensor',
      key: `tire_pressure_${key}`,
      name: `Tire pressure ${name}`,
      enabledByDefault: false,
      category: 'diagnostic',
      deviceClass: 'pressure',
      unit: 'bar',
      stateClass: 'measurement',
      precision: 2,
      value: numAt(`vehicle_state.tpms_pressure_${wheel}`),
    }),
  ),
  ...WHEELS.map(
    ([key, name, wheel]): VehicleRow => ({
      platform: 'binary_sensor',
      key: `tire_pressure_warning_${key}`,
      name: `Tire pressure warning ${name}`,
      enabledByDefault: false,
      category: 'diagnostic',
      deviceClass: 'problem',
      value: boolAt(`vehicle_state.tpms_soft_warning_${wheel}`),
    }),
  ),
  { platform: 'binary_sensor', key: 'user_present', name: 'User present', deviceClass: 'presence', value: boolAt('vehicle_state.is_user_present') },
  {
    platform: 'binary_sensor',
    key: 'dashcam',
    name: 'Dashcam',
    enabledByDefault: false,
    category: 'diagnostic',
    deviceClass: 'running',
    value: (s) => {
      const state = str(field(s, 'vehicle_state.dashcam_state'));
      return state === null ? null : state === 'Recording';
    },
  },
];
