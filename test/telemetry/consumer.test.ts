import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BridgeEvent, DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { DeviceRegistry } from '../../src/model/device-registry.js';
import { VEHICLE_ENTITIES } from '../../src/model/vehicle-table.js';
import { TelemetryTopics } from '../../src/mqtt/topics.js';
import { type Link, TelemetryConsumer } from '../../src/telemetry/consumer.js';
import { tempDir } from '../support/tmp.js';

const VIN = '5YJ3E1EA0PF000001';
const topics = new TelemetryTopics('telemetry');

describe("reading fleet-telemetry's MQTT output into the car's data", () => {
  let cleanup: () => Promise<void>;
  let registry: DeviceRegistry;
  let consumer: TelemetryConsumer;
  let clock: FakeClock;
  const signals: number[] = [];
  const events: BridgeEvent[] = [];
  const live: [string, Link | undefined][] = [];
  const replayed: [string, Link][] = [];

  before(async () => {
    const made = await tempDir('teslahub-consumer-');
    cleanup = made.cleanup;
    clock = new FakeClock(Date.UTC(2026, 10, 23, 12));
    const log = new Logger({ level: 'debug', format: 'pretty', sink: new MemorySink(), clock });
    const bus = new EventBus<DaemonEvents>(() => undefined);
    bus.on(events, 'bridge.event', (event) => void events.push(event));
    registry = await DeviceRegistry.open(made.dir, bus, log, clock);
    registry.updateVehicle(VIN, (v) => {
      v.connection = 'asleep';
      v.data = { charge_state: { battery_level: 40, charger_power: 0 } };
      v.dataAt = clock.now() - 3_600_000;
    });
    consumer = new TelemetryConsumer({
      topics,
      registry,
      bus,
      clock,
      log,
      meter: { record: (category, at) => void (category === 'signal' && signals.push(at)) },
      topicId: (vin) => vin,
      onLive: (vin, link) => void live.push([vin, link]),
      onReplayedLink: (vin, link) => void replayed.push([vin, link]),
    });
  });
  after(async () => {
    await registry.stop();
    await cleanup();
  });

  const message = (topic: string, value: unknown, retain = false) => ({ topic, payload: Buffer.from(JSON.stringify(value)), retain });
  const entity = (key: string) => {
    const row = VEHICLE_ENTITIES.find((r) => r.key === key);
    const car = registry.vehicle(VIN);
    assert.ok(row && car && 'value' in row);
    return (row.value as (s: typeof car) => unknown)(car);
  };

  it('writes a live value under its vehicle_data key with its arrival time, counts it, and calls it news', () => {
    consumer.handle(message(topics.field(VIN, 'BatteryLevel'), 63.42));
    const car = registry.vehicle(VIN);
    assert.equal((car?.data?.charge_state as Record<string, unknown>).battery_level, 63.4);
    assert.equal(car?.stream?.at['charge_state.battery_level'], clock.now());
    assert.equal(car?.stream?.lastAt, clock.now());
    assert.equal(entity('battery_level'), 63.4);
    assert.deepEqual(signals, [clock.now()]);
    assert.deepEqual(live.at(-1), [VIN, undefined]);
  });

  it('uses the streamed charging power over an older Wall Connector reading, and the Wall Connector when it is newer', async () => {
    registry.updateVehicle(VIN, (v) => void (v.wallConnector = { din: 'WC1', powerW: 7000, at: clock.now() }));
    await clock.advance(1000);
    consumer.handle(message(topics.field(VIN, 'ACChargingPower'), 11.04));
    assert.equal(entity('charger_power'), 11);
    await clock.advance(1000);
    registry.updateVehicle(VIN, (v) => void (v.wallConnector = { din: 'WC1', powerW: 7200, at: clock.now() }));
    assert.equal(entity('charger_power'), 7.2);
  });

  it('sets the car online or asleep from live connectivity, without a call', () => {
    consumer.handle(message(topics.connectivity(VIN), { ConnectionId: 'c1', Status: 'CONNECTED', CreatedAt: '2026-11-23T12:00:00Z' }));
    assert.equal(registry.vehicle(VIN)?.connection, 'online');
    assert.equal(registry.vehicle(VIN)?.stream?.link, 'connected');
    assert.deepEqual(live.at(-1), [VIN, 'connected']);
    consumer.handle(message(topics.connectivity(VIN), { ConnectionId: 'c1', Status: 'DISCONNECTED', CreatedAt: '2026-11-23T12:05:00Z' }));
    assert.equal(registry.vehicle(VIN)?.connection, 'asleep');
    assert.equal(entity('status'), false);
  });

  it('takes a replayed (retained) value only where nothing is known, without counting or stamping it', () => {
    const before = signals.length;
    consumer.handle(message(topics.field(VIN, 'BatteryLevel'), 20, true));
    consumer.handle(message(topics.field(VIN, 'InsideTemp'), 21.5, true));
    const car = registry.vehicle(VIN);
    assert.equal((car?.data?.charge_state as Record<string, unknown>).battery_level, 63.4, 'a known value is not overwritten by an old one');
    assert.equal((car?.data?.climate_state as Record<string, unknown>).inside_temp, 21.5, 'a gap is filled');
    assert.equal(car?.stream?.at['climate_state.inside_temp'], undefined, 'its age is unknown');
    assert.equal(signals.length, before, 'replays are not billed');
    consumer.handle(message(topics.connectivity(VIN), { Status: 'DISCONNECTED' }, true));
    assert.deepEqual(replayed.at(-1), [VIN, 'disconnected']);
  });

  it('keeps the last value when a payload is not a value of the field, and counts fields it cannot show', () => {
    const before = signals.length;
    consumer.handle(message(topics.field(VIN, 'BatteryLevel'), { not: 'a number' }));
    assert.equal(entity('battery_level'), 63.4);
    consumer.handle(message(topics.field(VIN, 'PackCurrent'), 3.2));
    consumer.handle(message(topics.field(VIN, '260'), 1));
    assert.equal(signals.length, before + 3, 'every streamed value is billed');
  });

  it('counts values of a car not in use, but does not create it', () => {
    const before = signals.length;
    consumer.handle(message(topics.field('5YJ3E1EA9PF000099', 'BatteryLevel'), 50));
    assert.equal(registry.vehicle('5YJ3E1EA9PF000099'), undefined);
    assert.equal(signals.length, before + 1);
  });

  it('turns alerts and errors into bridge events', () => {
    consumer.handle(message(topics.alert(VIN, 'ChargePortFault'), { StartedAt: '2026-11-23T12:01:00Z', Audiences: ['Customer'] }));
    consumer.handle(message(topics.error(VIN, 'decode'), { Body: 'bad frame', Tags: { a: 'b' }, CreatedAt: '2026-11-23T12:01:00Z' }));
    assert.deepEqual(
      events.slice(-2).map((e) => [e.type, e.name, e.active ?? e.body]),
      [
        ['vehicle_alert', 'ChargePortFault', true],
        ['telemetry_error', 'decode', 'bad frame'],
      ],
    );
  });
});
