import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EntityDescriptor } from '../../src/model/descriptors.js';
import type { EnergySiteSource, VehicleSource, WallConnectorSource } from '../../src/model/sources.js';
import { ENERGY_SITE_ENTITIES, VEHICLE_ENTITIES, WALL_CONNECTOR_ENTITIES } from '../../src/model/tables.js';
import { displayValue } from '../../src/http/web/device-view.js';
import { entityStateMessages } from '../../src/mqtt/entity-state.js';
import { DEMO_SITE_ID, DEMO_VIN } from '../../src/simulator/index.js';
import { discover, identity, type SimWorld, siteSource, startWorld, TOPICS, vehicleSource, wallConnectorSources } from './support.js';

const MINUTE = 60_000;
const CAR = identity('vehicle', DEMO_VIN, 'Demo Model 3');
const HOME = identity('energy_site', DEMO_SITE_ID, 'Demo Home');

/** Tesla's ways of saying "nothing": none of them may reach a user as a value. */
const RAW_PLACEHOLDERS = ['<invalid>', '<unknown>', '', 'Unknown', 'unknown', 'SNA'];

/** Every string inside a payload (plain text, or the leaves of a JSON object). */
function strings(payload: string): string[] {
  if (!payload.startsWith('{') && !payload.startsWith('[')) return [payload];
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') out.push(node);
    else if (node !== null && typeof node === 'object') for (const value of Object.values(node)) walk(value);
  };
  walk(JSON.parse(payload) as unknown);
  return out;
}

/** `entity: "value"` for every published value of a device that is one of Tesla's placeholders. */
function placeholders<S>(device: ReturnType<typeof identity>, table: readonly EntityDescriptor<S>[], source: S): string[] {
  const found: string[] = [];
  for (const row of table) {
    for (const [topic, payload] of entityStateMessages(device, row, source, TOPICS)) {
      for (const value of strings(payload)) if (RAW_PLACEHOLDERS.includes(value)) found.push(`${row.key} (${topic}): ${JSON.stringify(value)}`);
      // The web page shows the same payload as text.
      const shown = displayValue(row as EntityDescriptor<unknown>, payload);
      if (RAW_PLACEHOLDERS.some((placeholder) => placeholder !== '' && shown.includes(placeholder) && placeholder.toLowerCase() !== 'unknown'))
        found.push(`${row.key} on the page: ${JSON.stringify(shown)}`);
    }
  }
  return found;
}

/** The car's data with every text field replaced by `placeholder`: what a car with nothing to say sends. */
function allText(source: VehicleSource, placeholder: string): VehicleSource {
  const replace = (node: unknown): unknown => {
    if (typeof node === 'string') return placeholder;
    if (Array.isArray(node)) return node.map(replace);
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, replace(value)]));
    return node;
  };
  return { ...source, data: replace(source.data) as Record<string, unknown> };
}

const keys = (components: Record<string, unknown>): string[] => Object.keys(components).sort();

describe('entities over the simulator’s states: stable and free of placeholders', () => {
  let world: SimWorld;
  const car = new Map<string, VehicleSource>();
  const sites = new Map<string, EnergySiteSource>();

  before(async () => {
    world = await startWorld();
    const { sim, clock } = world;
    const take = async (name: string): Promise<void> => {
      car.set(name, await vehicleSource(world, DEMO_VIN));
      sites.set(name, await siteSource(world, DEMO_SITE_ID));
    };
    await take('parked at home');
    sim.world.runEvent({ at: '00:00', type: 'drive', duration: 1800, miles: 12, to: { lat: 37.45, lon: -122.15, name: 'Park' } });
    await clock.advance(10 * MINUTE);
    await take('driving with a destination');
    await clock.advance(25 * MINUTE);
    await take('arrived, no destination');
    sim.world.runEvent({ at: '00:00', type: 'plug_in', charger: 'dc', kw: 150 });
    await clock.advance(2 * MINUTE);
    await take('DC fast charging');
    sim.world.runEvent({ at: '00:00', type: 'unplug' });
    sim.world.runEvent({ at: '00:00', type: 'drive', duration: 1200, miles: 9, to: 'home' });
    await clock.advance(25 * MINUTE);
    await take('home, unplugged');
    sim.world.runEvent({ at: '00:00', type: 'plug_in', charger: 'home' });
    await clock.advance(2 * MINUTE);
    await take('charging on the Wall Connector');
    sim.world.runEvent({ at: '00:00', type: 'software_update', version: '2099.1.1', download: 60 });
    await clock.advance(5 * MINUTE);
    await take('update waiting');
    sim.world.runEvent({ at: '00:00', type: 'grid_outage', duration: 3600 });
    await clock.advance(MINUTE);
    await take('grid outage');
    const last = car.get('grid outage');
    assert.ok(last);
    car.set('asleep with its last data', { ...last, connection: 'asleep' });
  });

  after(() => world.close());

  it('went through the states it claims to', () => {
    const charge = (name: string) => car.get(name)?.data?.charge_state as Record<string, unknown>;
    const drive = (name: string) => car.get(name)?.data?.drive_state as Record<string, unknown>;
    assert.equal(charge('DC fast charging').fast_charger_present, true);
    assert.equal(charge('charging on the Wall Connector').charging_state, 'Charging');
    assert.equal(charge('parked at home').conn_charge_cable, '<invalid>', 'the simulator speaks Tesla: a placeholder when nothing is plugged in');
    assert.equal(typeof drive('driving with a destination').active_route_latitude, 'number');
    assert.equal(drive('arrived, no destination').active_route_latitude, undefined);
  });

  it('publishes no raw placeholder for any entity in any state (MQTT and the page read the same messages)', () => {
    for (const [state, source] of car) assert.deepEqual(placeholders(CAR, VEHICLE_ENTITIES, source), [], `car ${state}`);
    for (const [state, site] of sites) {
      assert.deepEqual(placeholders(HOME, ENERGY_SITE_ENTITIES, site), [], `site ${state}`);
      for (const wc of wallConnectorSources(site))
        assert.deepEqual(placeholders(identity('wall_connector', wc.din, 'WC'), WALL_CONNECTOR_ENTITIES, wc), [], `Wall Connector ${state}`);
    }
  });

  it('turns placeholders in any text field into None, whatever field Tesla puts them in', () => {
    const source = car.get('update waiting');
    assert.ok(source);
    for (const placeholder of RAW_PLACEHOLDERS)
      assert.deepEqual(placeholders(CAR, VEHICLE_ENTITIES, allText(source, placeholder)), [], `every text "${placeholder}"`);
    const site = sites.get('parked at home');
    assert.ok(site);
    const wc = wallConnectorSources(site)[0] as WallConnectorSource;
    for (const placeholder of RAW_PLACEHOLDERS) {
      const blank: WallConnectorSource = { ...wc, live: { ...wc.live, vin: placeholder } };
      assert.deepEqual(placeholders(identity('wall_connector', wc.din, 'WC'), WALL_CONNECTOR_ENTITIES, blank), [], `Wall Connector vin "${placeholder}"`);
    }
  });

  it('keeps the same discovered entities for the car in every state, route included', () => {
    const reference = keys(discover(CAR, VEHICLE_ENTITIES, car.get('parked at home') as VehicleSource).components);
    assert.ok(reference.includes('route'), 'route is discovered without a destination');
    for (const [state, source] of car) assert.deepEqual(keys(discover(CAR, VEHICLE_ENTITIES, source).components), reference, `car ${state}`);
    // Entities a Model 3 cannot have stay out in every state.
    for (const absent of ['sunroof', 'seat_heater_third_row_left', 'seat_heater_third_row_right']) assert.ok(!reference.includes(absent), absent);
  });

  it('keeps the same discovered entities for the site and its Wall Connector in every state', () => {
    const first = sites.get('parked at home') as EnergySiteSource;
    const siteKeys = keys(discover(HOME, ENERGY_SITE_ENTITIES, first).components);
    const wcKeys = keys(
      discover(identity('wall_connector', 'x', 'WC'), WALL_CONNECTOR_ENTITIES, wallConnectorSources(first)[0] as WallConnectorSource).components,
    );
    for (const [state, site] of sites) {
      assert.deepEqual(keys(discover(HOME, ENERGY_SITE_ENTITIES, site).components), siteKeys, `site ${state}`);
      for (const wc of wallConnectorSources(site))
        assert.deepEqual(keys(discover(identity('wall_connector', 'x', 'WC'), WALL_CONNECTOR_ENTITIES, wc).components), wcKeys, `Wall Connector ${state}`);
    }
  });

  it('publishes the route with no destination as unknown with empty attributes, and the destination while navigating', () => {
    const route = VEHICLE_ENTITIES.find((row) => row.key === 'route');
    assert.ok(route);
    const messages = (state: string) => entityStateMessages(CAR, route, car.get(state) as VehicleSource, TOPICS);
    assert.deepEqual(messages('arrived, no destination'), [[TOPICS.attributes('vehicle', DEMO_VIN, 'route'), '{}']]);
    const [[, navigating] = ['', '']] = messages('driving with a destination');
    assert.equal((JSON.parse(navigating) as Record<string, unknown>).destination, 'Park');
  });
});
