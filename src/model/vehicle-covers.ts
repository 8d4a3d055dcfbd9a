import { CommandRefused, type CoverCommand, type CoverState } from './descriptors.js';
import { bool, num, str } from './read.js';
import type { VehicleSource } from './sources.js';
import { act, carPosition, CHARGING_SCOPES, COMMAND_SCOPES, field, numAt, type VehicleRow } from './vehicle-read.js';

/** Windows, charge port door, frunk, trunk and sunroof as covers. */

const WINDOW_FLAGS = ['fd_window', 'fp_window', 'rd_window', 'rp_window'] as const;

function openClosed(open: boolean | null): CoverState | null {
  return open === null ? null : open ? 'open' : 'closed';
}

/** Any window open is "open"; all four reported shut is "closed"; anything else is unknown. */
function windows(s: VehicleSource): CoverState | null {
  const flags = WINDOW_FLAGS.map((flag) => bool(field(s, `vehicle_state.${flag}`)));
  if (flags.some((open) => open === true)) return 'open';
  return flags.every((open) => open === false) ? 'closed' : null;
}

function unsupported(what: string, command: CoverCommand): never {
  throw new CommandRefused('unsupported', `the ${what} cannot ${command.toLowerCase()} remotely`);
}

function trunkCommand(command: CoverCommand, s: VehicleSource) {
  if (command === 'STOP') unsupported('trunk', command);
  const open = bool(field(s, 'vehicle_state.rt'));
  // actuate_trunk toggles the liftgate, so it is only sent when the trunk is known to be the other way.
  if (open === null) throw new CommandRefused('unknown_state', 'the trunk position is unknown; refresh the car first');
  if (open === (command === 'OPEN')) throw new CommandRefused('already_set', `the trunk is already ${open ? 'open' : 'closed'}`);
  return act('actuate_trunk', { which_trunk: 'rear' });
}

export const VEHICLE_COVER_ROWS: VehicleRow[] = [
  {
    platform: 'cover',
    key: 'vent_windows',
    name: 'Vent windows',
    scopes: COMMAND_SCOPES,
    deviceClass: 'window',
    supports: ['OPEN', 'CLOSE'],
    value: windows,
    // Cars other than the Model 3 platform want to know where the car is before closing windows.
    command: (command, s) => {
      if (command === 'STOP') unsupported('windows', command);
      const here = carPosition(s);
      return act('window_control', { command: command === 'OPEN' ? 'vent' : 'close', ...(here ? { lat: here.latitude, lon: here.longitude } : {}) });
    },
  },
  {
    platform: 'cover',
    key: 'charge_port_door',
    name: 'Charge port door',
    scopes: CHARGING_SCOPES,
    deviceClass: 'door',
    supports: ['OPEN', 'CLOSE'],
    value: (s) => openClosed(bool(field(s, 'charge_state.charge_port_door_open'))),
    command: (command) => {
      if (command === 'STOP') unsupported('charge port door', command);
      return act(command === 'OPEN' ? 'charge_port_door_open' : 'charge_port_door_close');
    },
  },
  {
    platform: 'cover',
    key: 'frunk',
    name: 'Frunk',
    scopes: COMMAND_SCOPES,
    deviceClass: 'door',
    // A frunk opens remotely but is closed by hand.
    supports: ['OPEN'],
    value: (s) => openClosed(bool(field(s, 'vehicle_state.ft'))),
    command: (command) => (command === 'OPEN' ? act('actuate_trunk', { which_trunk: 'front' }) : unsupported('frunk', command)),
  },
  {
    platform: 'cover',
    key: 'trunk',
    name: 'Trunk',
    scopes: COMMAND_SCOPES,
    deviceClass: 'door',
    supports: ['OPEN', 'CLOSE'],
    value: (s) => openClosed(bool(field(s, 'vehicle_state.rt'))),
    command: trunkCommand,
  },
  {
    platform: 'cover',
    key: 'sunroof',
    name: 'Sunroof',
    enabledByDefault: false,
    scopes: COMMAND_SCOPES,
    deviceClass: 'window',
    present: (s) => (num(field(s, 'vehicle_config.sun_roof_installed')) ?? 0) > 0,
    supports: ['OPEN', 'CLOSE', 'STOP'],
    // Vented counts as open: it is not shut.
    value: (s) => {
      const state = str(field(s, 'vehicle_state.sun_roof_state'));
      if (state === 'closed') return 'closed';
      return state === 'open' || state === 'vent' ? 'open' : null;
    },
    position: numAt('vehicle_state.sun_roof_percent_open'),
    command: (command) => act('sun_roof_control', { state: command === 'OPEN' ? 'vent' : command === 'CLOSE' ? 'close' : 'stop' }),
  },
];
