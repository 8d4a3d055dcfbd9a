import { num, text } from './read.js';
import type { VehicleSource } from './sources.js';
import { carPosition, field, hasSection, mapped, minutesAfterData, numAt, type VehicleRow } from './vehicle-read.js';

/** Driving, position and the navigation route: drive_state of vehicle_data (mph, kW, miles). */

const SHIFT_STATES: ReadonlyMap<string, string> = new Map([
  ['P', 'p'],
  ['D', 'd'],
  ['R', 'r'],
  ['N', 'n'],
]);

/**
 * Tesla leaves speed, power and gear out (null) while the car is parked. With a drive_state in
 * hand that null is a fact (0, park), not an unknown; without a drive_state it stays unknown.
 */
function parkedAs<T>(s: VehicleSource, value: T | null, parked: T): T | null {
  if (value !== null) return value;
  return hasSection(s, 'drive_state') ? parked : null;
}

function routePosition(s: VehicleSource): { latitude: number; longitude: number } | null {
  const latitude = num(field(s, 'drive_state.active_route_latitude'));
  const longitude = num(field(s, 'drive_state.active_route_longitude'));
  return latitude === null || longitude === null ? null : { latitude, longitude };
}

export const VEHICLE_DRIVE_ROWS: VehicleRow[] = [
  {
    platform: 'sensor',
    key: 'speed',
    name: 'Speed',
    enabledByDefault: false,
    deviceClass: 'speed',
    unit: 'mph',
    stateClass: 'measurement',
    value: (s) => parkedAs(s, num(field(s, 'drive_state.speed')), 0),
  },
  {
    platform: 'sensor',
    key: 'power',
    name: 'Power',
    enabledByDefault: false,
    category: 'diagnostic',
    deviceClass: 'power',
    unit: 'kW',
    stateClass: 'measurement',
    value: (s) => parkedAs(s, num(field(s, 'drive_state.power')), 0),
  },
  {
    platform: 'sensor',
    key: 'shift_state',
    name: 'Shift state',
    enabledByDefault: false,
    deviceClass: 'enum',
    options: [...SHIFT_STATES.values()],
    value: (s) => parkedAs(s, mapped(SHIFT_STATES, field(s, 'drive_state.shift_state')), 'p'),
  },
  {
    platform: 'sensor',
    key: 'odometer',
    name: 'Odometer',
    enabledByDefault: false,
    category: 'diagnostic',
    deviceClass: 'distance',
    unit: 'mi',
    stateClass: 'total_increasing',
    precision: 0,
    value: numAt('vehicle_state.odometer'),
  },
  {
    platform: 'sensor',
    key: 'distance_to_arrival',
    name: 'Distance to arrival',
    deviceClass: 'distance',
    unit: 'mi',
    stateClass: 'measurement',
    value: numAt('drive_state.active_route_miles_to_arrival'),
  },
  {
    platform: 'sensor',
    key: 'time_to_arrival',
    name: 'Time to arrival',
    deviceClass: 'timestamp',
    value: (s) => minutesAfterData(s, num(field(s, 'drive_state.active_route_minutes_to_arrival')), 'drive_state.active_route_minutes_to_arrival'),
  },
  {
    platform: 'sensor',
    key: 'traffic_delay',
    name: 'Traffic delay',
    enabledByDefault: false,
    deviceClass: 'duration',
    unit: 'min',
    stateClass: 'measurement',
    value: numAt('drive_state.active_route_traffic_minutes_delay'),
  },
  {
    platform: 'sensor',
    key: 'state_of_charge_at_arrival',
    name: 'State of charge at arrival',
    enabledByDefault: false,
    category: 'diagnostic',
    deviceClass: 'battery',
    unit: '%',
    stateClass: 'measurement',
    value: numAt('drive_state.active_route_energy_at_arrival'),
  },
  // Positions come only with the location_data endpoint and the vehicle_location scope.
  { platform: 'device_tracker', key: 'location', name: 'Location', location: carPosition },
  {
    platform: 'device_tracker',
    key: 'route',
    name: 'Route',
    // Always discovered, as Home Assistant's tesla_fleet has it: without a destination its
    // location is none (state unknown, attributes empty), never the last destination, which would
    // keep "arriving at Office" true for automations long after the trip.
    location: (s) => {
      const position = routePosition(s);
      return position && { ...position, destination: text(field(s, 'drive_state.active_route_destination')) };
    },
  },
];
