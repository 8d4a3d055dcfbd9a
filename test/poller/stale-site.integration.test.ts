import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SystemClock } from '../../src/core/clock.js';
import { DEMO_SITE_ID } from '../../src/simulator/index.js';
import { waitUntil } from '../support/net.js';
import { connectAccount } from '../support/oauth.js';
import { startTeslaWorld, type TeslaWorld } from '../support/tesla-world.js';

describe('a stale energy site', () => {
  let world: TeslaWorld;
  after(() => world.close());

  it('is reported as an event and retried slowly, without blocking its other readings', async () => {
    world = await startTeslaWorld({ clock: new SystemClock(), polling: true });
    world.sim.addFault({ path: '/site_info', status: 404, times: Infinity });
    const events: Record<string, unknown>[] = [];
    world.daemon.bus.on({}, 'bridge.event', (event) => void events.push(event));
    await connectAccount(world.baseUrl);
    assert.ok(await waitUntil(() => events.some((e) => e.type === 'device_problem'), 5_000));
    assert.match(String(events.find((e) => e.type === 'device_problem')?.message), /stale or deactivated/);
    assert.ok(
      await waitUntil(() => world.sim.requests().some((r) => r.path.endsWith(`${DEMO_SITE_ID}/live_status`) && r.status === 200), 5_000),
      'live_status still polled',
    );
    assert.equal(world.sim.requests().filter((r) => r.path.endsWith('/site_info')).length, 1, 'site_info is not hammered');
  });
});
