import { num, text } from './read.js';
import type { VehicleSource } from './sources.js';
import { boolAt, field, mapped, minutesAfterData, numAt, textAt, valueTime, type VehicleRow } from './vehicle-read.js';

/** Battery, range and charging: charge_state of vehicle_data (kW, kWh, V, A, miles, mph). */

const CHARGING_STATES: ReadonlyMap<string, string> = new Map([
  ['Starting', 'starting'],
  ['Charging', 'charging'],
  ['Stopped', 'stopped'],
  ['Complete', 'complete'],
  ['Disconnected', 'disconnected'],
  ['NoPower', 'no_power'],
]);

export const VEHICLE_CHARGE_ROWS: VehicleRow[] = [
  {
    platform: 'sensor',
    key: 'charging',
    name: 'Charging',
    deviceClass: 'enum',
    options: [...CHARGING_STATES.values()],
    value: (s) => mapped(CHARGING_STATES, field(s, 'charge_state.charging_state')),
  },
  {
    platform: 'sensor',
    key: 'battery_level',
    name: 'Battery level',
    deviceClass: 'battery',
    unit: '%',
    stateClass: 'measurement',
    value: (s) => shownEstimate(s)?.level ?? numAt('charge_state.battery_level')(s),
    attributes: (s) => {
      const estimate = shownEstimate(s);
      if (estimate) return { estimated: true, last_reading: estimate.lastReading, last_reading_at: new Date(estimate.lastReadingAt).toISOString() };
      // A reading: not estimated. Nothing known yet: no attributes either.
      return numAt('charge_state.battery_level')(s) === null ? undefined : { estimated: false };
    },
  },
  {
    platform: 'sensor',
    key: 'usable_battery_level',
    name: 'Usable battery level',
    enabledByDefault: false,
    deviceClass: 'battery',
    unit: '%',
    stateClass: 'measurement',
    value: numAt('charge_state.usable_battery_level'),
  },
  {
    platform: 'sensor',
    key: 'charge_energy_added',
    name: 'Charge energy added',
    deviceClass: 'energy',
    unit: 'kWh',
    stateClass: 'total_increasing',
    precision: 1,
    value: numAt('charge_state.charge_energy_added'),
  },
  { platform: 'sensor', key: 'charger_power', name: 'Charger power', deviceClass: 'power', unit: 'kW', stateClass: 'measurement', value: chargerPower },
  {
    platform: 'sensor',
    key: 'charger_voltage',
    name: 'Charger voltage',
    category: 'diagnostic',
    deviceClass: 'voltage',
    unit: 'V',
    stateClass: 'measurement',
    value: numAt('charge_state.charger_voltage'),
  },
  {
    platform: 'sensor',
    key: 'charger_current',
    name: 'Charger current',
    category: 'diagnostic',
    deviceClass: 'current',
    unit: 'A',
    stateClass: 'measurement',
    value: numAt('charge_state.charger_actual_current'),
  },
  {
    platform: 'sensor',
    key: 'charge_rate',
    name: 'Charge rate',
    category: 'diagnostic',
    deviceClass: 'speed',
    unit: 'mph',
    stateClass: 'measurement',
    value: numAt('charge_state.charge_rate'),
  },
  // Tesla says `<invalid>` when no cable is in and no fast charger is there: that reads as unknown (None).
  {
    platform: 'sensor',
    key: 'charge_cable',
    name: 'Charge cable',
    enabledByDefault: false,
    category: 'diagnostic',
    value: textAt('charge_state.conn_charge_cable'),
  },
  {
    platform: 'sensor',
    key: 'fast_charger_type',
    name: 'Fast charger type',
    enabledByDefault: false,
    category: 'diagnostic',
    value: textAt('charge_state.fast_charger_type'),
  },
  {
    platform: 'sensor',
    key: 'battery_range',
    name: 'Battery range',
    deviceClass: 'distance',
    unit: 'mi',
    stateClass: 'measurement',
    value: numAt('charge_state.battery_range'),
  },
  {
    platform: 'sensor',
    key: 'estimate_battery_range',
    name: 'Estimate battery range',
    enabledByDefault: false,
    deviceClass: 'distance',
    unit: 'mi',
    stateClass: 'measurement',
    value: numAt('charge_state.est_battery_range'),
  },
  {
    platform: 'sensor',
    key: 'ideal_battery_range',
    name: 'Ideal battery range',
    enabledByDefault: false,
    deviceClass: 'distance',
    unit: 'mi',
    stateClass: 'measurement',
    value: numAt('charge_state.ideal_battery_range'),
  },
  {
    platform: 'sensor',
    key: 'time_to_full_charge',
    name: 'Time to full charge',
    category: 'diagnostic',
    deviceClass: 'timestamp',
    // Tesla says 0 when there is nothing to wait for: no end time then, rather than "now".
    value: (s) => {
      const minutes = num(field(s, 'charge_state.minutes_to_full_charge'));
      return minutes !== null && minutes > 0 ? minutesAfterData(s, minutes, 'charge_state.minutes_to_full_charge') : null;
    },
  },
  {
    platform: 'binary_sensor',
    key: 'charge_cable_connected',
    name: 'Charge cable',
    category: 'diagnostic',
    deviceClass: 'connectivity',
    // A placeholder (`<invalid>`, empty) is Tesla's "no cable"; a missing field is unknown.
    value: (s) => {
      const cable = field(s, 'charge_state.conn_charge_cable');
      return typeof cable === 'string' ? text(cable) !== null : null;
    },
  },
  {
    platform: 'binary_sensor',
    key: 'charger_has_multiple_phases',
    name: 'Charger has multiple phases',
    enabledByDefault: false,
    // Tesla sends null phases when no AC charger is supplying power: then it is unknown.
    value: (s) => {
      const phases = num(field(s, 'charge_state.charger_phases'));
      return phases === null ? null : phases > 1;
    },
  },
  {
    platform: 'binary_sensor',
    key: 'battery_heater',
    name: 'Battery heater',
    enabledByDefault: false,
    category: 'diagnostic',
    deviceClass: 'heat',
    value: boolAt('charge_state.battery_heater_on'),
  },
  {
    platform: 'binary_sensor',
    key: 'preconditioning_enabled',
    name: 'Preconditioning enabled',
    enabledByDefault: false,
    category: 'diagnostic',
    value: boolAt('charge_state.preconditioning_enabled'),
  },
  {
    platform: 'binary_sensor',
    key: 'scheduled_charging_pending',
    name: 'Scheduled charging pending',
    enabledByDefault: false,
    category: 'diagnostic',
    value: boolAt('charge_state.scheduled_charging_pending'),
  },
  {
    platform: 'binary_sensor',
    key: 'trip_charging',
    name: 'Trip charging',
    enabledByDefault: false,
    category: 'diagnostic',
    value: boolAt('charge_state.trip_charging'),
  },
];

/**
 * Charging power: from vehicle_data, or from the home Wall Connector when its reading (free, every
 * minute) is newer. A fresh value published from there is fresh data, not an estimate.
 */
function chargerPower(source: VehicleSource): number | null {
  const wc = source.wallConnector;
  const read = valueTime(source, 'charge_state.charger_power');
  if (wc && (read === undefined || wc.at > read)) return Math.round(wc.powerW / 100) / 10;
  return numAt('charge_state.charger_power')(source);
}

/**
 * The battery estimate while the car charges at home between readings (poller/battery-estimate.ts),
 * unless a newer real value came since (a streamed one): a real reading always wins.
 */
function shownEstimate(s: VehicleSource): NonNullable<VehicleSource['batteryEstimate']> | undefined {
  const estimate = s.batteryEstimate;
  if (!estimate) return undefined;
  const read = valueTime(s, 'charge_state.battery_level');
  return read === undefined || read <= estimate.lastReadingAt ? estimate : undefined;
}
