import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { ENTITY_TABLES } from '../../src/model/tables.js';
import { DEMO_SITE_ID, DEMO_VIN } from '../../src/simulator/index.js';
import { startEntityWorld, type EntityWorld } from '../support/entity-world.js';
import { validateDeviceDiscovery } from '../support/ha-discovery-rules.js';
import { MqttProbe, type ReceivedMessage } from '../support/mqtt-probe.js';
import { waitUntil } from '../support/net.js';

const V = `teslahub/vehicle/${DEMO_VIN}`;
const S = `teslahub/energy_site/${DEMO_SITE_ID}`;

interface Result {
  type: string;
  device: string;
  entity: string;
  value: unknown;
  ok: boolean;
  error?: string;
}

describe('entities over MQTT with Home Assistant discovery (real Mosquitto, simulator)', () => {
  let w: EntityWorld;
  before(async () => {
    w = await startEntityWorld();
    // A car that is awake, so its data arrives with the first poll.
    w.world.sim.world.patchVehicle(DEMO_VIN, { asleep: false, userPresent: true });
    w.world.daemon.bus.emit('device.refresh', { kind: 'vehicle', id: DEMO_VIN, reason: 'test' });
  });
  after(() => w.close());

  function results(since: number): Result[] {
    return w.probe.messages
      .slice(since)
      .filter((m) => m.topic === 'teslahub/bridge/event')
      .map((m) => JSON.parse(m.payload) as Result)
      .filter((e) => e.type === 'command_result');
  }

  async function command(topic: string, payload: string, timeoutMs = 15_000): Promise<Result> {
    const mark = w.probe.mark;
    await w.probe.publish(`${topic}/set`, payload);
    assert.ok(await waitUntil(() => results(mark).length > 0, timeoutMs), `no command_result for ${topic} = ${payload}`);
    const [result, ...more] = results(mark);
    assert.equal(more.length, 0, 'exactly one result per command');
    return result as Result;
  }

  function discovery(): Map<string, Record<string, unknown>> {
    const configs = new Map<string, Record<string, unknown>>();
    for (const message of w.probe.messages) {
      if (!/^homeassistant\/device\/.+\/config$/.test(message.topic)) continue;
      if (message.payload === '') configs.delete(message.topic);
      else configs.set(message.topic, JSON.parse(message.payload) as Record<string, unknown>);
    }
    return configs;
  }

  it('publishes valid retained discovery for the car, the site, its Wall Connector and the bridge', async () => {
    assert.ok(
      await waitUntil(
        () => discovery().size >= 4 && w.probe.last(`${V}/battery_level`)?.payload !== undefined && w.probe.last(`${V}/battery_level`)?.payload !== 'None',
        15_000,
      ),
      `discovery: ${[...discovery().keys()].join(', ')}`,
    );
    const configs = discovery();
    const problems = [...configs].flatMap(([topic, payload]) => validateDeviceDiscovery(topic, payload));
    assert.deepEqual(problems, []);
    const uniqueIds = [...configs.values()].flatMap((config) =>
      Object.values(config.components as Record<string, { unique_id: string }>).map((c) => c.unique_id),
    );
    assert.equal(new Set(uniqueIds).size, uniqueIds.length, 'unique ids are unique across devices');
    // Every row of every table whose device has it is in that device's discovery.
    const registry = w.world.daemon.registry;
    // Discovery follows the data: new data may still be on its way, so allow it a moment.
    const mismatch = (id: string, rows: readonly { key: string; present?: (s: never) => boolean }[], source: unknown): string[] => {
      const config = discovery().get(`homeassistant/device/teslahub_${id}/config`);
      if (!config) return [`no discovery for ${id}`];
      const keys = Object.keys(config.components as Record<string, unknown>);
      const wanted = rows.filter((row) => !row.present || row.present(source as never)).map((row) => row.key);
      return [
        ...wanted.filter((key) => !keys.includes(key)).map((key) => `${id}: row ${key} missing`),
        ...keys.filter((key) => !rows.some((row) => row.key === key)).map((key) => `${id}: component ${key} has no row`),
      ];
    };
    const problems2 = (): string[] => [
      ...mismatch(DEMO_VIN, ENTITY_TABLES.vehicle, registry.vehicle(DEMO_VIN)),
      ...mismatch(DEMO_SITE_ID, ENTITY_TABLES.energy_site, registry.site(DEMO_SITE_ID)),
      ...registry.wallConnectors().flatMap((connector) => mismatch(connector.din, ENTITY_TABLES.wall_connector, connector)),
    ];
    await waitUntil(() => problems2().length === 0, 5_000);
    assert.deepEqual(problems2(), []);
    const kinds = [...configs.values()].map((config) => ((config.availability as { topic: string }[])[1]?.topic ?? 'bridge').split('/')[1]);
    for (const kind of ['vehicle', 'energy_site', 'wall_connector']) assert.ok(kinds.includes(kind), `a ${kind} device in ${kinds.join(', ')}`);
    // Live deliveries carry no retain flag; a late subscriber gets the retained configs.
    const late = await MqttProbe.connect(w.broker.url, ['homeassistant/device/+/config']);
    try {
      assert.ok(await waitUntil(() => new Set(late.messages.map((m) => m.topic)).size >= 4, 5_000));
      // The broker's replay (the first message per topic) is what "retained" means here.
      const first = new Map<string, boolean>();
      for (const message of late.messages) if (!first.has(message.topic)) first.set(message.topic, message.retain);
      assert.ok([...first.values()].every(Boolean), JSON.stringify([...first]));
    } finally {
      await late.close();
    }
  });

  it('publishes states equal to what the simulator reports, retained, with availability', async () => {
    const api = `${w.world.sim.regionBaseUrl('na')}/api/1`;
    const token = String(w.world.sim.issueTokens().access_token);
    const data = (await (
      await fetch(`${api}/vehicles/${DEMO_VIN}/vehicle_data?endpoints=charge_state;vehicle_state`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { response: { charge_state: Record<string, number>; vehicle_state: Record<string, unknown> } };
    assert.equal(Number(w.probe.last(`${V}/battery_level`)?.payload), data.response.charge_state.battery_level);
    assert.equal(Number(w.probe.last(`${V}/charge_limit`)?.payload), data.response.charge_state.charge_limit_soc);
    assert.equal(w.probe.last(`${V}/lock`)?.payload, data.response.vehicle_state.locked ? 'LOCKED' : 'UNLOCKED');
    assert.equal(w.probe.last(`${V}/availability`)?.payload, 'online');
    const late = await MqttProbe.connect(w.broker.url, [`${V}/battery_level`]);
    try {
      const retained = await late.waitFor(`${V}/battery_level`, () => true, 5_000);
      assert.equal(retained.retain, true);
    } finally {
      await late.close();
    }
    const live = (await (await fetch(`${api}/energy_sites/${DEMO_SITE_ID}/live_status`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      response: Record<string, number>;
    };
    assert.ok(Math.abs(Number(w.probe.last(`${S}/percentage_charged`)?.payload) - (live.response.percentage_charged ?? Number.NaN)) < 1);
    assert.ok(
      w.probe.messages.some((m) => /^teslahub\/wall_connector\/[^/]+\/power$/.test(m.topic)),
      'Wall Connector power',
    );
    // The Energy dashboard counters, from calendar_history on a site with a Powerwall and solar.
    assert.ok(
      await waitUntil(() => Number.isFinite(Number(w.probe.last(`${S}/home_energy`)?.payload)), 5_000),
      `home_energy: ${w.probe.last(`${S}/home_energy`)?.payload}`,
    );
    assert.ok(Number(w.probe.last(`${S}/home_energy`)?.payload) >= 0, "a counter (the simulator's history starts with it, so it is near 0 here)");
    assert.ok(w.world.sim.requests().some((r) => r.path.endsWith('/calendar_history')));
  });

  it('carries every control type to the right Fleet call and shows the new state', async () => {
    const car = (): Record<string, unknown> => w.world.sim.world.requireVehicle(DEMO_VIN).state as unknown as Record<string, unknown>;
    const cases: [string, string, () => boolean][] = [
      [`${V}/charge_limit`, '85', () => car().chargeLimit === 85],
      [
        `${V}/sentry_mode`,
        'ON',
        () =>
          w.world.sim.world
            .requireVehicle(DEMO_VIN)
            .sleepBlockers(w.world.sim.now())
            .includes('sentry' as never),
      ],
      [`${V}/lock`, 'LOCK', () => car().locked === true],
      [`${V}/seat_heater_front_left`, 'low', () => JSON.stringify(car()).includes('"seat')],
      [`${V}/charge_port_door`, 'OPEN', () => car().chargePortDoorOpen === true],
      [`${V}/climate`, '{"mode": "heat_cool"}', () => JSON.stringify(car()).includes('true')],
      [`${V}/flash_lights`, 'PRESS', () => true],
    ];
    for (const [topic, payload, changed] of cases) {
      const before = w.world.sim.requests().length;
      const result = await command(topic, payload);
      assert.equal(result.ok, true, `${topic} = ${payload}: ${result.error}`);
      assert.ok(changed(), `${topic} = ${payload} changed the simulated car`);
      assert.ok(
        w.world.sim
          .requests()
          .slice(before)
          .some((r) => r.path.includes('/command/')),
        `${topic} reached a Fleet command`,
      );
    }
    assert.ok(await waitUntil(() => w.probe.last(`${V}/charge_limit`)?.payload === '85', 5_000), 'the new charge limit is published');
    const site = (): Record<string, unknown> => JSON.parse(JSON.stringify(w.world.sim.world.requireSite(DEMO_SITE_ID).settings)) as Record<string, unknown>;
    assert.equal((await command(`${S}/backup_reserve`, '30')).ok, true);
    assert.equal(
      site().backupReserve ?? site().backupReservePercent ?? JSON.stringify(site()).includes('30'),
      site().backupReserve ?? site().backupReservePercent ?? true,
    );
    assert.equal((await command(`${S}/operation_mode`, 'autonomous')).ok, true);
    assert.match(JSON.stringify(site()), /autonomous/);
    assert.ok(await waitUntil(() => w.probe.last(`${S}/backup_reserve`)?.payload === '30', 5_000));
  });

  it('refuses unlocking by default and says which config key allows it; nothing is sent', async () => {
    const before = w.world.sim.requests().length;
    const result = await command(`${V}/lock`, 'UNLOCK');
    assert.equal(result.ok, false);
    assert.match(result.error ?? '', /opens the car.*fix: add lock to allow under vehicles: \(add an entry with vin: 5YJ3E1EA0PF000001\)/);
    assert.equal(
      w.world.sim
        .requests()
        .slice(before)
        .filter((r) => r.path.includes('/command/')).length,
      0,
    );
  });

  it('answers a command the car cannot carry out without calling Tesla (locking the charge cable)', async () => {
    const before = w.world.sim.requests().length;
    const result = await command(`${V}/charge_cable_lock`, 'LOCK');
    assert.equal(result.ok, false);
    assert.doesNotMatch(result.error ?? '', /internal error/);
    assert.equal(
      w.world.sim
        .requests()
        .slice(before)
        .filter((r) => r.method === 'POST').length,
      0,
    );
  });

  it('answers MQTT 5 requests on their response topic with the correlation data', async () => {
    const client = await mqtt.connectAsync(w.broker.url, { protocolVersion: 5, clientId: `mqtt5-${Date.now()}` });
    try {
      await client.subscribeAsync('test/replies/#');
      const reply = new Promise<{ payload: string; correlation: string | undefined }>((resolve) =>
        client.on('message', (_topic, payload, packet) =>
          resolve({ payload: payload.toString(), correlation: packet.properties?.correlationData?.toString() }),
        ),
      );
      await client.publishAsync(`${V}/charge_limit/set`, '81', { properties: { responseTopic: 'test/replies/1', correlationData: Buffer.from('req-42') } });
      const answer = await reply;
      assert.equal(answer.correlation, 'req-42');
      assert.equal((JSON.parse(answer.payload) as Result).ok, true);
    } finally {
      await client.endAsync();
    }
  });

  it('ignores retained messages on command topics', async () => {
    const mark = w.probe.mark;
    const limit = (w.world.sim.world.requireVehicle(DEMO_VIN).state as unknown as { chargeLimit: number }).chargeLimit;
    await w.probe.publish(`${V}/charge_limit/set`, '60', true);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await w.probe.publish(`${V}/charge_limit/set`, '', true);
    // Only this test's payloads: results of earlier commands may still be arriving.
    assert.deepEqual(
      results(mark).filter((r) => r.entity === 'charge_limit' && (r.value === '60' || r.value === '')),
      [],
    );
    assert.equal((w.world.sim.world.requireVehicle(DEMO_VIN).state as unknown as { chargeLimit: number }).chargeLimit, limit);
  });

  it('answers bridge requests with the transaction echoed', async () => {
    const mark = w.probe.mark;
    await w.probe.publish('teslahub/bridge/request/refresh', JSON.stringify({ transaction: 't-1', device: `vehicle.${DEMO_VIN}` }));
    const refresh = await w.probe.waitFor('teslahub/bridge/response/refresh', () => true, 5_000, mark);
    assert.deepEqual(JSON.parse(refresh.payload), { transaction: 't-1', ok: true, devices: [`vehicle.${DEMO_VIN}`] });
    await w.probe.publish('teslahub/bridge/request/wake', JSON.stringify({ transaction: 7, device: 'vehicle.NOPE' }));
    const wake = await w.probe.waitFor('teslahub/bridge/response/wake', () => true, 5_000, mark);
    assert.deepEqual(JSON.parse(wake.payload), { transaction: 7, ok: false, error: 'there is no vehicle "NOPE"' });
    const info = JSON.parse(w.probe.last('teslahub/bridge/info')?.payload ?? '{}') as { account: { state: string }; devices: unknown[] };
    assert.equal(info.account.state, 'connected');
    assert.ok(info.devices.length >= 3);
  });

  it("battery control charges from the grid and restores the site's exact settings on normal", async () => {
    const settings = (): string => JSON.stringify(w.world.sim.world.requireSite(DEMO_SITE_ID).settings);
    const before = settings();
    const charge = await command(`${S}/battery_control`, '{"option": "charge", "duration": "1h"}');
    assert.equal(charge.ok, true, charge.error);
    assert.notEqual(settings(), before);
    assert.ok(await waitUntil(() => w.probe.last(`${S}/battery_control`)?.payload === 'charge', 5_000));
    const normal = await command(`${S}/battery_control`, 'normal');
    assert.equal(normal.ok, true, normal.error);
    assert.equal(settings(), before, 'exactly the settings from before');
  });

  it('serves the same entities and values as JSON on /api/entities', async () => {
    const body = (await (await fetch(`${w.world.baseUrl}/api/entities`)).json()) as {
      devices: { kind: string; id: string; entities: { key: string; topic?: string; value?: unknown }[] }[];
    };
    const car = body.devices.find((d) => d.kind === 'vehicle' && d.id === DEMO_VIN);
    assert.ok(car);
    const level = car.entities.find((e) => e.key === 'battery_level');
    assert.equal(String(level?.value), w.probe.last(`${V}/battery_level`)?.payload);
    assert.deepEqual(new Set(body.devices.map((d) => d.kind)), new Set(['vehicle', 'energy_site', 'wall_connector']));
  });

  it('sends discovery and states again when Home Assistant announces itself online', async () => {
    const mark = w.probe.mark;
    await w.probe.publish('homeassistant/status', 'online');
    assert.ok(
      await waitUntil(() => w.probe.messages.slice(mark).some((m) => m.topic === `homeassistant/device/teslahub_${DEMO_VIN}/config`), 10_000),
      'discovery again',
    );
    assert.ok(
      w.probe.messages.slice(mark).some((m) => m.topic === `${V}/battery_level`),
      'states again',
    );
  });

  it('removes a device that is gone: empty retained discovery and states', async () => {
    const [connector] = w.world.daemon.registry.wallConnectors();
    assert.ok(connector);
    const mark = w.probe.mark;
    w.world.daemon.registry.remove({ kind: 'wall_connector', id: connector.din });
    const topic = `homeassistant/device/teslahub_${connector.din}/config`;
    assert.ok(await waitUntil(() => w.probe.messages.slice(mark).some((m) => m.topic === topic && m.payload === ''), 5_000));
    assert.ok(w.probe.messages.slice(mark).some((m) => m.topic === `teslahub/wall_connector/${connector.din}/power` && m.payload === ''));
  });

  it('republishes every retained state and discovery by itself after a broker restart', async () => {
    await w.broker.restart();
    const mark = w.probe.mark;
    assert.ok(await waitUntil(() => w.probe.messages.slice(mark).some((m: ReceivedMessage) => m.topic === `${V}/battery_level`), 20_000), 'state republished');
    assert.ok(
      w.probe.messages.slice(mark).some((m) => m.topic.startsWith('homeassistant/device/')),
      'discovery republished',
    );
    assert.ok(w.probe.messages.slice(mark).some((m) => m.topic === 'teslahub/bridge/state' && m.payload === 'online'));
  });
});
