import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VehiclePatch } from '../../src/simulator/index.js';
import { isPre2021ModelSX } from '../../src/simulator/index.js';
import { executeVehicleCommand } from '../../src/simulator/vehicle/commands.js';
import { homeScenario, LA_MIDNIGHT, M3_VIN, MINUTE, OLD_S_VIN, pass, worldAt } from './support.js';

const START = LA_MIDNIGHT + 2 * 60 * MINUTE; // 02:00 local: no solar, no scripted events

function setup(vehicle: Record<string, unknown> = {}) {
  const { clock, world } = worldAt(START, homeScenario({}, vehicle));
  const v = world.vehicles[0];
  assert.ok(v);
  return { clock, world, v };
}

describe('vehicle sleep and wake (world, fake clock)', () => {
  it('falls asleep after exactly its inactivity period, default 10 minutes, and can be configured', async () => {
    const { clock, world, v } = setup();
    assert.equal(v.status, 'online');
    await pass(clock, world, 10 * MINUTE - 1000);
    assert.equal(v.status, 'online');
    await pass(clock, world, 1000);
    assert.equal(v.status, 'asleep');

    const short = setup({ sleepAfter: '2m' });
    await pass(short.clock, short.world, 2 * MINUTE);
    assert.equal(short.v.status, 'asleep');
  });

  it('lands on the exact instant even when time jumps far ahead in one go', async () => {
    const { clock, world, v } = setup();
    await pass(clock, world, 5 * 60 * MINUTE);
    assert.equal(v.status, 'asleep');
    // It fell asleep at 10 minutes: 4 h 50 min of sleep drain (15 W), not of awake drain (250 W).
    const used = 75 * 0.5 - v.state.energyKwh;
    assert.ok(used > 0.25 * (10 / 60) && used < 0.25 * (10 / 60) + 0.015 * 5 + 0.001, `used ${used} kWh`);
  });

  const blockers: [string, VehiclePatch, VehiclePatch][] = [
    ['user_present', { userPresent: true }, { userPresent: false }],
    ['sentry', { sentry: true }, { sentry: false }],
    ['charging', { pluggedIn: 'home' }, { pluggedIn: false }],
    ['climate', { climateOn: true }, { climateOn: false }],
    ['door_open', { doors: { df: true } }, { doors: { df: false } }],
    ['door_open', { doors: { rt: true } }, { doors: { rt: false } }],
    ['door_open', { doors: { ft: true } }, { doors: { ft: false } }],
  ];
  for (const [name, hold, release] of blockers) {
    it(`stays awake while ${name} (${JSON.stringify(hold)}) holds, then sleeps 10 minutes after it ends`, async () => {
      const { clock, world, v } = setup();
      world.patchVehicle(M3_VIN, hold);
      await pass(clock, world, 45 * MINUTE);
      assert.equal(v.status, 'online');
      assert.ok(v.sleepBlockers(clock.now()).includes(name as never), `blockers: ${v.sleepBlockers(clock.now()).join(',')}`);
      world.patchVehicle(M3_VIN, release);
      await pass(clock, world, 10 * MINUTE - 1000);
      assert.equal(v.status, 'online');
      await pass(clock, world, 1000);
      assert.equal(v.status, 'asleep');
    });
  }

  it('stays awake in a climate keeper mode until climate is stopped', async () => {
    const { clock, world, v } = setup();
    executeVehicleCommand(v, 'set_climate_keeper_mode', { climate_keeper_mode: 2 }, { now: clock.now(), env: world.env });
    await pass(clock, world, 60 * MINUTE);
    assert.equal(v.status, 'online');
    assert.equal(v.state.keeper, 'dog');
    executeVehicleCommand(v, 'auto_conditioning_stop', {}, { now: clock.now(), env: world.env });
    await pass(clock, world, 10 * MINUTE);
    assert.equal(v.status, 'asleep');
  });

  it('stays awake while a software update downloads, and while driving', async () => {
    const { clock, world, v } = setup();
    world.runEvent({ at: '00:00', type: 'software_update', version: '2026.20.1', download: 20 * 60 });
    await pass(clock, world, 19 * MINUTE);
    assert.equal(v.status, 'online');
    assert.ok(v.sleepBlockers(clock.now()).includes('software_update'));
    await pass(clock, world, 1 * MINUTE);
    assert.equal(v.state.software.status, 'available');
    await pass(clock, world, 10 * MINUTE);
    assert.equal(v.status, 'asleep');

    world.runEvent({ at: '00:00', type: 'drive', duration: 40 * 60, miles: 20, to: 'home' });
    assert.equal(v.status, 'online', 'a drive wakes the car');
    await pass(clock, world, 39 * MINUTE);
    assert.equal(v.status, 'online');
    assert.ok(v.sleepBlockers(clock.now()).includes('driving'));
    // Arrival at 40 min, the driver leaves a minute later, then 10 minutes of quiet.
    await pass(clock, world, 1 * MINUTE + 1 * MINUTE + 10 * MINUTE - 1000);
    assert.equal(v.status, 'online');
    await pass(clock, world, 1000);
    assert.equal(v.status, 'asleep');
  });

  it('resets the inactivity timer on every command', async () => {
    const { clock, world, v } = setup();
    await pass(clock, world, 8 * MINUTE);
    const result = executeVehicleCommand(v, 'flash_lights', {}, { now: clock.now(), env: world.env });
    assert.deepEqual(result, { result: true, reason: '' });
    await pass(clock, world, 10 * MINUTE - 1000);
    assert.equal(v.status, 'online');
    await pass(clock, world, 1000);
    assert.equal(v.status, 'asleep');
  });

  it('lets vehicle_data reset the timer only for pre-2021 Model S/X, or a car with dataKeepsAwake', async () => {
    for (const [vin, dataKeepsAwake, resets] of [
      [M3_VIN, false, false],
      [OLD_S_VIN, false, true],
      [M3_VIN, true, true],
    ] as const) {
      const { clock, world, v } = setup({ vin, dataKeepsAwake });
      await pass(clock, world, 8 * MINUTE);
      v.noteDataRequest(clock.now());
      await pass(clock, world, 2 * MINUTE);
      assert.equal(v.status, resets ? 'online' : 'asleep', `${vin} dataKeepsAwake=${dataKeepsAwake}`);
      if (resets) {
        await pass(clock, world, 8 * MINUTE);
        assert.equal(v.status, 'asleep');
      }
    }
  });

  it('knows the pre-2021 Model S/X VIN rule', () => {
    assert.equal(isPre2021ModelSX('5YJSA1E26HF000002'), true); // S, 2017
    assert.equal(isPre2021ModelSX('5YJXCAE2XLF000003'), true); // X, 2020
    assert.equal(isPre2021ModelSX('5YJSA1E43MF000004'), true); // S, 2021, line 4
    assert.equal(isPre2021ModelSX('5YJSA1E63MF000005'), false); // S, 2021, refresh line 6
    assert.equal(isPre2021ModelSX('5YJSA1E23NF000006'), false); // S, 2022
    assert.equal(isPre2021ModelSX('5YJ3E1EA0HF000007'), false); // Model 3
  });

  it('wakes from wake_up only after its wake delay, and not at all while offline', async () => {
    const { clock, world, v } = setup({ state: 'asleep', wakeDelay: '20s' });
    assert.equal(v.status, 'asleep');
    v.requestWake(clock.now());
    await pass(clock, world, 19_000);
    assert.equal(v.status, 'asleep');
    await pass(clock, world, 1000);
    assert.equal(v.status, 'online');
    // The wake counts as activity: a full sleep period follows.
    await pass(clock, world, 10 * MINUTE - 1000);
    assert.equal(v.status, 'online');

    world.patchVehicle(M3_VIN, { offline: true });
    assert.equal(v.status, 'offline');
    v.requestWake(clock.now());
    await pass(clock, world, 60_000);
    assert.equal(v.status, 'offline');
    world.runEvent({ at: '00:00', type: 'online' });
    assert.notEqual(v.status, 'offline');
  });

  it('stays asleep on its own: only wake_up, a scripted event or plugging in wakes it', async () => {
    const { clock, world, v } = setup({ state: 'asleep' });
    await pass(clock, world, 3 * 60 * MINUTE);
    assert.equal(v.status, 'asleep');
    world.runEvent({ at: '00:00', type: 'user_present', duration: 300 });
    assert.equal(v.status, 'online');
    await pass(clock, world, 15 * MINUTE);
    assert.equal(v.status, 'asleep');
    world.patchVehicle(M3_VIN, { pluggedIn: 'home' });
    assert.equal(v.status, 'online');
    assert.equal(v.state.chargingState, 'Starting');
  });

  it('goes offline for a scripted while and comes back by itself', async () => {
    const { clock, world, v } = setup();
    world.runEvent({ at: '00:00', type: 'offline', duration: 300 });
    assert.equal(v.status, 'offline');
    await pass(clock, world, 5 * MINUTE);
    assert.notEqual(v.status, 'offline');
  });
});
