import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import { DEMO_VIN } from '../../src/simulator/index.js';
import { connectAccount } from '../support/oauth.js';
import { runFor } from '../support/step-clock.js';
import { startTeslaWorld, type TeslaWorld } from '../support/tesla-world.js';

const MIN = 60_000;

describe('a car left alone falls asleep and stays asleep (simulator, fake clock)', () => {
  let world: TeslaWorld;
  after(() => world.close());

  it('makes no vehicle_data or wake_up call for a sleeping car until a command arrives', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 22, 20, 0));
    world = await startTeslaWorld({ clock, polling: true });
    const busy = (): boolean => world.inFlight() > 0 || world.sim.inFlight() > 0;
    // Someone sits in the car for five minutes, then leaves it.
    world.sim.world.runEvent({ type: 'user_present', at: new Date(clock.now()).toISOString(), duration: 300, vehicle: DEMO_VIN });
    await connectAccount(world.baseUrl);
    const car = world.sim.world.requireVehicle(DEMO_VIN);
    let asleepAt: number | undefined;
    let lastBlocked = clock.now();
    await runFor(clock, 3 * 60 * MIN, busy, MIN, () => {
      if (car.sleepBlockers(clock.now()).length > 0) lastBlocked = clock.now();
      if (asleepAt === undefined && car.status === 'asleep') asleepAt = clock.now();
    });
    // Assigned in the step callback, so TypeScript cannot narrow the variable itself.
    const sleptAt = asleepAt as number | undefined;
    if (sleptAt === undefined) throw new Error('the car never fell asleep');
    assert.ok(sleptAt - lastBlocked <= 15 * MIN, `asleep ${Math.round((sleptAt - lastBlocked) / MIN)} min after its last activity`);
    const vehicleCalls = (since: number, inclusive = false): string[] =>
      world.sim
        .requests()
        .filter((r) => (inclusive ? r.at >= since : r.at > since) && r.vin === DEMO_VIN && (r.path.endsWith('/vehicle_data') || r.path.endsWith('/wake_up')))
        .map((r) => r.path);
    assert.deepEqual(vehicleCalls(sleptAt), [], 'no vehicle_data or wake_up while it sleeps');
    assert.ok(world.sim.requests().filter((r) => r.at > sleptAt && r.vin === DEMO_VIN).length > 0, 'the free state call kept watching');
    assert.equal(car.status, 'asleep');

    // A command wakes it, on purpose, once.
    const before = clock.now();
    const result = world.daemon.router.run({
      kind: 'vehicle',
      topicId: DEMO_VIN,
      entity: 'charge_limit',
      payload: new TextEncoder().encode('75'),
      who: 'test',
    });
    await runFor(clock, 2 * MIN, busy, 1000);
    const answer = await result;
    assert.equal(answer.ok, true, answer.error);
    assert.deepEqual(vehicleCalls(before, true).filter((path) => path.endsWith('/wake_up')).length, 1, 'exactly one wake, for the command');
    assert.match(world.sink.text, /waking 5YJ3E1EA0PF000001 for test/);
  });
});
