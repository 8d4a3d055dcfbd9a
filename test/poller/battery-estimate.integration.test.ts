import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { FakeClock } from '../../src/core/fake-clock.js';
import { descriptorFor } from '../../src/model/tables.js';
import { BATTERY_FILE } from '../../src/poller/battery-store.js';
import { DEMO_VIN } from '../../src/simulator/index.js';
import { startBroker, type TestBroker } from '../support/broker.js';
import { waitUntil } from '../support/net.js';
import { connectAccount } from '../support/oauth.js';
import { runFor } from '../support/step-clock.js';
import { startTeslaWorld, type TeslaWorld } from '../support/tesla-world.js';

const MIN = 60_000;
/** 17:55 in Los Angeles (PST): the demo car plugs into its home Wall Connector at 18:05. */
const EVENING = Date.UTC(2026, 10, 23, 1, 55);
const LEVEL_TOPIC = `teslahub/vehicle/${DEMO_VIN}/battery_level`;

interface Minute {
  shown: number;
  truth: number;
  estimated: boolean;
  readAt: number | undefined;
}

/** The daemon with automatic polling against the demo world, on a real broker; a home charge sampled each minute. */
async function chargeAtHome(broker: TestBroker, estimate: boolean, minutes: number) {
  const clock = new FakeClock(EVENING);
  const world = await startTeslaWorld({
    clock,
    polling: true,
    mqttLines: [`  url: ${broker.url}`, `  client_id: teslahub-battery-${estimate}-${process.pid}`],
    configLines: estimate ? [] : ['  vehicle:', '    estimate_battery: false'],
  });
  const busy = (): boolean => world.inFlight() > 0 || world.sim.inFlight() > 0;
  await connectAccount(world.baseUrl);
  const car = world.sim.world.requireVehicle(DEMO_VIN);
  const row = descriptorFor('vehicle', 'battery_level');
  assert.ok(row?.platform === 'sensor');
  const samples: Minute[] = [];
  await runFor(clock, minutes * MIN, busy, MIN, () => {
    const source = world.daemon.registry.vehicle(DEMO_VIN);
    const shown = source ? row.value(source) : null;
    if (car.state.chargingState !== 'Charging' || typeof shown !== 'number' || !source) return;
    samples.push({ shown, truth: car.levelPercent, estimated: row.attributes?.(source)?.estimated === true, readAt: source.dataAt });
  });
  return { world, samples };
}

describe('battery level while charging on the home Wall Connector (daemon, simulator, real broker)', () => {
  let broker: TestBroker;
  const worlds: TeslaWorld[] = [];
  before(async () => {
    broker = await startBroker();
  });
  after(async () => {
    for (const world of worlds) await world.close();
    await broker.close();
  });

  it('moves every minute between readings, within 2 points of the truth, says it is estimated, and keeps what it learned', async () => {
    const watcher = await mqtt.connectAsync(broker.url, { clientId: `battery-watch-${process.pid}`, reconnectPeriod: 0 });
    const seen: { topic: string; payload: string }[] = [];
    watcher.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString() }));
    await watcher.subscribeAsync([LEVEL_TOPIC, `${LEVEL_TOPIC}/attributes`]);
    try {
      const { world, samples } = await chargeAtHome(broker, true, 80);
      worlds.push(world);
      assert.ok(samples.length >= 60, `charging minutes: ${samples.length}`);
      const estimated = samples.filter((s) => s.estimated);
      assert.ok(estimated.length >= samples.length / 2, `estimated minutes: ${estimated.length} of ${samples.length}`);
      const worst = Math.max(...samples.map((s) => Math.abs(s.shown - s.truth)));
      assert.ok(worst <= 2, `worst |shown − truth| ${worst.toFixed(2)} points`);
      // Between two readings the shown level climbs minute by minute instead of standing still.
      const byReading = new Map<number | undefined, Set<number>>();
      for (const s of estimated) byReading.set(s.readAt, (byReading.get(s.readAt) ?? new Set()).add(s.shown));
      assert.ok(
        [...byReading.values()].some((values) => values.size >= 10),
        'ten or more different values between two readings',
      );

      // What Home Assistant receives: the value and the attributes saying it is an estimate, from which reading.
      const attributes = (): Record<string, unknown>[] =>
        seen.filter((m) => m.topic.endsWith('/attributes')).map((m) => JSON.parse(m.payload) as Record<string, unknown>);
      assert.ok(await waitUntil(() => attributes().some((a) => a.estimated === true), 10_000), 'estimated: true published');
      const estimate = attributes().find((a) => a.estimated === true) ?? {};
      assert.equal(typeof estimate.last_reading, 'number');
      assert.match(String(estimate.last_reading_at), /^\d{4}-\d\d-\d\dT/);
      assert.ok(
        attributes().some((a) => a.estimated === false && a.last_reading === undefined),
        'a reading says estimated: false, without the reading fields',
      );
      assert.ok(
        seen.some((m) => m.topic === LEVEL_TOPIC && /^\d+\.\d$/.test(m.payload)),
        'a tenth-of-a-percent estimate on the state topic',
      );

      const saved = JSON.parse(await readFile(join(world.dataDir, BATTERY_FILE), 'utf8')) as {
        cars: Record<string, { efficiency: number; capacityKwh: number }>;
      };
      const learned = saved.cars[DEMO_VIN];
      assert.ok(learned, 'learned values are on disk');
      const car = world.sim.world.requireVehicle(DEMO_VIN);
      assert.ok(
        Math.abs(learned.capacityKwh - car.capacityKwh) < 75 - car.capacityKwh,
        `capacity learned towards the truth: ${learned.capacityKwh} (usable ${car.capacityKwh}, started at 75)`,
      );
    } finally {
      await watcher.endAsync();
    }
  });

  it('shows only readings with polling.vehicle.estimate_battery: false', async () => {
    const { world, samples } = await chargeAtHome(broker, false, 40);
    worlds.push(world);
    assert.ok(samples.length >= 25);
    assert.ok(
      samples.every((s) => !s.estimated && Number.isInteger(s.shown)),
      'every shown value is a reading',
    );
  });
});
