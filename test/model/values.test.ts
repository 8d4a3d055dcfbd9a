import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EntityDescriptor, EntityValue } from '../../src/model/descriptors.js';
import type { EnergySiteSource, VehicleSource } from '../../src/model/sources.js';
import { BRIDGE_ENTITIES, descriptorFor, ENERGY_SITE_ENTITIES, VEHICLE_ENTITIES, WALL_CONNECTOR_ENTITIES } from '../../src/model/tables.js';
import { entityStateMessages } from '../../src/mqtt/entity-state.js';
import { DEMO_SITE_ID, DEMO_VIN } from '../../src/simulator/index.js';
import {
  bridgeSource,
  emptySite,
  emptyVehicle,
  identity,
  type SimWorld,
  siteSource,
  startWorld,
  TOPICS,
  vehicleSource,
  wallConnectorSources,
} from './support.js';

const MINUTE = 60_000;

/** The plain reading of an entity (value, location, climate facets or update state). */
function read<S>(table: readonly EntityDescriptor<S>[], key: string, source: S): unknown {
  const d = table.find((row) => row.key === key);
  assert.ok(d, `no entity ${key}`);
  switch (d.platform) {
    case 'device_tracker':
      return d.location(source);
    case 'climate':
      return { mode: d.mode(source), current: d.currentTemperature(source), target: d.targetTemperature(source), preset: d.preset?.(source) ?? null };
    case 'button':
      return undefined;
    case 'cover':
      return d.value(source);
    default:
      return d.value(source) as EntityValue | object;
  }
}

const car = (key: string, source: VehicleSource): unknown => read(VEHICLE_ENTITIES, key, source);
const home = (key: string, source: EnergySiteSource): unknown => read(ENERGY_SITE_ENTITIES, key, source);
const section = (source: VehicleSource, name: string): Record<string, unknown> => source.data?.[name] as Record<string, unknown>;

describe('entity values from real simulator JSON', () => {
  let world: SimWorld;
  let parked: VehicleSource;

  before(async () => {
    world = await startWorld();
    parked = await vehicleSource(world, DEMO_VIN);
  });
  after(() => world.close());

  it('reads a parked demo car as Tesla reports it, in Tesla’s units', () => {
    const charge = section(parked, 'charge_state');
    const vehicle = section(parked, 'vehicle_state');
    const drive = section(parked, 'drive_state');
    assert.equal(car('battery_level', parked), charge.battery_level);
    assert.equal(car('battery_range', parked), charge.battery_range);
    assert.equal(car('charge_limit', parked), 80);
    assert.equal(car('charging', parked), 'disconnected');
    assert.equal(car('charge_cable', parked), null, 'Tesla’s <invalid> (no cable) reads as None');
    assert.equal(car('charge_cable_connected', parked), false);
    assert.equal(car('charge_cable_lock', parked), false);
    assert.equal(car('time_to_full_charge', parked), null, 'nothing to wait for');
    assert.equal(car('odometer', parked), vehicle.odometer, 'miles, not converted');
    assert.equal(car('tire_pressure_front_left', parked), vehicle.tpms_pressure_fl, 'bar');
    for (const door of ['front_driver_door', 'front_passenger_door', 'rear_driver_door', 'rear_passenger_door', 'front_driver_window'])
      assert.equal(car(door, parked), false, door);
    assert.equal(car('lock', parked), true);
    assert.equal(car('vent_windows', parked), 'closed');
    assert.equal(car('trunk', parked), 'closed');
    assert.equal(car('speed', parked), 0, 'parked: Tesla’s null speed is 0');
    assert.equal(car('shift_state', parked), 'p');
    assert.deepEqual(car('location', parked), { latitude: drive.latitude, longitude: drive.longitude });
    assert.equal(car('status', parked), true);
    assert.equal(car('vehicle_state', parked), 'online');
    assert.deepEqual(car('software_update', parked), {
      installed_version: '2025.44.25.1',
      latest_version: '2025.44.25.1',
      in_progress: false,
      update_percentage: null,
    });
    assert.deepEqual(car('climate', parked), {
      mode: 'off',
      current: section(parked, 'climate_state').inside_temp,
      target: section(parked, 'climate_state').driver_temp_setting,
      preset: 'off',
    });
    assert.equal(car('seat_heater_front_left', parked), 'off');
    assert.equal(car('media_source', parked), 'Spotify');
    const media = vehicle.media_info as { now_playing_duration: number; audio_volume: number };
    assert.equal(car('media_duration', parked), Math.round(media.now_playing_duration / 1000), 'seconds');
    assert.equal(car('media_volume', parked), media.audio_volume);
  });

  it('reads charging: the enum, the power, the latch and an end time from the data’s own time', async () => {
    world.sim.world.runEvent({ at: '00:00', type: 'plug_in', charger: 'home' });
    await world.clock.advance(MINUTE);
    const charging = await vehicleSource(world, DEMO_VIN);
    const charge = section(charging, 'charge_state');
    assert.equal(car('charging', charging), 'charging');
    assert.equal(car('vehicle_state', charging), 'charging');
    assert.equal(car('charger_power', charging), charge.charger_power);
    assert.ok((car('charger_power', charging) as number) > 5, 'kW');
    assert.equal(car('charge_cable_connected', charging), true);
    assert.equal(car('charge_cable_lock', charging), true);
    const minutes = charge.minutes_to_full_charge as number;
    assert.ok(minutes > 0);
    const expected = new Date(Math.round((world.clock.now() + minutes * MINUTE) / MINUTE) * MINUTE).toISOString();
    assert.equal(car('time_to_full_charge', charging), expected);
    // Read hours later (a sleeping car's kept data): the end time does not move with the clock.
    assert.equal(car('time_to_full_charge', { ...charging, connection: 'asleep' }), expected);
    assert.equal(car('vehicle_state', { ...charging, connection: 'asleep' }), 'asleep');
    assert.equal(car('status', { ...charging, connection: 'asleep' }), false);

    const home = wallConnectorSources(await siteSource(world, DEMO_SITE_ID))[0];
    assert.ok(home);
    assert.equal(read(WALL_CONNECTOR_ENTITIES, 'vehicle', home), DEMO_VIN);
    assert.equal(read(WALL_CONNECTOR_ENTITIES, 'power', home), home.live?.wall_connector_power);
    assert.ok((read(WALL_CONNECTOR_ENTITIES, 'power', home) as number) > 5000, 'W');
    assert.equal(read(WALL_CONNECTOR_ENTITIES, 'state', home), 1);
    world.sim.world.runEvent({ at: '00:00', type: 'unplug' });
  });

  it('reads driving: gear, speed, the route and its arrival time', async () => {
    world.sim.world.runEvent({ at: '00:00', type: 'drive', duration: 1800, miles: 12, to: { lat: 37.45, lon: -122.15, name: 'Park' } });
    await world.clock.advance(10 * MINUTE);
    const driving = await vehicleSource(world, DEMO_VIN);
    const drive = section(driving, 'drive_state');
    assert.equal(car('vehicle_state', driving), 'driving');
    assert.equal(car('shift_state', driving), 'd');
    assert.equal(car('speed', driving), drive.speed);
    assert.ok((car('speed', driving) as number) > 5, 'mph');
    assert.deepEqual(car('route', driving), { latitude: drive.active_route_latitude, longitude: drive.active_route_longitude, destination: 'Park' });
    assert.equal(car('distance_to_arrival', driving), drive.active_route_miles_to_arrival);
    const arrival = Date.parse(car('time_to_arrival', driving) as string);
    assert.ok(Math.abs(arrival - (world.clock.now() + 20 * MINUTE)) <= MINUTE, 'arrives in about 20 minutes');
    await world.clock.advance(25 * MINUTE);
  });

  it('reads the demo site’s flows, settings and grid state', async () => {
    const site = await siteSource(world, DEMO_SITE_ID);
    const live = site.live as Record<string, unknown>;
    for (const key of ['solar_power', 'battery_power', 'load_power', 'grid_power', 'energy_left', 'total_pack_energy', 'percentage_charged'])
      assert.equal(home(key, site), live[key], key);
    assert.ok((home('solar_power', site) as number) > 1000, 'W at noon');
    assert.equal(home('island_status', site), 'on_grid');
    assert.equal(home('grid_status', site), 'active');
    assert.equal(home('backup_reserve', site), 20);
    assert.equal(home('operation_mode', site), 'self_consumption');
    assert.equal(home('allow_export', site), 'battery_ok');
    assert.equal(home('allow_charging_from_grid', site), true);
    assert.equal(home('storm_watch', site), true);
    assert.equal(home('backup_capable', site), true);
    assert.equal(home('version', site), site.info?.version);
    assert.equal(home('battery_control', site), 'normal');
    assert.equal(home('solar_energy', site), null, 'no totals yet');
    assert.equal(home('solar_energy', { ...site, totals: { solar_energy: 12.25 } }), 12.25);

    world.sim.world.patchSite(DEMO_SITE_ID, { gridUp: false });
    const outage = await siteSource(world, DEMO_SITE_ID);
    assert.equal(home('grid_status', outage), 'inactive');
    assert.equal(home('island_status', outage), 'off_grid_unintentional');
    world.sim.world.patchSite(DEMO_SITE_ID, { gridUp: true });

    const wc = wallConnectorSources(outage)[0];
    assert.ok(wc);
    assert.equal(read(WALL_CONNECTOR_ENTITIES, 'vehicle', wc), 'disconnected', 'no car on the cable');
    assert.equal(read(WALL_CONNECTOR_ENTITIES, 'power', wc), 0);
    assert.equal(read(WALL_CONNECTOR_ENTITIES, 'state', wc), 2);
  });

  it('fills Tesla’s documented defaults only when site_info is there', () => {
    const info = { components: { battery: true, solar: true } };
    const site = { ...emptySite('9'), info };
    assert.equal(home('allow_export', site), 'never', 'absent rule = never');
    assert.equal(home('allow_charging_from_grid', site), true, 'absent disallow = allowed');
    assert.equal(
      home('allow_export', { ...site, info: { components: { customer_preferred_export_rule: 'sometimes' } } }),
      null,
      'a rule we do not know is unknown',
    );
    assert.equal(home('allow_export', emptySite('9')), null);
    assert.equal(home('allow_charging_from_grid', emptySite('9')), null);
  });

  it('reads the bridge: money, timestamps with a zone, the account', () => {
    const bridge = bridgeSource({ spendUsd: 1.23456, budgetUsd: 10, lastPoll: Date.UTC(2026, 5, 22, 19, 0, 5) });
    assert.equal(read(BRIDGE_ENTITIES, 'api_spend', bridge), 1.2346);
    assert.equal(read(BRIDGE_ENTITIES, 'budget_left', bridge), 8.7654);
    assert.equal(read(BRIDGE_ENTITIES, 'last_poll', bridge), '2026-06-22T19:00:05.000Z');
    assert.match(read(BRIDGE_ENTITIES, 'token_expiry', bridge) as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(read(BRIDGE_ENTITIES, 'account_connected', bridge), true);
    assert.equal(read(BRIDGE_ENTITIES, 'last_poll', bridgeSource({ lastPoll: undefined })), null);
  });
});

describe('unknown data', () => {
  /** Every state payload of a device; unknown must be "None" (or null inside JSON), never a made-up 0/OFF. */
  function payloads<S>(table: readonly EntityDescriptor<S>[], source: S, kind: 'vehicle' | 'energy_site' | 'wall_connector' | 'bridge'): [string, string][] {
    const device = identity(kind, 'X1', 'Device');
    return table.flatMap((d) => entityStateMessages(device, d, source, TOPICS));
  }

  function assertAllUnknown(messages: [string, string][]): void {
    assert.ok(messages.length > 0);
    for (const [topic, payload] of messages) {
      if (payload.startsWith('{')) {
        for (const [facet, value] of Object.entries(JSON.parse(payload) as Record<string, unknown>)) assert.equal(value, null, `${topic} ${facet}`);
      } else {
        assert.equal(payload, 'None', topic);
      }
    }
  }

  it('publishes None for a car, site, Wall Connector never heard from', () => {
    assertAllUnknown(payloads(VEHICLE_ENTITIES, emptyVehicle('X1'), 'vehicle'));
    assertAllUnknown(payloads(ENERGY_SITE_ENTITIES, emptySite('X1'), 'energy_site'));
    assertAllUnknown(
      payloads(
        WALL_CONNECTOR_ENTITIES,
        { kind: 'wall_connector', din: 'X1', siteId: '1', live: undefined, liveAt: undefined, info: undefined },
        'wall_connector',
      ),
    );
  });

  it('keeps a missing section unknown instead of parked or zero', () => {
    const noDrive: VehicleSource = { ...emptyVehicle('X1'), connection: 'online', data: { charge_state: { battery_level: 50 } }, dataAt: 0 };
    for (const key of ['speed', 'power', 'shift_state', 'inside_temperature', 'time_to_arrival', 'lock']) assert.equal(car(key, noDrive), null, key);
    assert.equal(car('battery_level', noDrive), 50);
    assert.equal(car('vehicle_state', noDrive), 'online');
    const weird: VehicleSource = { ...noDrive, data: { charge_state: { charging_state: 'Levitating', battery_level: 'lots' } } };
    assert.equal(car('charging', weird), null, 'a state Tesla adds later is unknown');
    assert.equal(car('battery_level', weird), null);
    assert.equal(descriptorFor('vehicle', 'charging')?.platform, 'sensor');
  });

  it('reports a software update on offer, and its progress while installing', () => {
    const vehicle_state = { car_version: '2025.44.25.1 6b0f0e2dc93a', software_update: { status: 'installing', version: '2026.2.1', install_perc: 42 } };
    const installing: VehicleSource = { ...emptyVehicle('X1'), connection: 'online', data: { vehicle_state }, dataAt: 0 };
    assert.deepEqual(car('software_update', installing), {
      installed_version: '2025.44.25.1',
      latest_version: '2026.2.1',
      in_progress: true,
      update_percentage: 42,
    });
    assert.equal(car('vehicle_state', installing), 'updating');
  });
});
