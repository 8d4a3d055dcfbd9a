import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Clock, SystemClock } from '../../src/core/clock.js';
import { DEMO_VIN } from '../../src/simulator/index.js';
import { startBroker, type TestBroker } from '../support/broker.js';
import { MqttProbe } from '../support/mqtt-probe.js';
import { waitUntil } from '../support/net.js';
import { connectAccount } from '../support/oauth.js';
import { startTeslaWorld, type TeslaWorld } from '../support/tesla-world.js';
import { tempDir } from '../support/tmp.js';
import { builtinReceiverSetup } from './receiver-support-world.js';
import { DOMAIN, newFleetKey, registerPartner } from './sim-fleet.js';

const STATE = (entity: string): string => `teslahub/vehicle/${DEMO_VIN}/${entity}`;
/** The car's clock runs this far behind the daemon's: a value stamped on arrival would show it. */
const CAR_BEHIND_MS = 7_000;

/** The real clock, shifted: the simulated Tesla and its cars keep their own time. */
function shiftedClock(offsetMs: number): Clock {
  const real = new SystemClock();
  return { now: () => real.now() + offsetMs, setTimeout: (cb, ms) => real.setTimeout(cb, ms), sleep: (ms, signal) => real.sleep(ms, signal) };
}

describe('the built-in receiver end to end: simulated car → mutual TLS WebSocket → daemon → Mosquitto', () => {
  let world: TeslaWorld;
  let broker: TestBroker;
  let probe: MqttProbe;
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    broker = await startBroker();
    cleanups.push(() => broker.close());
    const { dir, cleanup } = await tempDir('teslahub-receiver-e2e-');
    cleanups.push(cleanup);
    const key = newFleetKey();
    const clock = new SystemClock();
    const setup = await builtinReceiverSetup(dir, key, clock);
    world = await startTeslaWorld({
      clock,
      simClock: shiftedClock(-CAR_BEHIND_MS),
      polling: true,
      sim: { fetchPublicKey: async (domain) => (domain === DOMAIN ? key.publicPem : undefined) },
      teslaLines: setup.teslaLines,
      mqttLines: [`  url: ${broker.url}`, `  client_id: teslahub-${Math.random().toString(16).slice(2, 8)}`],
      configLines: setup.configLines,
    });
    cleanups.unshift(() => world.close());
    probe = await MqttProbe.connect(broker.url, ['teslahub/#']);
    cleanups.unshift(() => probe.close());
    world.sim.telemetry.configs.syncDelayMs = 0;
    await registerPartner(world.sim);
    world.sim.world.patchVehicle(DEMO_VIN, { sentry: true, asleep: false, batteryLevel: 55 });
    world.sim.telemetry.streamDirect(setup.streamOptions);
    await connectAccount(world.baseUrl);
  });
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it("configures the car, which connects with its certificate and streams: the entity shows the car's value within a second, with the car's time", async () => {
    await probe.waitFor(STATE('data_source'), (m) => m.payload === 'stream', 30_000);
    const client = world.sim.telemetry.cars.client(DEMO_VIN);
    assert.ok(client?.connected, 'the car is connected to the receiver');
    const mark = probe.mark;
    // Locked goes out at most once a second (its interval): the car sends at its next tick.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    world.sim.world.patchVehicle(DEMO_VIN, { locked: false });
    const sentAt = Date.now();
    world.sim.telemetry.cars.tick();
    const arrived = await probe.waitFor(STATE('lock'), (m) => m.payload === 'UNLOCKED', 5000, mark);
    const latency = arrived.at - sentAt;
    assert.ok(latency < 1000, `value to MQTT entity took ${latency} ms`);
    const source = world.daemon.registry.vehicle(DEMO_VIN);
    const stamped = source?.stream?.at['vehicle_state.locked'] ?? 0;
    // The car's own created_at (its clock runs behind), not the arrival time.
    assert.ok(stamped <= sentAt - CAR_BEHIND_MS + 1000 && stamped >= sentAt - CAR_BEHIND_MS - 2000, `stamped ${stamped - sentAt} ms from sending`);
    const attributes = await probe.waitFor(
      STATE('data_source/attributes'),
      (m) => (JSON.parse(m.payload) as { last_value_at?: string }).last_value_at === new Date(stamped).toISOString(),
      5000,
    );
    assert.ok(attributes);
    const status = world.daemon.telemetry?.receiverStatus();
    assert.deepEqual(
      status?.connections.map((c) => c.vin),
      [DEMO_VIN],
    );
    const metrics = await (await fetch(`${world.baseUrl}/metrics`)).text();
    assert.match(metrics, /teslahub_telemetry_receiver_listening 1/);
    assert.match(metrics, /teslahub_telemetry_connections 1/);
    // The web page's streaming card: receiver, certificate, the car, the next step.
    const page = await (await fetch(`${world.baseUrl}/`)).text();
    const card = page.slice(page.indexOf('id="streaming"'), page.indexOf('id="money"'));
    assert.match(card, /listening on 127\.0\.0\.1:\d+/);
    assert.match(card, /names telemetry\.example\.com cover telemetry\.example\.com/);
    assert.match(card, /chain complete \(issued by teslahub test car CA\)/);
    assert.match(card, new RegExp(`${DEMO_VIN}</th>.*✓ connected.*, heard <time datetime=`));
    assert.match(card, /Next step:<\/strong> Nothing to do: the cars stream\./);
  });

  it('a car that loses the connection buffers, reconnects and resends; nothing is lost', async () => {
    const client = world.sim.telemetry.cars.client(DEMO_VIN);
    assert.ok(client);
    const connects = client.connects;
    const mark = probe.mark;
    // The link drops (the car's network, a router restart): the receiver side closes it.
    const receiver = (
      world.daemon.telemetry as unknown as {
        deps: { feed: { receiver: { connections(): unknown[]; open: Set<{ close(code: number, reason: string): void }> } } };
      }
    ).deps.feed.receiver;
    for (const connection of receiver.open) connection.close(1001, 'test');
    world.sim.world.patchVehicle(DEMO_VIN, { locked: true });
    world.sim.telemetry.cars.tick();
    assert.ok(await waitUntil(() => client.connects > connects && client.unacked === 0, 15_000), 'reconnected and everything acked');
    await probe.waitFor(STATE('lock'), (m) => m.payload === 'LOCKED', 5000, mark);
  });
});

describe('the built-in receiver with 50 cars streaming at once', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('every car connects with its own certificate and its values land', { timeout: 170_000 }, async () => {
    const vins = Array.from({ length: 50 }, (_, i) => `5YJ3E1EA0PF2${String(i).padStart(5, '0')}`);
    const { dir, cleanup } = await tempDir('teslahub-receiver-50-');
    cleanups.push(cleanup);
    const key = newFleetKey();
    const clock = new SystemClock();
    const setup = await builtinReceiverSetup(dir, key, clock);
    const world = await startTeslaWorld({
      clock,
      polling: true,
      sim: { fetchPublicKey: async (domain) => (domain === DOMAIN ? key.publicPem : undefined), scenario: { vehicles: vins.map((vin) => ({ vin })) } },
      teslaLines: setup.teslaLines,
      configLines: setup.configLines,
    });
    cleanups.unshift(() => world.close());
    world.sim.telemetry.configs.syncDelayMs = 0;
    await registerPartner(world.sim);
    for (const vin of vins) world.sim.world.patchVehicle(vin, { sentry: true, asleep: false });
    world.sim.telemetry.streamDirect(setup.streamOptions);
    await connectAccount(world.baseUrl);
    const connected = (): number => world.daemon.telemetry?.receiverStatus()?.connections.length ?? 0;
    assert.ok(await waitUntil(() => connected() === 50, 120_000), `50 cars connected (${connected()})`);
    for (const vin of vins) world.sim.world.patchVehicle(vin, { locked: false });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    world.sim.telemetry.cars.tick();
    const unlocked = (): number =>
      vins.filter((vin) => (world.daemon.registry.vehicle(vin)?.data?.vehicle_state as { locked?: unknown } | undefined)?.locked === false).length;
    assert.ok(await waitUntil(() => unlocked() === 50, 20_000), `every car's value landed (${unlocked()} of 50)`);
    assert.deepEqual(world.daemon.telemetry?.receiverStatus()?.refusals, {});
  });
});
