import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { DeviceRegistry } from '../../src/model/device-registry.js';
import { DeviceNaming } from '../../src/model/naming.js';
import { ENTITY_TABLES } from '../../src/model/tables.js';
import type { MqttConnection } from '../../src/mqtt/connection.js';
import { deviceDiscovery } from '../../src/mqtt/discovery.js';
import { EntityPublisher, FIRST_DISCOVERY_SETTLE_MS } from '../../src/mqtt/entity-publisher.js';
import { StatePublisher } from '../../src/mqtt/publisher.js';
import { Topics } from '../../src/mqtt/topics.js';
import { tempDir } from '../support/tmp.js';

const SITE = '1234567890123456';
const CONFIG = `homeassistant/device/teslahub_${SITE}/config`;

describe('discovery publishing', () => {
  const clock = new FakeClock(Date.UTC(2026, 5, 22, 19, 0));
  const bus = new EventBus<DaemonEvents>((error) => {
    throw error;
  });
  const log = new Logger({ level: 'error', format: 'pretty', sink: new MemorySink(), clock });
  const sent: { topic: string; payload: string }[] = [];
  const connection = {
    publish: (topic: string, payload: string | Buffer) => {
      sent.push({ topic, payload: String(payload) });
      return true;
    },
    subscribe: () => undefined,
    unsubscribeOwner: () => undefined,
  } as unknown as MqttConnection;
  let builds = 0;
  let registry: DeviceRegistry;
  let entities: EntityPublisher;
  let cleanup: () => Promise<void>;
  const configs = (): string[] => sent.filter((m) => m.topic === CONFIG).map((m) => m.payload);

  before(async () => {
    const dir = await tempDir('teslahub-discovery-');
    cleanup = dir.cleanup;
    registry = await DeviceRegistry.open(dir.dir, bus, log, clock);
    const publisher = new StatePublisher(connection, bus);
    entities = new EntityPublisher({
      publisher,
      connection,
      topics: new Topics('teslahub', 'homeassistant'),
      registry,
      naming: new DeviceNaming({ vehicles: [], energy_sites: [] } as never),
      tables: ENTITY_TABLES,
      bus,
      clock,
      log,
      discovery: { enabled: true, origin: { name: 'teslahub', sw_version: 'test', support_url: 'https://example.invalid' } },
      devicesAvailable: () => true,
      buildDiscovery: (...args) => {
        builds += 1;
        return deviceDiscovery(...args);
      },
    });
    await entities.start();
  });

  after(async () => {
    await entities.stop();
    await registry.stop();
    await cleanup();
  });

  it('publishes a new device once, after its first readings arrived, not once per reading', async () => {
    registry.updateSite(SITE, (s) => void (s.summary = { energy_site_id: SITE, site_name: 'Home' }));
    registry.updateSite(SITE, (s) => void (s.info = { components: { battery: true, solar: true } }));
    registry.updateSite(SITE, (s) => void (s.live = { solar_power: 1200, battery_power: -300, percentage_charged: 55 }));
    assert.deepEqual(configs(), [], 'nothing before the pause');
    await clock.advance(FIRST_DISCOVERY_SETTLE_MS);
    assert.equal(configs().length, 1);
    assert.match(configs()[0] ?? '', /"backup_reserve"|percentage_charged|battery/);
    assert.ok(
      sent.some((m) => m.topic.endsWith(`/energy_site/${SITE}/solar_power`) || m.topic.includes(SITE)),
      'states went out at once',
    );
  });

  it('neither rebuilds nor republishes it while only values change', async () => {
    const before = builds;
    for (let i = 0; i < 50; i += 1) {
      registry.updateSite(SITE, (s) => void (s.live = { solar_power: 1000 + i, battery_power: -i, percentage_charged: 55 }));
      await clock.advance(1_000);
    }
    assert.equal(builds, before, 'no discovery built for new readings');
    assert.equal(configs().length, 1);
  });

  it('rebuilds and republishes it when its entity set changes', async () => {
    registry.updateSite(SITE, (s) => void (s.info = { components: { battery: false, solar: true } }));
    assert.equal(configs().length, 2);
    assert.doesNotMatch(configs()[1] ?? '', /"backup_reserve"/);
  });
});
