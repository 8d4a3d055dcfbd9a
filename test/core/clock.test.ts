import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';

describe('FakeClock', () => {
  it('fires timers in due order, at their own instant, while advancing', async () => {
    const clock = new FakeClock(1_000);
    const fired: [string, number][] = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 200);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 100);
    clock.setTimeout(() => fired.push(['c', clock.now()]), 300);
    await clock.advance(250);
    assert.deepEqual(fired, [
      ['a', 1_100],
      ['b', 1_200],
    ]);
    assert.equal(clock.now(), 1_250);
    await clock.advance(100);
    assert.deepEqual(fired.at(-1), ['c', 1_300]);
  });

  it('runs a timer set by another timer within the same advance', async () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 50);
    }, 50);
    await clock.advance(100);
    assert.deepEqual(fired, [50, 100]);
  });

  it('fires timers made overdue by a forward jump late, at the jumped time, never moving time backwards', async () => {
    const clock = new FakeClock(1000);
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now()), 500);
    clock.set(10_000);
    await clock.advance(0);
    assert.deepEqual(seen, [10_000]);
    assert.equal(clock.now(), 10_000);
  });

  it('does not fire cancelled timers', async () => {
    const clock = new FakeClock(0);
    let fired = false;
    const timer = clock.setTimeout(() => (fired = true), 10);
    timer.cancel();
    await clock.advance(20);
    assert.equal(fired, false);
    assert.equal(clock.pendingCount, 0);
  });

  it('resumes awaited sleeps at the simulated time', async () => {
    const clock = new FakeClock(0);
    const seen: number[] = [];
    const task = (async () => {
      await clock.sleep(1_000);
      seen.push(clock.now());
      await clock.sleep(500);
      seen.push(clock.now());
    })();
    await clock.advance(2_000);
    await task;
    assert.deepEqual(seen, [1_000, 1_500]);
  });

  it('rejects a sleep when its signal aborts', async () => {
    const clock = new FakeClock(0);
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(sleeping, /stop/);
    assert.equal(clock.pendingCount, 0);
  });
});

describe('ScaledClock', () => {
  it('runs simulated time at its speed over the base clock, and scales timers', async () => {
    const { ScaledClock } = await import('../../src/core/scaled-clock.js');
    const base = new FakeClock(1_000);
    const clock = new ScaledClock({ start: Date.UTC(2026, 5, 1), speed: 60, base });
    assert.equal(clock.now(), Date.UTC(2026, 5, 1));
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 60_000);
    await base.advance(999);
    assert.deepEqual(fired, []);
    await base.advance(1);
    assert.deepEqual(fired, [Date.UTC(2026, 5, 1) + 60_000]);
    assert.throws(() => new ScaledClock({ start: 0, speed: 0 }), /speed must be above 0/);
  });
});
