import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { DeviceRegistry } from '../../src/model/device-registry.js';
import { BatteryEstimator } from '../../src/poller/battery-estimator.js';
import { BATTERY_FILE, openBatteryStore } from '../../src/poller/battery-store.js';
import { tempDir } from '../support/tmp.js';

const MIN = 60_000;
const VIN = '5YJ3E1EA0PF000001';

function charging(level: number, added: number): Record<string, unknown> {
  return { charge_state: { battery_level: level, charge_energy_added: added, charging_state: 'Charging', charge_limit_soc: 90 } };
}

/** A registry, a battery store and an estimator in one folder, as the daemon builds them. */
async function open(dir: string, clock: FakeClock) {
  const sink = new MemorySink();
  const log = new Logger({ level: 'debug', format: 'pretty', sink, clock });
  const registry = await DeviceRegistry.open(dir, new EventBus<DaemonEvents>(() => undefined), log, clock);
  const store = await openBatteryStore(dir, log, clock);
  const estimator = new BatteryEstimator({ registry, clock, log, store });
  /** vehicle_data as the runner stores it, then the estimator's turn. */
  const read = (data: Record<string, unknown>): void => {
    registry.updateVehicle(VIN, (v) => {
      v.data = data;
      v.dataAt = clock.now();
      v.batteryEstimate = undefined;
    });
    estimator.reading(VIN, data);
  };
  return { registry, store, estimator, read, sink };
}

describe('battery estimator (registry and data_dir/battery.json)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('puts the estimate on the car between readings, clears it at a reading, and starts from what it learned after a restart', async () => {
    const { dir, cleanup } = await tempDir('teslahub-battery-');
    cleanups.push(cleanup);
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 3));
    const first = await open(dir, clock);
    // An hour at 7 kW: 7 kWh from the wall, 6.16 kWh into a 70 kWh pack (88 %): 8.8 points.
    first.estimator.power(VIN, 7000);
    first.read(charging(50, 0));
    for (let minute = 1; minute <= 60; minute++) {
      await clock.advance(MIN);
      first.estimator.power(VIN, 7000);
    }
    assert.equal(first.registry.vehicle(VIN)?.batteryEstimate?.lastReading, 50);
    first.read(charging(59, 6.16));
    assert.equal(first.registry.vehicle(VIN)?.batteryEstimate, undefined, 'the reading stands');
    await clock.advance(MIN);
    first.estimator.power(VIN, 7000);
    const estimate = first.registry.vehicle(VIN)?.batteryEstimate;
    assert.ok(estimate && estimate.level > 59 && estimate.lastReading === 59, JSON.stringify(estimate));

    // The estimator saves without waiting; a write queued behind it lands after it.
    await first.store.update(() => undefined);
    const saved = JSON.parse(await readFile(join(dir, BATTERY_FILE), 'utf8')) as { cars: Record<string, { efficiency: number; capacityKwh: number }> };
    const learned = saved.cars[VIN];
    assert.ok(learned && Math.abs(learned.efficiency - 0.88) < 0.01, `efficiency on disk: ${learned?.efficiency}`);
    assert.ok(learned.capacityKwh < 75, `capacity on disk moved from 75 towards 70: ${learned.capacityKwh}`);

    // After a restart the estimate starts from the learned values, not the starting ones.
    const second = await open(dir, clock);
    second.estimator.power(VIN, 7000);
    second.read(charging(60, 0));
    for (let minute = 1; minute <= 60; minute++) {
      await clock.advance(MIN);
      second.estimator.power(VIN, 7000);
    }
    const after = second.registry.vehicle(VIN)?.batteryEstimate?.level ?? 0;
    const expected = 60 + ((7 * learned.efficiency) / learned.capacityKwh) * 100;
    assert.ok(Math.abs(after - expected) < 0.15, `estimate ${after}, expected ${expected.toFixed(2)} from the learned values`);
    // Writes queued behind the estimator's own land before the folder goes.
    await second.store.update(() => undefined);
    await first.registry.stop();
    await second.registry.stop();
  });

  it('starts afresh, with a logged error, from a battery.json that cannot be read', async () => {
    const { dir, cleanup } = await tempDir('teslahub-battery-bad-');
    cleanups.push(cleanup);
    await writeFile(join(dir, BATTERY_FILE), '{"version": 1, "cars": {"X": {"efficiency": "lots"}}}');
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 3));
    const opened = await open(dir, clock);
    assert.deepEqual(opened.store.data.cars, {});
    assert.match(opened.sink.text, /corrupt|could not/i);
    await opened.registry.stop();
  });
});
