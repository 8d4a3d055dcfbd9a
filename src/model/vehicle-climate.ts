import { CommandRefused, type HvacMode } from './descriptors.js';
import { bool, num, str } from './read.js';
import type { VehicleSource } from './sources.js';
import { act, boolAt, COMMAND_SCOPES, field, numAt, optionIndex, type VehicleRow } from './vehicle-read.js';

/** Cabin climate, cabin overheat protection and defrost: climate_state of vehicle_data (°C). */

/** Climate keeper modes in Tesla's order (set_climate_keeper_mode takes the index). "off", since HA refuses a preset "none". */
const KEEPER_PRESETS = ['off', 'keep', 'dog', 'camp'] as const;

/** Cabin overheat protection thresholds, in set_cop_temp's order (0 low, 1 medium, 2 high). */
const COP_LEVELS = [
  ['Low', 30],
  ['Medium', 35],
  ['High', 40],
] as const;

const COP_MODES: ReadonlyMap<string, HvacMode> = new Map([
  ['Off', 'off'],
  ['On', 'cool'],
  ['FanOnly', 'fan_only'],
]);

/** Tesla's defaults when the car does not say its range. */
const MIN_CABIN_C = 15;
const MAX_CABIN_C = 28;

function keeperMode(s: VehicleSource): string | null {
  const mode = str(field(s, 'climate_state.climate_keeper_mode'));
  return KEEPER_PRESETS.find((preset) => preset === mode) ?? null;
}

/** A keeper mode runs the climate even if is_climate_on lags behind, so it counts as on. */
function climateMode(s: VehicleSource): HvacMode | null {
  const on = bool(field(s, 'climate_state.is_climate_on'));
  if (on === null) return null;
  const keeper = keeperMode(s);
  return on || (keeper !== null && keeper !== 'off') ? 'heat_cool' : 'off';
}

function copTarget(s: VehicleSource): number | null {
  const level = str(field(s, 'climate_state.cop_activation_temperature'));
  return COP_LEVELS.find(([name]) => name === level)?.[1] ?? null;
}

/** The nearest of the three thresholds (30, 35, 40 °C) as set_cop_temp's level. */
function copLevel(celsius: number): number {
  return celsius < 32.5 ? 0 : celsius < 37.5 ? 1 : 2;
}

function temperatureSensor(key: string, name: string, path: string, extra: { enabledByDefault?: boolean; category?: 'diagnostic' } = {}): VehicleRow {
  return { platform: 'sensor', key, name, ...extra, deviceClass: 'temperature', unit: '°C', stateClass: 'measurement', precision: 1, value: numAt(path) };
}

export const VEHICLE_CLIMATE_ROWS: VehicleRow[] = [
  {
    platform: 'climate',
    key: 'climate',
    name: 'Climate',
    scopes: COMMAND_SCOPES,
    modes: ['off', 'heat_cool'],
    presets: KEEPER_PRESETS,
    minTemp: (s) => num(field(s, 'climate_state.min_avail_temp')) ?? MIN_CABIN_C,
    maxTemp: (s) => num(field(s, 'climate_state.max_avail_temp')) ?? MAX_CABIN_C,
    tempStep: 0.5,
    currentTemperature: numAt('climate_state.inside_temp'),
    targetTemperature: numAt('climate_state.driver_temp_setting'),
    mode: climateMode,
    preset: keeperMode,
    setMode: (mode) => {
      if (mode === 'off') return act('auto_conditioning_stop');
      if (mode === 'heat_cool') return act('auto_conditioning_start');
      throw new CommandRefused('invalid_value', `climate can be off or heat_cool, not ${mode}`);
    },
    // One cabin temperature: the passenger side follows the driver's.
    setTemperature: (celsius) => act('set_temps', { driver_temp: celsius, passenger_temp: celsius }),
    setPreset: (preset) => act('set_climate_keeper_mode', { climate_keeper_mode: optionIndex(KEEPER_PRESETS, preset) }),
  },
  {
    platform: 'climate',
    key: 'cabin_overheat_protection',
    name: 'Cabin overheat protection',
    enabledByDefault: false,
    scopes: COMMAND_SCOPES,
    modes: ['off', 'cool', 'fan_only'],
    minTemp: 30,
    maxTemp: 40,
    tempStep: 5,
    currentTemperature: numAt('climate_state.inside_temp'),
    targetTemperature: copTarget,
    mode: (s) => {
      const mode = str(field(s, 'climate_state.cabin_overheat_protection'));
      return mode === null ? null : (COP_MODES.get(mode) ?? null);
    },
    setMode: (mode, s) => {
      if (mode === 'off') return act('set_cabin_overheat_protection', { on: false, fan_only: false });
      if (mode === 'cool') return act('set_cabin_overheat_protection', { on: true, fan_only: false });
      if (mode === 'fan_only') {
        if (bool(field(s, 'climate_state.supports_fan_only_cabin_overheat_protection')) === false) {
          throw new CommandRefused('unsupported', 'this car has no fan-only cabin overheat protection');
        }
        return act('set_cabin_overheat_protection', { on: true, fan_only: true });
      }
      throw new CommandRefused('invalid_value', `cabin overheat protection can be off, cool or fan_only, not ${mode}`);
    },
    setTemperature: (celsius, s) => {
      if (bool(field(s, 'vehicle_config.cop_user_set_temp_supported')) === false) {
        throw new CommandRefused('unsupported', 'this car does not let the cabin overheat protection temperature be set');
      }
      return act('set_cop_temp', { cop_temp: copLevel(celsius) });
    },
  },
  {
    platform: 'switch',
    key: 'defrost',
    name: 'Defrost',
    scopes: COMMAND_SCOPES,
    value: (s) => {
      const mode = num(field(s, 'climate_state.defrost_mode'));
      return mode === null ? null : mode !== 0;
    },
    command: (on) => act('set_preconditioning_max', { on, manual_override: false }),
  },
  temperatureSensor('inside_temperature', 'Inside temperature', 'climate_state.inside_temp'),
  temperatureSensor('outside_temperature', 'Outside temperature', 'climate_state.outside_temp'),
  temperatureSensor('driver_temperature_setting', 'Driver temperature setting', 'climate_state.driver_temp_setting', {
    enabledByDefault: false,
    category: 'diagnostic',
  }),
  temperatureSensor('passenger_temperature_setting', 'Passenger temperature setting', 'climate_state.passenger_temp_setting', {
    enabledByDefault: false,
    category: 'diagnostic',
  }),
  {
    platform: 'binary_sensor',
    key: 'preconditioning',
    name: 'Preconditioning',
    enabledByDefault: false,
    category: 'diagnostic',
    value: boolAt('climate_state.is_preconditioning'),
  },
  {
    platform: 'binary_sensor',
    key: 'cabin_overheat_protection_actively_cooling',
    name: 'Cabin overheat protection actively cooling',
    enabledByDefault: false,
    category: 'diagnostic',
    deviceClass: 'heat',
    value: boolAt('climate_state.cabin_overheat_protection_actively_cooling'),
  },
];
