import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LimiterClosed, RequestLimiter } from '../../src/poller/limiter.js';
import { nextSlot, phaseOf } from '../../src/poller/phase.js';

describe('poll phases', () => {
  it('gives each device a stable place in its interval, spread over the whole interval', () => {
    assert.equal(phaseOf('1234567890123456:live', 60_000), phaseOf('1234567890123456:live', 60_000));
    const phases = Array.from({ length: 1000 }, (_, i) => phaseOf(`${2_000_000_000_000_000 + i}:live`, 60_000));
    assert.ok(phases.every((p) => p >= 0 && p < 60_000));
    const perTenth = new Array<number>(10).fill(0);
    for (const p of phases) perTenth[Math.floor(p / 6_000)] = (perTenth[Math.floor(p / 6_000)] ?? 0) + 1;
    assert.ok(
      perTenth.every((n) => n > 60 && n < 140),
      `about 100 sites per six seconds: ${perTenth.join(', ')}`,
    );
  });

  it('polls next on the grid, never sooner than half an interval after the previous poll', () => {
    assert.equal(nextSlot(65_400, 5_000, 60_000, 65_000), 125_000);
    // A first poll at 118 s: the slot at 125 s is too close, the one at 185 s is next.
    assert.equal(nextSlot(118_500, 5_000, 60_000, 118_000), 185_000);
    // A poll that ran long lands on the next free slot, keeping its phase.
    assert.equal(nextSlot(190_000, 5_000, 60_000, 124_000), 245_000);
  });
});

describe('RequestLimiter', () => {
  it('runs at most max tasks at once, in order, and turns waiting tasks away when closed', async () => {
    const limiter = new RequestLimiter(2);
    const gates: (() => void)[] = [];
    const order: number[] = [];
    const task = (n: number) => () =>
      new Promise<number>((resolve) => gates.push(() => resolve(n))).then((v) => {
        order.push(v);
        return v;
      });
    const runs = [1, 2, 3, 4].map((n) => limiter.run(task(n)));
    await new Promise((r) => setImmediate(r));
    assert.equal(limiter.inFlight, 2);
    assert.equal(limiter.queued, 2);
    gates.shift()?.();
    await runs[0];
    await new Promise((r) => setImmediate(r));
    assert.equal(limiter.inFlight, 2, 'the freed turn went to the next task');
    limiter.close();
    await assert.rejects(runs[3] as Promise<number>, LimiterClosed);
    for (const gate of gates.splice(0)) gate();
    assert.deepEqual(await Promise.all(runs.slice(1, 3)), [2, 3]);
    assert.equal(limiter.inFlight, 0);
    await assert.rejects(
      limiter.run(async () => 1),
      LimiterClosed,
    );
    assert.throws(() => new RequestLimiter(0), /positive whole number/);
  });
});
