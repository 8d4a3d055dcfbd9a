import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { DERIVED_EVENT_KEYS, DerivedEvents } from '../../src/automations/derived-events.js';
import { EntityStates } from '../../src/automations/entity-states.js';
import { createAutomations } from '../../src/automations/index.js';
import type { BridgeEvent, DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { DeviceRegistry } from '../../src/model/device-registry.js';
import { DeviceNaming } from '../../src/model/naming.js';
import { Topics } from '../../src/mqtt/topics.js';
import { tempDir } from '../support/tmp.js';
import { automationsFrom } from './harness.js';

const VIN = '5YJ3E1EA0PF000001';
const SITE = '1234567890';

describe('entity states from the device registry, and the events read off them', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  after(() => cleanup());

  it('uses the MQTT payloads under topic ids, announces grid and sleep changes, and runs rules written with the VIN', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 22, 10));
    const sink = new MemorySink();
    const log = new Logger({ level: 'debug', format: 'pretty', sink, clock });
    const bus = new EventBus<DaemonEvents>((error) => {
      throw error;
    });
    const events: BridgeEvent[] = [];
    bus.on(events, 'bridge.event', (event) => void events.push(event));
    const registry = await DeviceRegistry.open(dir, bus, log, clock);
    const naming = new DeviceNaming({ vehicles: [{ vin: VIN, topic: 'model3', allow: [], deny: [], wake_for_commands: true }], energy_sites: [] });
    registry.updateVehicle(VIN, (v) => {
      v.connection = 'online';
      v.data = { charge_state: { charging_state: 'Stopped', battery_level: 55, charge_limit_soc: 80 }, vehicle_state: { df: 0 } };
      v.dataAt = clock.now();
    });
    registry.updateSite(SITE, (s) => void (s.live = { grid_status: 'Active', grid_power: -1200, solar_power: 2500 }));
    const published: string[] = [];
    const automations = createAutomations({
      automations: automationsFrom(`
- id: by_vin
  mode: queued
  triggers: [{ trigger: state, entity: vehicle.${VIN}.charging, to: charging }]
  actions: [{ action: publish, topic: out, payload: "{{ vehicle.${VIN}.battery_level }} % at {{ -energy_site.${SITE}.grid_power }} W export, {{ solar_power }} W solar" }]
- id: outage
  triggers: [{ trigger: event, event: grid_outage, device: energy_site.${SITE} }]
  actions: [{ action: publish, topic: out, payload: "outage" }]
`),
      registry,
      naming,
      topics: new Topics('teslahub', 'homeassistant'),
      bus,
      clock,
      log,
      mqtt: { subscribe: () => undefined, unsubscribeOwner: () => undefined, publish: (_topic, payload) => published.push(payload) > 0 },
      commands: { run: async () => ({ ok: true, value: null }) },
      budgetMode: () => 'normal',
      readConfig: undefined,
    });
    for (const service of automations.services) await service.start(new AbortController().signal);
    const { states } = automations;

    assert.equal(states.get('vehicle.model3.charging')?.value, 'stopped');
    assert.equal(states.get('vehicle.model3.battery_level')?.value, '55');
    assert.equal(states.get('vehicle.model3.front_driver_door')?.value, 'OFF');
    assert.equal(states.get('vehicle.model3.status')?.value, 'ON');
    assert.equal(states.get(`vehicle.${VIN}.charging`), undefined, 'keyed by the topic id');
    assert.equal(states.get(`energy_site.${SITE}.grid_status`)?.value, 'active');
    assert.equal(states.get(`energy_site.${SITE}.battery_power`)?.value, null, 'not reported: unknown');

    registry.updateVehicle(VIN, (v) => void ((v.data!.charge_state as Record<string, unknown>).charging_state = 'Charging'));
    await clock.advance(0);
    assert.deepEqual(published, ['55 % at 1200 W export, 2500 W solar']);

    registry.updateSite(SITE, (s) => void (s.live = { ...s.live, grid_status: 'Inactive' }));
    registry.updateVehicle(VIN, (v) => void (v.connection = 'asleep'));
    registry.updateVehicle(VIN, (v) => void (v.connection = 'online'));
    registry.updateSite(SITE, (s) => void (s.live = { ...s.live, grid_status: 'Active' }));
    await clock.advance(0);
    const types = events.filter((e) => e.type !== 'automation_run').map((e) => `${e.type} ${String(e.device)}`);
    assert.deepEqual(types, [
      `grid_outage energy_site.${SITE}`,
      'vehicle_slept vehicle.model3',
      'vehicle_woke vehicle.model3',
      `grid_restored energy_site.${SITE}`,
    ]);
    assert.deepEqual(published, ['55 % at 1200 W export, 2500 W solar', 'outage']);

    registry.remove({ kind: 'vehicle', id: VIN });
    assert.equal(states.get('vehicle.model3.charging')?.value, null, 'a removed device is unknown');
    for (const service of [...automations.services].reverse()) await service.stop();
    await registry.stop();
    assert.equal(bus.listenerCount(), 1, 'only the test listener is left');
  });

  it('without automations keeps only what the derived events read, and every entity from the first automation on', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 22, 10));
    const log = new Logger({ level: 'debug', format: 'pretty', sink: new MemorySink(), clock });
    const bus = new EventBus<DaemonEvents>((error) => {
      throw error;
    });
    const events: BridgeEvent[] = [];
    bus.on(events, 'bridge.event', (event) => void events.push(event));
    const registry = await DeviceRegistry.open(join(dir, 'scoped'), bus, log, clock);
    const naming = new DeviceNaming({ vehicles: [{ vin: VIN, topic: 'model3', allow: [], deny: [], wake_for_commands: true }], energy_sites: [] });
    registry.updateVehicle(VIN, (v) => {
      v.connection = 'online';
      v.data = { charge_state: { charging_state: 'Stopped', battery_level: 55 } };
      v.dataAt = clock.now();
    });
    registry.updateSite(SITE, (s) => void (s.live = { grid_status: 'Active', grid_power: -1200 }));
    const states = new EntityStates({ registry, naming, topics: new Topics('teslahub', 'homeassistant'), bus, clock, log }, { watched: DERIVED_EVENT_KEYS });
    const derived = new DerivedEvents(states, bus);
    await states.start();
    await derived.start();

    assert.equal(states.get('vehicle.model3.vehicle_state')?.value, 'online');
    assert.equal(states.get(`energy_site.${SITE}.grid_status`)?.value, 'active');
    assert.equal(states.get('vehicle.model3.battery_level'), undefined, 'not kept without automations');
    assert.equal(states.get(`energy_site.${SITE}.grid_power`), undefined);
    registry.updateSite(SITE, (s) => void (s.live = { ...s.live, grid_status: 'Inactive' }));
    assert.deepEqual(
      events.map((e) => e.type),
      ['grid_outage'],
      'the derived events still come',
    );

    states.keepAll();
    assert.equal(states.get('vehicle.model3.battery_level')?.value, '55');
    assert.equal(states.get(`energy_site.${SITE}.grid_power`)?.value, '-1200');
    registry.updateVehicle(VIN, (v) => void ((v.data!.charge_state as Record<string, unknown>).battery_level = 56));
    assert.equal(states.get('vehicle.model3.battery_level')?.value, '56');
    await derived.stop();
    await states.stop();
    await registry.stop();
  });
});
