import { CommandRefused, type UpdateState } from './descriptors.js';
import { num, str, text } from './read.js';
import type { VehicleSource } from './sources.js';
import { act, COMMAND_SCOPES, field, type VehicleRow } from './vehicle-read.js';

/** Whether the car is reachable, what it is doing, and its software. */

export const VEHICLE_STATES = ['online', 'asleep', 'offline', 'driving', 'charging', 'updating'] as const;
export type VehicleActivity = (typeof VEHICLE_STATES)[number];

const MOVING_GEARS = new Set(['D', 'R', 'N']);
const CHARGING = new Set(['Charging', 'Starting']);

/**
 * One word for the car, TeslaMate style. A sleeping or offline car says so whatever its last data
 * showed (that data is from before it slept); an online one says what the data shows it doing.
 */
export function vehicleActivity(s: VehicleSource): VehicleActivity | null {
  if (s.connection === 'asleep' || s.connection === 'offline') return s.connection;
  if (s.connection !== 'online') return null;
  if (str(field(s, 'vehicle_state.software_update.status')) === 'installing') return 'updating';
  const gear = str(field(s, 'drive_state.shift_state'));
  const speed = num(field(s, 'drive_state.speed'));
  if ((gear !== null && MOVING_GEARS.has(gear)) || (speed !== null && speed > 0)) return 'driving';
  const charging = str(field(s, 'charge_state.charging_state'));
  if (charging !== null && CHARGING.has(charging)) return 'charging';
  return 'online';
}

/** Statuses in which schedule_software_update has something to install. */
const INSTALLABLE = new Set(['available', 'scheduled']);

function software(s: VehicleSource): UpdateState | null {
  // car_version is "2025.44.25.1 6b0f0e2dc93a": the version, then the build hash.
  const installed = text(field(s, 'vehicle_state.car_version'))?.trim().split(' ')[0] ?? '';
  if (installed === '') return null;
  const offered = text(field(s, 'vehicle_state.software_update.version'))?.trim() ?? '';
  const status = str(field(s, 'vehicle_state.software_update.status')) ?? '';
  return {
    installed_version: installed,
    // No update offered means up to date, which Home Assistant reads from equal versions.
    latest_version: offered === '' ? installed : offered,
    in_progress: status === 'scheduled' || status === 'installing',
    update_percentage: status === 'installing' ? num(field(s, 'vehicle_state.software_update.install_perc')) : null,
  };
}

export const VEHICLE_STATUS_ROWS: VehicleRow[] = [
  {
    platform: 'binary_sensor',
    key: 'status',
    name: 'Status',
    deviceClass: 'connectivity',
    value: (s) => (s.connection === 'unknown' ? null : s.connection === 'online'),
  },
  { platform: 'sensor', key: 'vehicle_state', name: 'State', deviceClass: 'enum', options: VEHICLE_STATES, value: vehicleActivity },
  {
    platform: 'update',
    key: 'software_update',
    name: 'Software update',
    scopes: COMMAND_SCOPES,
    value: software,
    install: (s) => {
      const status = str(field(s, 'vehicle_state.software_update.status')) ?? '';
      if (!INSTALLABLE.has(status)) {
        throw new CommandRefused(
          'unsupported',
          status === '' ? 'no software update is waiting to be installed' : `the software update is ${status}, not ready to install`,
        );
      }
      return act('schedule_software_update', { offset_sec: 0 });
    },
  },
];
