import { CommandRefused } from './descriptors.js';
import { bool, num, str } from './read.js';
import { act, boolAt, CHARGING_SCOPES, COMMAND_SCOPES, field, numAt, type VehicleRow } from './vehicle-read.js';

/** Charging controls, sentry mode and the locks. */

/** Tesla's defaults when the car leaves its limits out. */
const DEFAULT_MAX_AMPS = 32;
const DEFAULT_MIN_LIMIT = 50;
const DEFAULT_MAX_LIMIT = 100;

export const VEHICLE_CONTROL_ROWS: VehicleRow[] = [
  {
    platform: 'number',
    key: 'charge_current',
    name: 'Charge current',
    scopes: CHARGING_SCOPES,
    deviceClass: 'current',
    unit: 'A',
    min: 0,
    // A car reporting 0 (no charger) would make an empty range, which Home Assistant rejects.
    max: (s) => Math.max(1, num(field(s, 'charge_state.charge_current_request_max')) ?? DEFAULT_MAX_AMPS),
    step: 1,
    mode: 'box',
    value: numAt('charge_state.charge_current_request'),
    command: (amps) => act('set_charging_amps', { charging_amps: Math.round(amps) }),
  },
  {
    platform: 'number',
    key: 'charge_limit',
    name: 'Charge limit',
    scopes: CHARGING_SCOPES,
    deviceClass: 'battery',
    unit: '%',
    min: (s) => num(field(s, 'charge_state.charge_limit_soc_min')) ?? DEFAULT_MIN_LIMIT,
    max: (s) => num(field(s, 'charge_state.charge_limit_soc_max')) ?? DEFAULT_MAX_LIMIT,
    step: 1,
    mode: 'slider',
    value: numAt('charge_state.charge_limit_soc'),
    command: (percent) => act('set_charge_limit', { percent: Math.round(percent) }),
  },
  {
    platform: 'switch',
    key: 'charge',
    name: 'Charge',
    scopes: CHARGING_SCOPES,
    // The user's own request when the car has one; older firmware only has the combined flag.
    value: (s) => bool(field(s, 'charge_state.user_charge_enable_request')) ?? bool(field(s, 'charge_state.charge_enable_request')),
    command: (on) => act(on ? 'charge_start' : 'charge_stop'),
  },
  {
    platform: 'switch',
    key: 'sentry_mode',
    name: 'Sentry mode',
    scopes: COMMAND_SCOPES,
    value: boolAt('vehicle_state.sentry_mode'),
    command: (on) => act('set_sentry_mode', { on }),
  },
  {
    platform: 'lock',
    key: 'lock',
    name: 'Lock',
    scopes: COMMAND_SCOPES,
    value: boolAt('vehicle_state.locked'),
    command: (lock) => act(lock ? 'door_lock' : 'door_unlock'),
  },
  {
    platform: 'lock',
    key: 'charge_cable_lock',
    name: 'Charge cable lock',
    scopes: CHARGING_SCOPES,
    value: (s) => {
      const latch = str(field(s, 'charge_state.charge_port_latch'));
      return latch === null ? null : latch === 'Engaged';
    },
    // Unlocking is opening the charge port, which releases the latch. Locking has no Fleet call:
    // the latch engages by itself when a cable goes in, so the router gets a refusal to report.
    command: (lock) => {
      if (lock) throw new CommandRefused('unsupported', 'the charge cable locks by itself when it is plugged in; only unlocking can be asked for');
      return act('charge_port_door_open');
    },
  },
];
