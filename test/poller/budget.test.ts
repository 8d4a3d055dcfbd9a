import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { Budget, budgetMode, projectMonth } from '../../src/poller/budget.js';
import { UsageLedger } from '../../src/storage/usage-ledger.js';
import { tempDir } from '../support/tmp.js';

describe('API budget', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(() => Promise.all(cleanups.map((c) => c())));

  it('projects the month linearly, once a day of data exists', () => {
    const tenth = Date.UTC(2026, 10, 11); // 10 days into a 30-day month
    assert.deepEqual(projectMonth(2, tenth), { projectedUsd: 6, month: '2026-11' });
    assert.equal(projectMonth(0.5, Date.UTC(2026, 10, 1, 2)).projectedUsd, 15, 'the first hours count as a whole day');
  });

  it('slows once the projection passes the budget; stop only stops at the budget itself', () => {
    assert.equal(budgetMode(1, 9, 10, 'slow'), 'normal');
    assert.equal(budgetMode(4, 12, 10, 'slow'), 'slow');
    assert.equal(budgetMode(10, 10, 10, 'slow'), 'slow');
    assert.equal(budgetMode(4, 12, 10, 'stop'), 'slow', 'warned and slowed while only projected');
    assert.equal(budgetMode(10.01, 12, 10, 'stop'), 'stop');
  });

  it('announces a change in the log and as an event, and lifts it when the month turns', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const clock = new FakeClock(Date.UTC(2026, 10, 20));
    const sink = new MemorySink();
    const log = new Logger({ level: 'info', format: 'pretty', sink, clock });
    const ledger = await UsageLedger.open(join(dir, 'data'), log, clock);
    const bus = new EventBus<DaemonEvents>(() => undefined);
    const events: unknown[] = [];
    bus.on({}, 'bridge.event', (event) => void events.push(event));
    const budget = new Budget({ ledger, clock, log, bus, budgetUsd: 1, onLimit: 'stop' });
    await budget.start();
    assert.equal(budget.mode, 'normal');
    for (let i = 0; i < 600; i++) ledger.record('data', clock.now());
    await clock.advance(5 * 60_000);
    assert.equal(budget.mode, 'stop');
    assert.match(sink.text, /WARN .*billed polling stopped until the month turns \(\$1\.20 spent in 2026-11/);
    assert.deepEqual(events.at(-1), { type: 'budget', mode: 'stop', previous: 'normal', month: '2026-11', spent_usd: 1.2, projected_usd: 1.89, budget_usd: 1 });
    clock.set(Date.UTC(2026, 11, 1, 0, 1));
    await clock.advance(5 * 60_000);
    assert.equal(budget.mode, 'normal');
    assert.match(sink.text, /back to normal polling/);
    await budget.stop();
    await ledger.stop();
  });
});
