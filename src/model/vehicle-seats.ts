import { num, str } from './read.js';
import type { VehicleSource } from './sources.js';
import { act, boolAt, climateFirst, COMMAND_SCOPES, field, optionIndex, type VehicleRow } from './vehicle-read.js';

/** Seat and steering wheel heating: climate_state levels, remote_* requests. */

/** Heater levels 0–3 as remote_seat_heater_request takes them. */
const SEAT_LEVELS = ['off', 'low', 'medium', 'high'] as const;
/** remote_steering_wheel_heat_level_request levels 0–2. */
const WHEEL_LEVELS = ['off', 'low', 'high'] as const;

type Row = 'front' | 'rear' | 'third_row';

/** Key, name, climate_state field, Tesla's seat number, and the row (which decides whether the car has it). */
const SEATS: readonly (readonly [string, string, string, number, Row])[] = [
  ['seat_heater_front_left', 'Seat heater front left', 'seat_heater_left', 0, 'front'],
  ['seat_heater_front_right', 'Seat heater front right', 'seat_heater_right', 1, 'front'],
  ['seat_heater_rear_left', 'Seat heater rear left', 'seat_heater_rear_left', 2, 'rear'],
  ['seat_heater_rear_center', 'Seat heater rear center', 'seat_heater_rear_center', 4, 'rear'],
  ['seat_heater_rear_right', 'Seat heater rear right', 'seat_heater_rear_right', 5, 'rear'],
  ['seat_heater_third_row_left', 'Seat heater third row left', 'seat_heater_third_row_left', 7, 'third_row'],
  ['seat_heater_third_row_right', 'Seat heater third row right', 'seat_heater_third_row_right', 8, 'third_row'],
];

/**
 * Rear and third-row heaters exist only where vehicle_config says so. Until the car's config is
 * known they are left out; discovery is rebuilt from each new vehicle_data and adds them then.
 */
function hasRow(s: VehicleSource, row: Row): boolean {
  switch (row) {
    case 'front':
      return true;
    case 'rear':
      return (num(field(s, 'vehicle_config.rear_seat_heaters')) ?? 0) > 0;
    case 'third_row': {
      const seats = str(field(s, 'vehicle_config.third_row_seats'));
      return seats !== null && seats !== '' && seats !== 'None';
    }
  }
}

function level(options: readonly string[], value: number | null): string | null {
  if (value === null) return null;
  return options[Math.max(0, Math.min(options.length - 1, Math.round(value)))] ?? null;
}

export const VEHICLE_SEAT_ROWS: VehicleRow[] = [
  ...SEATS.map(
    ([key, name, heater, seat, row]): VehicleRow => ({
      platform: 'select',
      key,
      name,
      ...(row === 'front' ? {} : { enabledByDefault: false, present: (s: VehicleSource) => hasRow(s, row) }),
      scopes: COMMAND_SCOPES,
      options: SEAT_LEVELS,
      value: (s) => level(SEAT_LEVELS, num(field(s, `climate_state.${heater}`))),
      command: (option, s) => {
        const wanted = optionIndex(SEAT_LEVELS, option);
        return act('remote_seat_heater_request', { heater: seat, level: wanted }, climateFirst(s, wanted));
      },
    }),
  ),
  {
    platform: 'select',
    key: 'steering_wheel_heater',
    name: 'Steering wheel heater',
    scopes: COMMAND_SCOPES,
    options: WHEEL_LEVELS,
    // Some cars report 3 for high; anything above low reads as high.
    value: (s) => level(WHEEL_LEVELS, num(field(s, 'climate_state.steering_wheel_heat_level'))),
    command: (option, s) => {
      const wanted = optionIndex(WHEEL_LEVELS, option);
      return act('remote_steering_wheel_heat_level_request', { level: wanted }, climateFirst(s, wanted));
    },
  },
  // Tesla numbers the auto seat positions from 1 (front left) and 2 (front right).
  {
    platform: 'switch',
    key: 'auto_seat_climate_left',
    name: 'Auto seat climate left',
    scopes: COMMAND_SCOPES,
    value: boolAt('climate_state.auto_seat_climate_left'),
    command: (on) => act('remote_auto_seat_climate_request', { auto_seat_position: 1, auto_climate_on: on }),
  },
  {
    platform: 'switch',
    key: 'auto_seat_climate_right',
    name: 'Auto seat climate right',
    scopes: COMMAND_SCOPES,
    value: boolAt('climate_state.auto_seat_climate_right'),
    command: (on) => act('remote_auto_seat_climate_request', { auto_seat_position: 2, auto_climate_on: on }),
  },
  {
    platform: 'switch',
    key: 'auto_steering_wheel_heater',
    name: 'Auto steering wheel heater',
    scopes: COMMAND_SCOPES,
    value: boolAt('climate_state.auto_steering_wheel_heat'),
    command: (on) => act('remote_auto_steering_wheel_heat_climate_request', { on }),
  },
];
