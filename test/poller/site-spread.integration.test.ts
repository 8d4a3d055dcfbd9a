import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { SystemClock } from '../../src/core/clock.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { SITE_REQUESTS_IN_FLIGHT } from '../../src/poller/poller.js';
import type { ScenarioInput } from '../../src/simulator/index.js';
import { MqttProbe } from '../support/mqtt-probe.js';
import { waitUntil } from '../support/net.js';
import { connectAccount } from '../support/oauth.js';
import { runFor } from '../support/step-clock.js';
import { startTeslaWorld, type TeslaWorld } from '../support/tesla-world.js';

const MIN = 60_000;

function siteId(i: number): string {
  return String(2_000_000_000_000_000 + i);
}

/** Many small homes (a battery, no solar), as an installer watching a fleet of sites has. */
function sites(count: number): ScenarioInput {
  return { name: 'many-sites', energySites: Array.from({ length: count }, (_, i) => ({ id: siteId(i + 1), name: `Home ${i + 1}`, batteries: 1 })) };
}

describe('energy sites polled by many', () => {
  let world: TeslaWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('spreads live polls over the interval, each site on its own steady beat', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 22, 20, 0));
    world = await startTeslaWorld({ clock, polling: true, sim: { scenario: sites(24) } });
    const w = world;
    const probe = await MqttProbe.connect(w.daemon.broker?.url ?? '', ['teslahub/bridge/last_poll']);
    await connectAccount(w.baseUrl);
    const start = clock.now();
    await runFor(clock, 4 * MIN, () => w.inFlight() > 0 || w.sim.inFlight() > 0, 1000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lastPolls = probe.messages.filter((m) => m.topic === 'teslahub/bridge/last_poll').map((m) => m.payload);
    await probe.close();
    assert.ok(
      lastPolls.length >= 2 && lastPolls.length <= 6,
      `bridge/last_poll at most once a round, though a site polls every few seconds: ${lastPolls.join(', ')}`,
    );
    const live = w.sim.requests().filter((r) => r.path.endsWith('/live_status') && r.at > start + MIN);
    const bySite = new Map<string, number[]>();
    for (const r of live) {
      const id = r.path.split('/')[5] ?? '';
      bySite.set(id, [...(bySite.get(id) ?? []), r.at]);
    }
    assert.equal(bySite.size, 24, 'every site polled');
    for (const [id, times] of bySite) {
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
      assert.ok(
        gaps.every((g) => g === MIN),
        `site ${id} keeps a 60 s beat: ${gaps.join(', ')}`,
      );
    }
    const perSecond = new Map<number, number>();
    for (const r of live) perSecond.set(Math.floor(r.at / 1000), (perSecond.get(Math.floor(r.at / 1000)) ?? 0) + 1);
    const busiest = Math.max(...perSecond.values());
    assert.ok(busiest <= 3, `at most a few sites in the same second (busiest second: ${busiest})`);
    const phases = new Set(live.map((r) => Math.floor((r.at % MIN) / 10_000)));
    assert.ok(phases.size >= 5, `polls fall all over the minute (${phases.size} of 6 ten-second stretches)`);
  });

  it('bounds the requests in flight, lets one slow site hold up no other, and stops quietly mid-request', async () => {
    world = await startTeslaWorld({ clock: new SystemClock(), polling: true, sim: { scenario: sites(20) } });
    const w = world;
    const slow = siteId(1);
    // The first rule that matches answers: the slow site's rule goes first.
    w.sim.addFault({ path: `${slow}/live_status`, status: 0, delayMs: 6_000, times: Infinity });
    w.sim.addFault({ path: '/live_status', status: 0, delayMs: 150, times: Infinity });
    w.sim.addFault({ path: '/site_info', status: 0, delayMs: 150, times: Infinity });
    let most = 0;
    const sample = setInterval(() => (most = Math.max(most, w.inFlight())), 5);
    try {
      await connectAccount(w.baseUrl);
      const others = Array.from({ length: 19 }, (_, i) => siteId(i + 2));
      const seen = await waitUntil(() => others.every((id) => w.daemon.registry.site(id)?.liveAt !== undefined), 5_000);
      assert.ok(seen, 'every other site has its live data while the slow one still answers');
      assert.equal(w.daemon.registry.site(slow)?.liveAt, undefined, 'the slow site is still in flight');
    } finally {
      clearInterval(sample);
    }
    assert.ok(most <= SITE_REQUESTS_IN_FLIGHT + 1, `at most ${SITE_REQUESTS_IN_FLIGHT} site requests in flight (saw ${most} requests)`);
    assert.ok(most >= 2, 'requests do run side by side');
    await w.daemon.lifecycle.stop();
    const warnings = w.sink.lines.filter((line) => /WARN|ERROR/.test(line));
    assert.deepEqual(warnings, [], 'a clean stop mid-request logs no warning');
  });
});
