import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BridgeEvent, DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { DEVICES_FILE, DeviceRegistry } from '../../src/model/device-registry.js';
import { TelemetryTopics } from '../../src/mqtt/topics.js';
import { type Link, TelemetryConsumer } from '../../src/telemetry/consumer.js';
import type { Record as CarRecord } from '../../src/telemetry/wire/payload.js';
import { tempDir } from '../support/tmp.js';

const VIN = '5YJ3E1EA0PF000001';

describe("values straight from the car (built-in receiver): the car's time, and never older over newer", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let registry: DeviceRegistry;
  let consumer: TelemetryConsumer;
  let clock: FakeClock;
  const signals: number[] = [];
  const events: BridgeEvent[] = [];
  const links: [string, Link | undefined][] = [];

  before(async () => {
    ({ dir, cleanup } = await tempDir('teslahub-consumer-car-'));
    clock = new FakeClock(Date.UTC(2026, 10, 23, 12));
    const log = new Logger({ level: 'debug', format: 'pretty', sink: new MemorySink(), clock });
    const bus = new EventBus<DaemonEvents>(() => undefined);
    bus.on(events, 'bridge.event', (event) => void events.push(event));
    registry = await DeviceRegistry.open(dir, bus, log, clock);
    registry.updateVehicle(VIN, (v) => {
      v.connection = 'online';
      v.data = { charge_state: { battery_level: 40, charge_limit_soc: 90 } };
      v.dataAt = clock.now() - 600_000;
    });
    consumer = new TelemetryConsumer({
      topics: new TelemetryTopics('telemetry'),
      registry,
      bus,
      clock,
      log,
      meter: { record: (category, at) => void (category === 'signal' && signals.push(at)) },
      topicId: (vin) => vin,
      onLive: (vin, link) => void links.push([vin, link]),
      onReplayedLink: () => undefined,
    });
  });
  after(async () => {
    await registry.stop();
    await cleanup();
  });

  const values = (data: [string, unknown][], isResend = false): CarRecord => ({
    topic: 'V',
    vin: VIN,
    createdAtMs: undefined,
    isResend,
    data: data.map(([field, value]) => ({ field, value })),
  });
  const charge = () => registry.vehicle(VIN)?.data?.charge_state as Record<string, unknown>;

  it("stamps each value with the car's time, bills each datum, and saves it on flush", async () => {
    const carAt = clock.now() - 5000;
    consumer.fromCar(
      VIN,
      values([
        ['BatteryLevel', 55],
        ['ChargeLimitSoc', 80],
      ]),
      carAt,
    );
    assert.equal(charge().battery_level, 55);
    assert.equal(registry.vehicle(VIN)?.stream?.at['charge_state.battery_level'], carAt);
    assert.equal(registry.vehicle(VIN)?.stream?.carAt, carAt);
    assert.equal(signals.length, 2);
    await registry.flush();
    const saved = JSON.parse(await readFile(join(dir, DEVICES_FILE), 'utf8')) as {
      vehicles: Record<string, { data: { charge_state: { battery_level: number } }; stream: { carAt: number } }>;
    };
    assert.equal(saved.vehicles[VIN]?.data.charge_state.battery_level, 55);
    assert.equal(saved.vehicles[VIN]?.stream.carAt, carAt);
  });

  it('a late buffered value and a resend of the same instant never overwrite the newer one', () => {
    const newest = clock.now() - 1000;
    consumer.fromCar(VIN, values([['BatteryLevel', 60]]), newest);
    consumer.fromCar(VIN, values([['BatteryLevel', 58]]), newest - 30_000);
    assert.equal(charge().battery_level, 60);
    consumer.fromCar(VIN, values([['BatteryLevel', 59]], true), newest);
    assert.equal(charge().battery_level, 60);
    // A late value of another field still fills in what it is newest for.
    consumer.fromCar(VIN, values([['Odometer', 1234.5]], true), newest - 30_000);
    assert.equal((registry.vehicle(VIN)?.data?.vehicle_state as Record<string, unknown>).odometer, 1234.5);
  });

  it('a streamed value recorded before the last poll does not replace the polled one', () => {
    registry.updateVehicle(VIN, (v) => {
      v.data = { ...v.data, climate_state: { inside_temp: 21 } };
      v.dataAt = clock.now();
    });
    consumer.fromCar(VIN, values([['InsideTemp', 18]]), clock.now() - 60_000);
    assert.equal((registry.vehicle(VIN)?.data?.climate_state as Record<string, unknown>).inside_temp, 21);
  });

  it('connect and disconnect set the link; alerts and errors become bridge events', () => {
    consumer.carLink(VIN, 'connected');
    assert.equal(registry.vehicle(VIN)?.stream?.link, 'connected');
    assert.deepEqual(links.at(-1), [VIN, 'connected']);
    consumer.fromCar(
      VIN,
      { topic: 'alerts', vin: VIN, alerts: [{ name: 'ChargePort_a', audiences: ['Customer'], startedAtMs: Date.UTC(2026, 10, 23, 11) }] },
      clock.now(),
    );
    assert.deepEqual(events.at(-1), {
      type: 'vehicle_alert',
      device: `vehicle.${VIN}`,
      name: 'ChargePort_a',
      active: true,
      started_at: '2026-11-23T11:00:00Z',
      audiences: ['Customer'],
    });
    consumer.fromCar(VIN, { topic: 'errors', vin: VIN, errors: [{ name: 'cfg', body: 'bad', tags: { a: 'b' } }] }, clock.now());
    assert.equal(events.at(-1)?.type, 'telemetry_error');
    consumer.carLink(VIN, 'disconnected');
    assert.equal(registry.vehicle(VIN)?.connection, 'asleep');
  });
});
