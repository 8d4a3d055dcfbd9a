import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { VehicleSource } from '../../src/model/sources.js';
import { BRIDGE_ENTITIES, ENERGY_SITE_ENTITIES, VEHICLE_ENTITIES, WALL_CONNECTOR_ENTITIES } from '../../src/model/tables.js';
import { DEMO_SITE_ID, DEMO_VIN } from '../../src/simulator/index.js';
import {
  bridgeSource,
  type Discovered,
  discover,
  emptySite,
  emptyVehicle,
  identity,
  type SimWorld,
  siteSource,
  startWorld,
  vehicleSource,
  wallConnectorSources,
} from './support.js';

const MINUTE = 60_000;
const CAR = identity('vehicle', DEMO_VIN, 'Demo Model 3');
const HOME = identity('energy_site', DEMO_SITE_ID, 'Demo Home');

function valid(discovered: Discovered, what: string): void {
  assert.deepEqual(discovered.problems, [], `${what}:\n${discovered.problems.join('\n')}`);
}

const keys = (discovered: Discovered): string[] => Object.keys(discovered.components);

/** A copy of the car's data with one vehicle_config fact changed. */
function withConfig(source: VehicleSource, patch: Record<string, unknown>): VehicleSource {
  const data = structuredClone(source.data ?? {});
  data.vehicle_config = { ...(data.vehicle_config as Record<string, unknown>), ...patch };
  return { ...source, data };
}

describe('Home Assistant discovery from the entity tables (demo world)', () => {
  let world: SimWorld;
  const car = {} as Record<'online' | 'driving' | 'charging' | 'asleep' | 'empty', VehicleSource>;

  before(async () => {
    world = await startWorld();
    car.online = await vehicleSource(world, DEMO_VIN);
    world.sim.world.runEvent({ at: '00:00', type: 'drive', duration: 1800, miles: 12, to: { lat: 37.45, lon: -122.15, name: 'Park' } });
    await world.clock.advance(10 * MINUTE);
    car.driving = await vehicleSource(world, DEMO_VIN);
    await world.clock.advance(25 * MINUTE);
    world.sim.world.runEvent({ at: '00:00', type: 'plug_in', charger: 'ac' });
    await world.clock.advance(MINUTE);
    car.charging = await vehicleSource(world, DEMO_VIN);
    // Asleep for hours: the poller keeps the last data and the free state call says asleep.
    world.sim.world.patchVehicle(DEMO_VIN, { pluggedIn: false, asleep: true });
    await world.clock.advance(5 * 60 * MINUTE);
    car.asleep = { ...car.charging, connection: 'asleep' };
    car.empty = emptyVehicle(DEMO_VIN);
  });

  after(() => world.close());

  it('is valid for the demo car in every state, and for a car never seen', () => {
    for (const [state, source] of Object.entries(car)) valid(discover(CAR, VEHICLE_ENTITIES, source), state);
    assert.equal((car.charging.data?.charge_state as Record<string, unknown>).charging_state, 'Charging');
    assert.equal((car.driving.data?.drive_state as Record<string, unknown>).shift_state, 'D');
  });

  it('is valid for the demo site, its Wall Connector and the bridge, with unique ids across all devices', async () => {
    const site = await siteSource(world, DEMO_SITE_ID);
    const connectors = wallConnectorSources(site);
    assert.equal(connectors.length, 1);
    const all = [
      discover(CAR, VEHICLE_ENTITIES, car.online),
      discover(HOME, ENERGY_SITE_ENTITIES, { ...site, totals: { solar_energy: 1.5 } }),
      ...connectors.map((wc) => discover(identity('wall_connector', wc.din, 'Wall Connector'), WALL_CONNECTOR_ENTITIES, wc)),
      discover(identity('bridge', 'bridge', 'teslahub'), BRIDGE_ENTITIES, bridgeSource()),
      discover(
        identity('bridge', 'bridge', 'teslahub'),
        BRIDGE_ENTITIES,
        bridgeSource({ lastPoll: undefined, tokenExpiry: undefined, accountConnected: false }),
      ),
    ];
    for (const discovered of all) valid(discovered, discovered.topic);
    const ids = all.slice(0, -1).flatMap((d) => Object.values(d.components).map((c) => c.unique_id as string));
    assert.equal(new Set(ids).size, ids.length, 'unique_ids repeat');
    const topics = all
      .slice(0, -1)
      .flatMap((d) => Object.values(d.components).map((c) => (c.state_topic ?? c.mode_state_topic ?? c.json_attributes_topic ?? c.command_topic) as string));
    assert.equal(new Set(topics).size, topics.length, 'state topics repeat');
    assert.ok(ids.includes(`teslahub_${DEMO_VIN}_battery_level`));
    assert.ok(ids.includes(`teslahub_${DEMO_SITE_ID}_backup_reserve`));
    // A site we know nothing about yet still makes a valid (small) device.
    valid(discover(HOME, ENERGY_SITE_ENTITIES, emptySite(DEMO_SITE_ID)), 'empty site');
  });

  it('creates rear seat heaters, third-row heaters and the sunroof only on cars that have them', () => {
    const model3 = keys(discover(CAR, VEHICLE_ENTITIES, car.online));
    assert.ok(model3.includes('seat_heater_rear_left') && model3.includes('seat_heater_rear_center') && model3.includes('seat_heater_rear_right'));
    assert.ok(!model3.includes('seat_heater_third_row_left') && !model3.includes('seat_heater_third_row_right'));
    assert.ok(!model3.includes('sunroof'));

    const noRear = keys(discover(CAR, VEHICLE_ENTITIES, withConfig(car.online, { rear_seat_heaters: 0 })));
    assert.ok(!noRear.some((key) => key.startsWith('seat_heater_rear')), 'no rear seat heaters on a car without them');
    assert.ok(noRear.includes('seat_heater_front_left'));

    const sevenSeats = keys(discover(CAR, VEHICLE_ENTITIES, withConfig(car.online, { third_row_seats: 'FuturisFoldFlat', sun_roof_installed: 2 })));
    assert.ok(sevenSeats.includes('seat_heater_third_row_left') && sevenSeats.includes('seat_heater_third_row_right'));
    assert.ok(sevenSeats.includes('sunroof'));

    const unknown = keys(discover(CAR, VEHICLE_ENTITIES, car.empty));
    assert.ok(!unknown.some((key) => key.startsWith('seat_heater_rear') || key.startsWith('seat_heater_third')), 'unknown config: only what every car has');
    assert.ok(unknown.includes('battery_level') && unknown.includes('climate') && unknown.includes('location'));
  });

  it('keeps the route tracker in discovery with or without a destination', () => {
    const driving = discover(CAR, VEHICLE_ENTITIES, car.driving);
    assert.equal(driving.components.route?.platform, 'device_tracker');
    assert.equal(discover(CAR, VEHICLE_ENTITIES, car.online).components.route?.platform, 'device_tracker');
    // The route sensors stay: they read unknown without a route instead of disappearing.
    assert.ok(keys(discover(CAR, VEHICLE_ENTITIES, car.online)).includes('distance_to_arrival'));
  });

  it('uses the car’s own limits for numbers and climate', () => {
    const c = discover(CAR, VEHICLE_ENTITIES, car.charging).components;
    assert.equal(c.charge_limit?.min, 50);
    assert.equal(c.charge_limit?.max, 100);
    assert.equal(c.charge_current?.max, 32, 'a public AC post offers 32 A');
    assert.equal(c.climate?.min_temp, 15);
    assert.equal(c.climate?.max_temp, 28);
    assert.deepEqual(c.climate?.preset_modes, ['off', 'keep', 'dog', 'camp']);
    assert.ok(Math.abs((c.media_volume?.max as number) - 31 / 3) < 1e-9, 'volume max on the thirds grid');
    const none = discover(CAR, VEHICLE_ENTITIES, car.empty).components;
    assert.equal(none.charge_current?.max, 32, 'Tesla’s default');
    assert.equal(none.media_volume?.max, 11);
  });
});

describe('energy-site discovery by what the site has', () => {
  it('leaves battery entities off a solar-only site and keeps them on a Powerwall site', async () => {
    const world = await startWorld({
      energySites: [
        { id: '1111', name: 'Solar Only', batteries: 0, solarKw: 5 },
        { id: '2222', name: 'Powerwall', batteries: 2, solarKw: 8, wallConnectors: [{}] },
        { id: '3333', name: 'Charger Only', batteries: 0, solarKw: 0, wallConnectors: [{}] },
      ],
    });
    try {
      const solar = await siteSource(world, '1111');
      const found = discover(identity('energy_site', '1111', 'Solar Only'), ENERGY_SITE_ENTITIES, { ...solar, totals: {} });
      valid(found, 'solar only');
      const present = keys(found);
      for (const key of [
        'backup_reserve',
        'off_grid_reserve',
        'operation_mode',
        'allow_export',
        'allow_charging_from_grid',
        'storm_watch',
        'battery_control',
      ]) {
        assert.ok(!present.includes(key), `${key} on a solar-only site`);
      }
      for (const key of ['backup_capable', 'storm_watch_active', 'battery_power', 'energy_left', 'island_status', 'battery_energy_charged'])
        assert.ok(!present.includes(key), key);
      for (const key of ['solar_power', 'grid_power', 'load_power', 'solar_energy', 'home_energy', 'grid_status', 'version'])
        assert.ok(present.includes(key), key);

      const powerwall = discover(identity('energy_site', '2222', 'Powerwall'), ENERGY_SITE_ENTITIES, await siteSource(world, '2222'));
      valid(powerwall, 'powerwall');
      for (const key of [
        'backup_reserve',
        'off_grid_reserve',
        'operation_mode',
        'allow_export',
        'allow_charging_from_grid',
        'storm_watch',
        'battery_control',
        'backup_capable',
        'grid_services_enabled',
      ]) {
        assert.ok(keys(powerwall).includes(key), key);
      }

      const charger = discover(identity('energy_site', '3333', 'Charger Only'), ENERGY_SITE_ENTITIES, await siteSource(world, '3333'));
      valid(charger, 'charger only');
      assert.ok(!keys(charger).some((key) => key.endsWith('_energy') || key.startsWith('battery')), keys(charger).join(', '));
    } finally {
      await world.close();
    }
  });

  it('decides battery controls from the products list before site_info arrives', () => {
    const site = { ...emptySite('4444'), summary: { components: { battery: true, solar: true } } };
    const found = keys(discover(identity('energy_site', '4444', 'Home'), ENERGY_SITE_ENTITIES, site));
    assert.ok(found.includes('backup_reserve') && found.includes('allow_export'), found.join(', '));
    assert.ok(!found.includes('battery_power'), 'live sensors wait for live_status');
  });
});
