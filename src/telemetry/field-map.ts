import type { FieldName } from './field-names.js';
import { type Read, readBoolean, readEnum, readFlags, readLocation, readNumber, readText } from './values.js';

/**
 * How each streamed field lands in the car's data. The entity tables read Tesla's vehicle_data
 * keys (charge_state.battery_level, …), so a streamed value is written under the key Tesla maps
 * it to, converted to vehicle_data's units and spellings: hours
 * to minutes, enum names to vehicle_data's words, door objects to 0/1 flags. Every entity then
 * reads streamed and polled values alike, and each value keeps when and how it arrived.
 */

/** vehicle_data paths and the values to write there. */
export type Writes = (readonly [path: string, value: unknown])[];

/** The car's current data, for fields whose meaning depends on another one. */
export interface DecodeContext {
  get(path: string): unknown;
  /** The last value streamed for another field (messages of one record arrive in any order). */
  streamed?(field: string): unknown;
}

export interface FieldRule {
  /** Every vehicle_data path the field may write (for documentation and the coverage test). */
  paths: readonly string[];
  /** undefined: the payload is not a value of this field; the last good value stays. */
  decode(value: unknown, context: DecodeContext): Writes | undefined;
}

function one<T>(path: string, read: (value: unknown) => Read<T>, convert: (value: T) => unknown = (v) => v): FieldRule {
  return {
    paths: [path],
    decode: (value) => {
      const parsed = read(value);
      return parsed === undefined ? undefined : [[path, parsed === null ? null : convert(parsed)]];
    },
  };
}

const number = (path: string, convert?: (value: number) => unknown): FieldRule => one(path, readNumber, convert);
const flag = (path: string): FieldRule => one(path, readBoolean);
const text = (path: string): FieldRule => one(path, readText);

/** An enum: member names (prefix removed) to vehicle_data values; members not listed read as `otherwise`. */
function choice(path: string, prefix: string, map: Record<string, unknown>, otherwise: unknown = null): FieldRule {
  return one(
    path,
    (value) => readEnum(value, prefix),
    (member) => (Object.hasOwn(map, member) ? map[member] : otherwise),
  );
}

const round = (digits: number) => (value: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const bit = (open: boolean): number => (open ? 1 : 0);

/** Firmware before 2024.44.32 reports PassengerFront and DriverRear swapped. */
export function doorsSwapped(carVersion: unknown): boolean {
  if (typeof carVersion !== 'string') return false;
  const parts = carVersion.trim().split(/[ .]/).slice(0, 3).map(Number);
  if (parts.length < 3 || parts.some((part) => !Number.isInteger(part))) return false;
  const [year = 0, major = 0, minor = 0] = parts;
  return year !== 2024 ? year < 2024 : major !== 44 ? major < 44 : minor < 32;
}

const doors: FieldRule = {
  paths: ['vehicle_state.df', 'vehicle_state.pf', 'vehicle_state.dr', 'vehicle_state.pr', 'vehicle_state.ft', 'vehicle_state.rt'],
  decode: (value, context) => {
    const read = readFlags(value);
    if (read === undefined) return undefined;
    if (read === null) return doors.paths.map((path) => [path, null] as const);
    const swap = doorsSwapped(context.get('vehicle_state.car_version'));
    const passengerFront = swap ? read.DriverRear : read.PassengerFront;
    const driverRear = swap ? read.PassengerFront : read.DriverRear;
    return [
      ['vehicle_state.df', bit(read.DriverFront === true)],
      ['vehicle_state.pf', bit(passengerFront === true)],
      ['vehicle_state.dr', bit(driverRear === true)],
      ['vehicle_state.pr', bit(read.PassengerRear === true)],
      ['vehicle_state.ft', bit(read.TrunkFront === true)],
      ['vehicle_state.rt', bit(read.TrunkRear === true)],
    ];
  },
};

const WHEELS = ['fl', 'fr', 'rl', 'rr'] as const;
const TIRE_KEYS: Record<(typeof WHEELS)[number], string> = { fl: 'front_left', fr: 'front_right', rl: 'rear_left', rr: 'rear_right' };

function tireWarnings(kind: 'soft' | 'hard'): FieldRule {
  const paths = WHEELS.map((wheel) => `vehicle_state.tpms_${kind}_warning_${wheel}`);
  return {
    paths,
    decode: (value) => {
      const read = readFlags(value);
      if (read === undefined) return undefined;
      return WHEELS.map((wheel, index) => [paths[index] ?? '', read === null ? null : read[TIRE_KEYS[wheel]] === true] as const);
    },
  };
}

const location = (latitude: string, longitude: string): FieldRule => ({
  paths: [latitude, longitude],
  decode: (value) => {
    const read = readLocation(value);
    if (read === undefined) return undefined;
    return [
      [latitude, read === null ? null : round(6)(read.latitude)],
      [longitude, read === null ? null : round(6)(read.longitude)],
    ];
  },
});

const window = (path: string): FieldRule => choice(path, 'WindowState', { Closed: 0, PartiallyOpen: 1, Opened: 1 });

/**
 * vehicle_data's charger_power is the one that is delivering: DC while fast charging, otherwise AC.
 * Both fields stream, in any order; an idle 0 from one must not overwrite the other's power.
 */
function chargingPower(kind: 'ac' | 'dc'): FieldRule {
  const other = kind === 'ac' ? 'DCChargingPower' : 'ACChargingPower';
  return {
    paths: ['charge_state.charger_power'],
    decode: (value, context) => {
      const power = readNumber(value);
      if (power === undefined) return undefined;
      const otherPower = readNumber(context.streamed?.(other)) ?? null;
      const own = power === null ? null : round(1)(power);
      if ((power ?? 0) > 0 || otherPower === null || otherPower <= 0) return [['charge_state.charger_power', own]];
      return [];
    },
  };
}

/** vehicle_data's software_update.status is not streamed; it follows from the version and the two percentages. */
function softwareUpdate(path: 'version' | 'install_perc' | 'download_perc'): FieldRule {
  const full = `vehicle_state.software_update.${path}`;
  return {
    paths: [full, 'vehicle_state.software_update.status'],
    decode: (value, context) => {
      const read = path === 'version' ? readText(value) : readNumber(value);
      if (read === undefined) return undefined;
      const next = path === 'version' ? (typeof read === 'string' ? read.trim() : '') : read;
      const get = (key: string): unknown => (key === path ? next : context.get(`vehicle_state.software_update.${key}`));
      const version = typeof get('version') === 'string' ? (get('version') as string).trim() : '';
      const installing = typeof get('install_perc') === 'number' && (get('install_perc') as number) > 0 && (get('install_perc') as number) < 100;
      const downloading = typeof get('download_perc') === 'number' && (get('download_perc') as number) > 0 && (get('download_perc') as number) < 100;
      const status = version === '' ? '' : installing ? 'installing' : downloading ? 'downloading' : 'available';
      return [
        [full, path === 'version' ? (next === '' ? ' ' : next) : next],
        ['vehicle_state.software_update.status', status],
      ];
    },
  };
}

const cs = (key: string): string => `charge_state.${key}`;
const cl = (key: string): string => `climate_state.${key}`;
const ds = (key: string): string => `drive_state.${key}`;
const vs = (key: string): string => `vehicle_state.${key}`;
const media = (key: string): string => `vehicle_state.media_info.${key}`;

/** Every field teslahub understands, with the vehicle_data key it stands for. */
export const FIELD_RULES: Partial<Record<FieldName, FieldRule>> = {
  // Charging and battery.
  BatteryLevel: number(cs('battery_level'), round(1)),
  Soc: number(cs('usable_battery_level'), round(1)),
  ChargeLimitSoc: number(cs('charge_limit_soc'), Math.round),
  ChargeAmps: number(cs('charger_actual_current'), round(1)),
  ChargerVoltage: number(cs('charger_voltage'), Math.round),
  // vehicle_data has no phases (null) while no AC charger supplies power.
  ChargerPhases: number(cs('charger_phases'), (phases) => (phases > 0 ? Math.round(phases) : null)),
  ChargeCurrentRequest: number(cs('charge_current_request'), Math.round),
  ChargeCurrentRequestMax: number(cs('charge_current_request_max'), Math.round),
  ChargeEnableRequest: flag(cs('charge_enable_request')),
  ACChargingPower: chargingPower('ac'),
  DCChargingPower: chargingPower('dc'),
  // Measured at the battery, for AC and DC alike: vehicle_data's charge_energy_added.
  DCChargingEnergyIn: number(cs('charge_energy_added'), round(2)),
  DetailedChargeState: choice(cs('charging_state'), 'DetailedChargeState', {
    Disconnected: 'Disconnected',
    NoPower: 'NoPower',
    Starting: 'Starting',
    Charging: 'Charging',
    Complete: 'Complete',
    Stopped: 'Stopped',
  }),
  // Hours on the stream; vehicle_data says minutes (and hours, rounded).
  TimeToFullCharge: {
    paths: [cs('minutes_to_full_charge'), cs('time_to_full_charge')],
    decode: (value) => {
      const hours = readNumber(value);
      if (hours === undefined) return undefined;
      return [
        [cs('minutes_to_full_charge'), hours === null ? null : Math.max(0, Math.round(hours * 60))],
        [cs('time_to_full_charge'), hours === null ? null : round(2)(Math.max(0, hours))],
      ];
    },
  },
  ChargeRateMilePerHour: number(cs('charge_rate'), round(1)),
  ChargePortDoorOpen: flag(cs('charge_port_door_open')),
  ChargePortLatch: choice(cs('charge_port_latch'), 'ChargePortLatch', { Engaged: 'Engaged', Disengaged: 'Disengaged', Blocking: 'Blocking' }, '<invalid>'),
  // No cable in: Tesla marks the value invalid; vehicle_data says "<invalid>".
  ChargingCableType: {
    paths: [cs('conn_charge_cable')],
    decode: (value) => {
      const member = readEnum(value, 'CableType');
      if (member === undefined) return undefined;
      const known = member !== null && ['IEC', 'SAE', 'GB_AC', 'GB_DC'].includes(member);
      return [[cs('conn_charge_cable'), known ? member : '<invalid>']];
    },
  },
  FastChargerPresent: flag(cs('fast_charger_present')),
  FastChargerType: choice(
    cs('fast_charger_type'),
    'FastCharger',
    {
      Supercharger: 'Supercharger',
      CHAdeMO: 'CHAdeMO',
      GB: 'GB',
      ACSingleWireCAN: 'ACSingleWireCAN',
      Combo: 'Combo',
      MCSingleWireCAN: 'MCSingleWireCAN',
      Other: 'Other',
    },
    '<invalid>',
  ),
  ScheduledChargingPending: flag(cs('scheduled_charging_pending')),
  PreconditioningEnabled: flag(cs('preconditioning_enabled')),
  BatteryHeaterOn: flag(cs('battery_heater_on')),
  EstBatteryRange: number(cs('est_battery_range'), round(2)),
  RatedRange: number(cs('battery_range'), round(2)),
  IdealBatteryRange: number(cs('ideal_battery_range'), round(2)),
  EnergyRemaining: number(cs('energy_remaining'), round(2)),

  // Driving and location: miles, mph, degrees, as vehicle_data.
  Location: location(ds('latitude'), ds('longitude')),
  GpsHeading: number(ds('heading'), Math.round),
  VehicleSpeed: number(ds('speed'), Math.round),
  Gear: choice(ds('shift_state'), 'ShiftState', { P: 'P', R: 'R', N: 'N', D: 'D' }),
  Odometer: number(vs('odometer'), round(2)),
  DestinationName: text(ds('active_route_destination')),
  DestinationLocation: location(ds('active_route_latitude'), ds('active_route_longitude')),
  MilesToArrival: number(ds('active_route_miles_to_arrival'), round(2)),
  MinutesToArrival: number(ds('active_route_minutes_to_arrival'), round(2)),
  RouteTrafficMinutesDelay: number(ds('active_route_traffic_minutes_delay'), round(1)),
  ExpectedEnergyPercentAtTripArrival: number(ds('active_route_energy_at_arrival'), round(1)),

  // Climate: °C.
  InsideTemp: number(cl('inside_temp'), round(1)),
  OutsideTemp: number(cl('outside_temp'), round(1)),
  HvacPower: {
    paths: [cl('is_climate_on'), cl('is_preconditioning')],
    decode: (value) => {
      const member = readEnum(value, 'HvacPowerState');
      if (member === undefined) return undefined;
      if (member === null || !['Off', 'On', 'Precondition', 'OverheatProtect'].includes(member)) return [[cl('is_climate_on'), null]];
      return [
        [cl('is_climate_on'), member === 'On' || member === 'Precondition'],
        [cl('is_preconditioning'), member === 'Precondition'],
      ];
    },
  },
  HvacLeftTemperatureRequest: number(cl('driver_temp_setting'), round(1)),
  HvacRightTemperatureRequest: number(cl('passenger_temp_setting'), round(1)),
  ClimateKeeperMode: choice(cl('climate_keeper_mode'), 'ClimateKeeperModeState', { Off: 'off', On: 'keep', Dog: 'dog', Party: 'camp' }),
  CabinOverheatProtectionMode: choice(cl('cabin_overheat_protection'), 'CabinOverheatProtectionModeState', { Off: 'Off', On: 'On', FanOnly: 'FanOnly' }),
  CabinOverheatProtectionTemperatureLimit: choice(cl('cop_activation_temperature'), 'ClimateOverheatProtectionTempLimit', {
    Low: 'Low',
    Medium: 'Medium',
    High: 'High',
  }),
  DefrostMode: choice(cl('defrost_mode'), 'DefrostModeState', { Off: 0, Normal: 1, Max: 2, AutoDefog: 1 }),
  SeatHeaterLeft: number(cl('seat_heater_left'), Math.round),
  SeatHeaterRight: number(cl('seat_heater_right'), Math.round),
  SeatHeaterRearLeft: number(cl('seat_heater_rear_left'), Math.round),
  SeatHeaterRearCenter: number(cl('seat_heater_rear_center'), Math.round),
  SeatHeaterRearRight: number(cl('seat_heater_rear_right'), Math.round),
  AutoSeatClimateLeft: flag(cl('auto_seat_climate_left')),
  AutoSeatClimateRight: flag(cl('auto_seat_climate_right')),
  HvacSteeringWheelHeatAuto: flag(cl('auto_steering_wheel_heat')),

  // Body and security: bar, 0/1 flags.
  Locked: flag(vs('locked')),
  SentryMode: choice(vs('sentry_mode'), 'SentryModeState', { Off: false, Idle: true, Armed: true, Aware: true, Panic: true, Quiet: true }),
  DoorState: doors,
  FdWindow: window(vs('fd_window')),
  FpWindow: window(vs('fp_window')),
  RdWindow: window(vs('rd_window')),
  RpWindow: window(vs('rp_window')),
  DriverSeatOccupied: flag(vs('is_user_present')),
  TpmsPressureFl: number(vs('tpms_pressure_fl'), round(3)),
  TpmsPressureFr: number(vs('tpms_pressure_fr'), round(3)),
  TpmsPressureRl: number(vs('tpms_pressure_rl'), round(3)),
  TpmsPressureRr: number(vs('tpms_pressure_rr'), round(3)),
  TpmsSoftWarnings: tireWarnings('soft'),
  TpmsHardWarnings: tireWarnings('hard'),
  Version: text(vs('car_version')),
  SoftwareUpdateVersion: softwareUpdate('version'),
  SoftwareUpdateInstallationPercentComplete: softwareUpdate('install_perc'),
  SoftwareUpdateDownloadPercentComplete: softwareUpdate('download_perc'),
  ValetModeEnabled: flag(vs('valet_mode')),

  // Media (firmware 2025.2.6+); the elapsed time is left out: it would stream every second.
  MediaPlaybackStatus: choice(media('media_playback_status'), 'MediaStatus', { Stopped: 'Stopped', Playing: 'Playing', Paused: 'Paused' }),
  MediaNowPlayingTitle: text(media('now_playing_title')),
  MediaNowPlayingArtist: text(media('now_playing_artist')),
  MediaNowPlayingAlbum: text(media('now_playing_album')),
  MediaNowPlayingStation: text(media('now_playing_station')),
  MediaPlaybackSource: text(media('now_playing_source')),
  MediaAudioVolume: number(media('audio_volume'), round(2)),
};

export function fieldRule(name: string): FieldRule | undefined {
  // The name is a topic level or a field name from outside: inherited names are no fields.
  return Object.hasOwn(FIELD_RULES, name) ? (FIELD_RULES as Record<string, FieldRule | undefined>)[name] : undefined;
}
