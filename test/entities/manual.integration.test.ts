import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_VIN } from '../../src/simulator/index.js';
import { startEntityWorld, type EntityWorld } from '../support/entity-world.js';
import { waitUntil } from '../support/net.js';

describe('manual mode (polling.enabled: false)', () => {
  let w: EntityWorld;
  before(async () => {
    w = await startEntityWorld({ polling: false });
  });
  after(() => w.close());

  it('calls Tesla only when asked, then publishes the devices', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const fleet = (): string[] =>
      w.world.sim
        .requests()
        .filter((r) => r.path.includes('/api/1/') && !r.path.endsWith('/users/region'))
        .map((r) => r.path);
    assert.deepEqual(fleet(), [], 'nothing but the login and region lookup');
    assert.ok(!w.probe.messages.some((m) => m.topic.startsWith('teslahub/vehicle/')));
    await w.probe.publish('teslahub/bridge/request/refresh', JSON.stringify({ transaction: 'm' }));
    assert.ok(await waitUntil(() => w.probe.messages.some((m) => m.topic === `teslahub/vehicle/${DEMO_VIN}/availability`), 10_000), 'the car appears');
    assert.ok(fleet().includes('/na/api/1/products'));
    // The refresh takes a few calls (products, then each device); wait until they are done.
    let count = -1;
    for (let i = 0; i < 40 && count !== fleet().length; i++) {
      count = fleet().length;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.ok(fleet().some((path) => path.endsWith('/live_status')) && fleet().some((path) => path.includes('/vehicles/')), 'the refresh polled every device');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(fleet().length, count, 'and nothing more until the next request');
  });
});
