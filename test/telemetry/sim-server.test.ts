import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Simulator } from '../../src/simulator/index.js';
import { CarStream } from '../../src/simulator/telemetry/car-stream.js';
import { startBroker, type TestBroker } from '../support/broker.js';
import { MqttProbe } from '../support/mqtt-probe.js';
import { TEST_CA } from './sim-fleet.js';

describe("a car's emission rules (interval, minimum_delta, resend, snapshot on connect)", () => {
  const fields = { BatteryLevel: { interval_seconds: 30, minimum_delta: 1, resend_interval_seconds: 300 }, Locked: { interval_seconds: 1 } };

  it('sends everything on connect, then only changes that are big enough and due, and resends as a heartbeat', () => {
    const stream = new CarStream();
    stream.connected();
    assert.deepEqual(stream.step(0, { BatteryLevel: 50, Locked: true, NotConfigured: 1 }, fields), [
      ['BatteryLevel', 50],
      ['Locked', true],
    ]);
    assert.deepEqual(stream.step(1000, { BatteryLevel: 52, Locked: true }, fields), [], 'changed, but its interval has not passed');
    assert.deepEqual(stream.step(2000, { BatteryLevel: 52, Locked: false }, fields), [['Locked', false]]);
    assert.deepEqual(stream.step(31_000, { BatteryLevel: 50.5, Locked: false }, fields), [], 'due, but moved less than minimum_delta');
    assert.deepEqual(stream.step(32_000, { BatteryLevel: 53, Locked: false }, fields), [['BatteryLevel', 53]], 'only the value at sending time goes out');
    assert.deepEqual(stream.step(331_000, { BatteryLevel: 53, Locked: false }, fields), [], 'not yet a resend interval since it went out');
    assert.deepEqual(stream.step(332_000, { BatteryLevel: 53, Locked: false }, fields), [['BatteryLevel', 53]], 'resent unchanged: the heartbeat');
    stream.connected();
    assert.equal(stream.step(333_000, { BatteryLevel: 53, Locked: false }, fields).length, 2, 'a reconnect sends a full snapshot');
  });

  it("measures Location's minimum_delta in metres", () => {
    const stream = new CarStream();
    const loc = { Location: { interval_seconds: 1, minimum_delta: 100 } };
    stream.step(0, { Location: { latitude: 37.4, longitude: -122.1 } }, loc);
    assert.deepEqual(stream.step(5000, { Location: { latitude: 37.4005, longitude: -122.1 } }, loc), [], 'about 56 m');
    assert.equal(stream.step(6000, { Location: { latitude: 37.401, longitude: -122.1 } }, loc).length, 1, 'about 111 m');
  });
});

describe("the simulated fleet-telemetry server publishes in the MQTT dispatcher's format (real Mosquitto)", () => {
  const VIN = '5YJ3E1EA0PF000001';
  let broker: TestBroker;
  let sim: Simulator;
  let clock: FakeClock;
  let probe: MqttProbe;

  before(async () => {
    broker = await startBroker();
    clock = new FakeClock(Date.UTC(2026, 5, 22, 19));
    sim = new Simulator({ clock, scenario: { vehicles: [{ vin: VIN, batteryLevel: 60 }] } });
    await sim.start();
    probe = await MqttProbe.connect(broker.url, ['telemetry/#']);
    const claims = {
      hostname: 'telemetry.example.com',
      port: 443,
      ca: TEST_CA,
      prefer_typed: true,
      fields: {
        BatteryLevel: { interval_seconds: 30, resend_interval_seconds: 120 },
        Location: { interval_seconds: 10 },
        DoorState: { interval_seconds: 1 },
        Gear: { interval_seconds: 1 },
        DetailedChargeState: { interval_seconds: 1 },
        Odometer: { interval_seconds: 60 },
      },
    };
    sim.telemetry.configs.put(VIN, 'teslahub-demo', claims, clock.now());
    await sim.telemetry.start({ brokerUrl: broker.url, hostname: 'telemetry.example.com' });
  });
  after(async () => {
    await probe.close();
    await sim.stop();
    await broker.close();
  });

  it('connects an awake car once it adopted the configuration, and sends every field as a bare JSON value', async () => {
    await clock.advance(35_000);
    const connected = await probe.waitFor(`telemetry/${VIN}/connectivity`, (m) => m.payload.includes('CONNECTED'));
    const body = JSON.parse(connected.payload) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['ConnectionId', 'CreatedAt', 'Status']);
    assert.equal(body.Status, 'CONNECTED');
    assert.match(String(body.CreatedAt), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const late = await MqttProbe.connect(broker.url, [`telemetry/${VIN}/connectivity`]);
    const replayed = await late.waitFor(`telemetry/${VIN}/connectivity`, () => true);
    await late.close();
    assert.equal(replayed.retain, true, 'retained, as the README tells users to configure it');
    const level = await probe.waitFor(`telemetry/${VIN}/v/BatteryLevel`, () => true);
    assert.ok(Math.abs(Number(JSON.parse(level.payload)) - 60) < 1, level.payload);
    assert.match(level.payload, /^\d+(\.\d+)?$/, 'a bare number, no timestamp or name');
    const where = JSON.parse((await probe.waitFor(`telemetry/${VIN}/v/Location`, () => true)).payload) as Record<string, unknown>;
    assert.deepEqual(Object.keys(where).sort(), ['latitude', 'longitude']);
    const doors = JSON.parse((await probe.waitFor(`telemetry/${VIN}/v/DoorState`, () => true)).payload) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doors).sort(), ['DriverFront', 'DriverRear', 'PassengerFront', 'PassengerRear', 'TrunkFront', 'TrunkRear']);
    assert.equal((await probe.waitFor(`telemetry/${VIN}/v/Gear`, () => true)).payload, '"ShiftStateP"');
    assert.match((await probe.waitFor(`telemetry/${VIN}/v/DetailedChargeState`, () => true)).payload, /^"DetailedChargeState\w+"$/);
    assert.equal(sim.billing().counts.signal, 6, 'the snapshot: six configured fields, six billed signals');
  });

  it('sends a change within its interval, and nothing for unchanged fields but the heartbeat', async () => {
    const mark = probe.mark;
    const billed = sim.billing().counts.signal;
    sim.world.patchVehicle(VIN, { doors: { df: true } });
    await clock.advance(6_000);
    const doors = await probe.waitFor(`telemetry/${VIN}/v/DoorState`, (m) => m.payload.includes('"DriverFront":true'), 5000, mark);
    assert.ok(doors);
    sim.world.patchVehicle(VIN, { doors: { df: false } });
    await clock.advance(120_000);
    await probe.waitFor(`telemetry/${VIN}/v/BatteryLevel`, () => true, 5000, mark);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const topics = probe.messages.slice(mark).map((m) => m.topic.split('/').pop());
    assert.deepEqual([...new Set(topics)].sort(), ['BatteryLevel', 'DoorState'], `only the doors and the heartbeat: ${topics.join(', ')}`);
    assert.equal(sim.billing().counts.signal - billed, probe.messages.slice(mark).length, 'every published value is billed');
  });

  it('goes DISCONNECTED when the car falls asleep, and reports an error for a configuration it cannot reach', async () => {
    const mark = probe.mark;
    sim.world.patchVehicle(VIN, { asleep: true });
    await clock.advance(10_000);
    const gone = await probe.waitFor(`telemetry/${VIN}/connectivity`, (m) => m.payload.includes('DISCONNECTED'), 5000, mark);
    assert.equal((JSON.parse(gone.payload) as { Status: string }).Status, 'DISCONNECTED');
    sim.telemetry.configs.put(
      VIN,
      'teslahub-demo',
      { hostname: 'wrong.example.com', port: 443, ca: TEST_CA, fields: { Odometer: { interval_seconds: 60 } } },
      clock.now(),
    );
    sim.world.patchVehicle(VIN, { asleep: false });
    await clock.advance(60_000);
    const [error] = sim.telemetry.configs.errorsFor('teslahub-demo');
    assert.match(error?.error ?? '', /lookup wrong\.example\.com: no such host/);
  });
});
