import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { BatteryControl, DISCHARGE_RESERVE_PERCENT } from '../../src/commands/battery-control.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger } from '../../src/core/logger.js';
import { DEMO_SITE_ID } from '../../src/simulator/index.js';
import { connectAccount } from '../support/oauth.js';
import { startTeslaWorld, type TeslaWorld } from '../support/tesla-world.js';

const HOUR = 3_600_000;

describe('battery control against the simulator (fake clock)', () => {
  let world: TeslaWorld;
  after(() => world.close());

  it('restores the exact settings when the duration ends, also when that happens while stopped', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 22, 12));
    world = await startTeslaWorld({ clock });
    await connectAccount(world.baseUrl);
    const settings = (): Record<string, unknown> => JSON.parse(JSON.stringify(world.sim.world.requireSite(DEMO_SITE_ID).settings)) as Record<string, unknown>;
    const original = settings();
    const log = new Logger({ level: 'debug', format: 'pretty', sink: world.sink, clock });
    const first = await BatteryControl.open(`${world.dir}/battery`, { fleet: world.daemon.fleet, registry: world.daemon.registry, clock, log });
    await first.start();

    assert.deepEqual(await first.set(DEMO_SITE_ID, 'charge', 3600), { ok: true, detail: `charge until ${new Date(clock.now() + HOUR).toISOString()}` });
    assert.notDeepEqual(settings(), original);
    assert.equal(first.mode(DEMO_SITE_ID), 'charge');
    await clock.advance(HOUR - 1000);
    assert.equal(first.mode(DEMO_SITE_ID), 'charge');
    await clock.advance(1000);
    for (let i = 0; i < 100 && first.mode(DEMO_SITE_ID) !== 'normal'; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(first.mode(DEMO_SITE_ID), 'normal');
    assert.deepEqual(settings(), original, 'exactly the settings from before');

    // Discharge for two hours, then "stop" the daemon and start again after the time is up.
    assert.equal((await first.set(DEMO_SITE_ID, 'discharge', 7200)).ok, true);
    assert.match(JSON.stringify(settings()), /autonomous/);
    assert.ok(JSON.stringify(settings()).includes(String(DISCHARGE_RESERVE_PERCENT)));
    await first.stop();
    clock.set(clock.now() + 3 * HOUR);
    const second = await BatteryControl.open(`${world.dir}/battery`, { fleet: world.daemon.fleet, registry: world.daemon.registry, clock, log });
    assert.equal(second.mode(DEMO_SITE_ID), 'discharge', 'remembered across the restart');
    await second.start();
    await clock.advance(0);
    for (let i = 0; i < 100 && second.mode(DEMO_SITE_ID) !== 'normal'; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(second.mode(DEMO_SITE_ID), 'normal');
    assert.deepEqual(settings(), original);
    await second.stop();
  });
});
