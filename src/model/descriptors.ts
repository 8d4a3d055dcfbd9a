import type { DeviceAction } from './actions.js';

/** A value as an entity reports it; null means unknown (published as unknown, never as a fake zero). */
export type EntityValue = string | number | boolean | null;

export type Platform = 'sensor' | 'binary_sensor' | 'number' | 'select' | 'switch' | 'button' | 'lock' | 'cover' | 'climate' | 'device_tracker' | 'update';

export type StateClass = 'measurement' | 'total' | 'total_increasing';

interface Base<S> {
  /** snake_case; the topic segment and the tail of the unique_id. Unique within a device kind. */
  key: string;
  /** Home Assistant's entity name (without the device name, which HA prepends). */
  name: string;
  /** Home Assistant's enabled-by-default flag; default true. */
  enabledByDefault?: boolean;
  category?: 'diagnostic' | 'config';
  icon?: string;
  /** Whether this device has the entity at all (rear seat heaters, a battery, …). Default: yes. */
  present?: (source: S) => boolean;
  /** Tesla scopes any of which allows the control (vehicle_cmds, energy_cmds, …). */
  scopes?: readonly string[];
}

export interface SensorDescriptor<S> extends Base<S> {
  platform: 'sensor';
  deviceClass?: string;
  unit?: string;
  stateClass?: StateClass;
  /** Required for device class enum: every value the sensor can take. */
  options?: readonly string[];
  precision?: number;
  value: (source: S) => EntityValue;
  attributes?: (source: S) => Record<string, unknown> | undefined;
}

export interface BinarySensorDescriptor<S> extends Base<S> {
  platform: 'binary_sensor';
  deviceClass?: string;
  value: (source: S) => boolean | null;
}

export interface NumberDescriptor<S> extends Base<S> {
  platform: 'number';
  deviceClass?: string;
  unit?: string;
  min: number | ((source: S) => number);
  max: number | ((source: S) => number);
  step: number;
  mode?: 'box' | 'slider';
  value: (source: S) => number | null;
  command: (value: number, source: S) => DeviceAction;
}

export interface SelectDescriptor<S> extends Base<S> {
  platform: 'select';
  options: readonly string[];
  value: (source: S) => string | null;
  command: (option: string, source: S) => DeviceAction;
}

export interface SwitchDescriptor<S> extends Base<S> {
  platform: 'switch';
  deviceClass?: 'switch' | 'outlet';
  value: (source: S) => boolean | null;
  command: (on: boolean, source: S) => DeviceAction;
}

export interface ButtonDescriptor<S> extends Base<S> {
  platform: 'button';
  deviceClass?: 'identify' | 'restart' | 'update';
  command: (source: S) => DeviceAction;
}

export interface LockDescriptor<S> extends Base<S> {
  platform: 'lock';
  /** true = locked */
  value: (source: S) => boolean | null;
  command: (lock: boolean, source: S) => DeviceAction;
}

export type CoverState = 'open' | 'closed' | 'opening' | 'closing' | 'stopped';
export type CoverCommand = 'OPEN' | 'CLOSE' | 'STOP';

export interface CoverDescriptor<S> extends Base<S> {
  platform: 'cover';
  deviceClass?: string;
  value: (source: S) => CoverState | null;
  /** 0–100, for covers that report a position (the sunroof). */
  position?: (source: S) => number | null;
  /** Which of OPEN, CLOSE and STOP the device can do; the others are not offered. */
  supports: readonly CoverCommand[];
  command: (command: CoverCommand, source: S) => DeviceAction;
}

export type HvacMode = 'off' | 'heat_cool' | 'cool' | 'heat' | 'fan_only' | 'auto' | 'dry';

export interface ClimateDescriptor<S> extends Base<S> {
  platform: 'climate';
  modes: readonly HvacMode[];
  presets?: readonly string[];
  minTemp: number | ((source: S) => number);
  maxTemp: number | ((source: S) => number);
  tempStep: number;
  currentTemperature: (source: S) => number | null;
  targetTemperature: (source: S) => number | null;
  mode: (source: S) => HvacMode | null;
  preset?: (source: S) => string | null;
  setMode: (mode: HvacMode, source: S) => DeviceAction;
  setTemperature?: (celsius: number, source: S) => DeviceAction;
  setPreset?: (preset: string, source: S) => DeviceAction;
}

export interface TrackerDescriptor<S> extends Base<S> {
  platform: 'device_tracker';
  location: (source: S) => { latitude: number; longitude: number; gps_accuracy?: number; [key: string]: unknown } | null;
}

export interface UpdateState {
  installed_version: string | null;
  latest_version: string | null;
  in_progress: boolean;
  update_percentage: number | null;
}

export interface UpdateDescriptor<S> extends Base<S> {
  platform: 'update';
  value: (source: S) => UpdateState | null;
  install?: (source: S) => DeviceAction;
}

export type EntityDescriptor<S> =
  | SensorDescriptor<S>
  | BinarySensorDescriptor<S>
  | NumberDescriptor<S>
  | SelectDescriptor<S>
  | SwitchDescriptor<S>
  | ButtonDescriptor<S>
  | LockDescriptor<S>
  | CoverDescriptor<S>
  | ClimateDescriptor<S>
  | TrackerDescriptor<S>
  | UpdateDescriptor<S>;

/** Whether the descriptor accepts commands (has a /set topic). */
export function isControl<S>(descriptor: EntityDescriptor<S>): boolean {
  switch (descriptor.platform) {
    case 'sensor':
    case 'binary_sensor':
    case 'device_tracker':
      return false;
    case 'update':
      return descriptor.install !== undefined;
    default:
      return true;
  }
}

/**
 * Why a descriptor's command produced no Fleet call. `already_set` means the device is already in
 * the asked state (answered as success, like Tesla's own `already_set`); the others are failures.
 */
export type RefusalReason = 'already_set' | 'unsupported' | 'unknown_state' | 'invalid_value';

/**
 * Thrown by a descriptor's command builder (command, setMode, setTemperature, setPreset, install)
 * when there is nothing to send to Tesla: locking the charge cable, closing the frunk, an option
 * that is not offered, a homelink press with no known position. The command router catches it and
 * answers the command_result with `reason` and the message, without calling Tesla or waking the car.
 */
export class CommandRefused extends Error {
  override readonly name = 'CommandRefused';
  readonly reason: RefusalReason;

  constructor(reason: RefusalReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
