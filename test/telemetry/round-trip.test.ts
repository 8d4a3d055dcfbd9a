import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EntityDescriptor } from '../../src/model/descriptors.js';
import type { VehicleSource } from '../../src/model/sources.js';
import { VEHICLE_ENTITIES } from '../../src/model/vehicle-table.js';
import { DEMO_VIN } from '../../src/simulator/index.js';
import { carFieldValues } from '../../src/simulator/telemetry/car-fields.js';
import { DEFAULT_FIELDS, HEARTBEAT_FIELDS, OPTIONAL_FIELDS } from '../../src/telemetry/default-fields.js';
import { FIELD_RULES } from '../../src/telemetry/field-map.js';
import { type SimWorld, startWorld, vehicleSource } from '../model/support.js';
import { pathsRead, streamedSource } from './support.js';

type Row = EntityDescriptor<VehicleSource>;

/** What an entity shows, whatever its platform (buttons show nothing). */
function shown(row: Row, s: VehicleSource): unknown {
  switch (row.platform) {
    case 'button':
      return undefined;
    case 'climate':
      return [row.currentTemperature(s), row.targetTemperature(s), row.mode(s), row.preset?.(s) ?? null];
    case 'device_tracker':
      return row.location(s);
    case 'cover':
      return [row.value(s), row.position?.(s) ?? null];
    default:
      return row.value(s);
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Equal, or numbers within rounding (vehicle_data rounds some values the stream sends exactly), or times within two minutes. */
function close(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= Math.max(1, 0.02 * Math.abs(a));
  if (typeof a === 'string' && typeof b === 'string' && ISO.test(a) && ISO.test(b)) return Math.abs(Date.parse(a) - Date.parse(b)) <= 120_000;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => close(item, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => close((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return a === b;
}

const STREAMED_PATHS = new Set(Object.values(FIELD_RULES).flatMap((rule) => rule?.paths ?? []));
/**
 * Written for the polling policy, kept because vehicle_data has them too, or read by an entity only
 * in a state the parked demo car is not in (a route's name while navigating, the install progress).
 */
const NOT_ENTITY_PATHS = new Set([
  'charge_state.energy_remaining',
  'charge_state.time_to_full_charge',
  'charge_state.fast_charger_present',
  'drive_state.heading',
  'drive_state.active_route_destination',
  'vehicle_state.software_update.install_perc',
  'vehicle_state.software_update.download_perc',
  'vehicle_state.valet_mode',
]);

describe('a streamed car shows the same entities as a polled one (simulator car, both paths)', () => {
  let world: SimWorld;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  async function compare(label: string): Promise<{ compared: string[]; skipped: string[] }> {
    world.sim.world.advanceTo();
    const polled = await vehicleSource(world, DEMO_VIN);
    const now = world.clock.now();
    const car = world.sim.world.requireVehicle(DEMO_VIN);
    // Any arrival order: the dispatcher publishes the values of one record in no particular order.
    const names = Object.keys(DEFAULT_FIELDS).reverse();
    const streamed = streamedSource(DEMO_VIN, carFieldValues(car, now), now, names);
    const compared: string[] = [];
    const skipped: string[] = [];
    for (const row of VEHICLE_ENTITIES as readonly Row[]) {
      if (row.platform === 'button') continue;
      const read = pathsRead(polled.data ?? {}, (data) => void shown(row, { ...polled, data }));
      const leaves = [...read].filter((path) => ![...read].some((other) => other.startsWith(`${path}.`)));
      if (leaves.length === 0 || !leaves.every((path) => STREAMED_PATHS.has(path))) {
        skipped.push(row.key);
        continue;
      }
      compared.push(row.key);
      const fromPoll = shown(row, polled);
      const fromStream = shown(row, streamed);
      assert.ok(close(fromPoll, fromStream), `${label}: ${row.key} polled ${JSON.stringify(fromPoll)} but streamed ${JSON.stringify(fromStream)}`);
    }
    return { compared, skipped };
  }

  it('parked at home and charging from the Wall Connector', async () => {
    world.sim.world.patchVehicle(DEMO_VIN, { pluggedIn: 'home', batteryLevel: 48, chargeLimit: 90, asleep: false });
    await world.clock.advance(10 * 60_000);
    const { compared } = await compare('AC charging');
    for (const key of [
      'battery_level',
      'charger_power',
      'charging',
      'charge_limit',
      'charger_current',
      'charger_voltage',
      'charge_cable',
      'charge_cable_connected',
      'time_to_full_charge',
      'battery_range',
      'charge_port_door',
      'charge_energy_added',
    ]) {
      assert.ok(compared.includes(key), `${key} is compared`);
    }
  });

  it('fast charging', async () => {
    world.sim.world.patchVehicle(DEMO_VIN, { pluggedIn: 'dc', batteryLevel: 30, chargeLimit: 80 });
    await world.clock.advance(5 * 60_000);
    const { compared } = await compare('DC charging');
    assert.ok(compared.includes('charger_power') && compared.includes('fast_charger_type'));
  });

  it('driving to a destination', async () => {
    world.sim.world.patchVehicle(DEMO_VIN, { pluggedIn: false });
    world.sim.world.runEvent({
      type: 'drive',
      at: new Date(world.clock.now()).toISOString(),
      duration: 1800,
      miles: 18,
      to: { name: 'Office', lat: 37.45, lon: -122.2 },
      vehicle: DEMO_VIN,
    });
    await world.clock.advance(9 * 60_000);
    const { compared } = await compare('driving');
    for (const key of ['speed', 'shift_state', 'location', 'route', 'odometer', 'distance_to_arrival', 'time_to_arrival'])
      assert.ok(compared.includes(key), `${key} is compared`);
  });

  it('parked with the climate on, a door and a window open, sentry armed, unlocked', async () => {
    await world.clock.advance(60 * 60_000);
    world.sim.world.patchVehicle(DEMO_VIN, {
      climateOn: true,
      doors: { pf: true, rt: true },
      windows: { rd: true },
      sentry: true,
      locked: false,
      userPresent: true,
    });
    await world.clock.advance(60_000);
    const { compared, skipped } = await compare('parked, open');
    for (const key of ['climate', 'inside_temperature', 'front_passenger_door', 'trunk', 'rear_driver_window', 'sentry_mode', 'lock', 'user_present']) {
      assert.ok(compared.includes(key), `${key} is compared`);
    }
    // Most entities have a streamed equivalent; the rest stay with polling (and are listed here when they change).
    assert.ok(compared.length >= 55, `compared ${compared.length}, not compared: ${skipped.join(', ')}`);
  });
});

describe('the default field set', () => {
  it('covers every field teslahub can show, leaves out only the optional ones, and carries the heartbeat', () => {
    assert.deepEqual([...Object.keys(DEFAULT_FIELDS), ...OPTIONAL_FIELDS].sort(), Object.keys(FIELD_RULES).sort());
    for (const name of OPTIONAL_FIELDS) {
      // The update's status also follows from the version and the install progress, which are in the set.
      const paths = (FIELD_RULES[name]?.paths ?? []).filter((path) => path !== 'vehicle_state.software_update.status');
      for (const path of paths)
        assert.ok(NOT_ENTITY_PATHS.has(path) || path.startsWith('vehicle_state.tpms_hard_warning'), `${name} writes ${path}, which an entity shows`);
    }
    for (const name of HEARTBEAT_FIELDS) assert.ok(name in DEFAULT_FIELDS, name);
  });

  it('writes only paths an entity shows (or the polling policy reads)', async () => {
    const world = await startWorld();
    try {
      const polled = await vehicleSource(world, DEMO_VIN);
      const read = new Set<string>();
      for (const row of VEHICLE_ENTITIES as readonly Row[]) {
        for (const path of pathsRead(polled.data ?? {}, (data) => void shown(row, { ...polled, data }))) read.add(path);
        if (row.platform === 'sensor' && row.attributes)
          for (const path of pathsRead(polled.data ?? {}, (data) => void row.attributes?.({ ...polled, data }))) read.add(path);
        if (row.platform === 'number') {
          const { min, max } = row;
          for (const bound of [min, max])
            if (typeof bound === 'function') for (const path of pathsRead(polled.data ?? {}, (data) => void bound({ ...polled, data }))) read.add(path);
        }
      }
      const unread = [...STREAMED_PATHS].filter(
        (path) => !read.has(path) && !NOT_ENTITY_PATHS.has(path) && !path.startsWith('vehicle_state.tpms_hard_warning'),
      );
      assert.deepEqual(unread, []);
    } finally {
      await world.close();
    }
  });
});
