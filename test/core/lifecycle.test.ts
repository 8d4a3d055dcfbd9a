import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SystemClock } from '../../src/core/clock.js';
import { Lifecycle, type Service } from '../../src/core/lifecycle.js';
import { Logger, MemorySink } from '../../src/core/logger.js';

function service(name: string, journal: string[], behaviour: { failStart?: boolean; stopMs?: number; failStop?: boolean } = {}): Service {
  return {
    name,
    async start() {
      journal.push(`start ${name}`);
      if (behaviour.failStart) throw new Error(`${name} cannot start`);
    },
    async stop() {
      journal.push(`stop ${name}`);
      if (behaviour.stopMs) await new Promise((resolve) => setTimeout(resolve, behaviour.stopMs));
      if (behaviour.failStop) throw new Error(`${name} broke`);
    },
  };
}

function lifecycle(options: { serviceStopTimeoutMs?: number; totalStopTimeoutMs?: number } = {}) {
  const sink = new MemorySink();
  const clock = new SystemClock();
  return { sink, life: new Lifecycle({ clock, log: new Logger({ level: 'debug', format: 'pretty', sink, clock }), ...options }) };
}

describe('Lifecycle', () => {
  it('starts in order and stops in reverse order', async () => {
    const journal: string[] = [];
    const { life } = lifecycle();
    life.add(service('a', journal)).add(service('b', journal)).add(service('c', journal));
    await life.start();
    const report = await life.stop();
    assert.deepEqual(journal, ['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
    assert.equal(report.clean, true);
  });

  it('stops what started when a later service fails to start, and rethrows', async () => {
    const journal: string[] = [];
    const { life } = lifecycle();
    life
      .add(service('a', journal))
      .add(service('b', journal, { failStart: true }))
      .add(service('c', journal));
    await assert.rejects(life.start(), /b cannot start/);
    assert.deepEqual(journal, ['start a', 'start b', 'stop b', 'stop a']);
  });

  it('bounds a service that does not stop, and reports it as unclean', async () => {
    const journal: string[] = [];
    const { life, sink } = lifecycle({ serviceStopTimeoutMs: 100, totalStopTimeoutMs: 1_000 });
    life.add(service('a', journal)).add(service('slow', journal, { stopMs: 5_000 }));
    await life.start();
    const started = Date.now();
    const report = await life.stop();
    assert.ok(Date.now() - started < 1_000);
    assert.equal(report.clean, false);
    assert.deepEqual(
      report.failures.map((f) => f.service),
      ['slow'],
    );
    assert.deepEqual(journal.slice(-2), ['stop slow', 'stop a']);
    assert.match(sink.text, /did not stop within 100 ms/);
  });

  it('reports a stop error and still stops the rest; a second stop is the same report', async () => {
    const journal: string[] = [];
    const { life } = lifecycle();
    life.add(service('a', journal)).add(service('b', journal, { failStop: true }));
    await life.start();
    const first = await life.stop();
    const second = await life.stop();
    assert.equal(first, second);
    assert.deepEqual(first.failures, [{ service: 'b', reason: 'b broke' }]);
    assert.deepEqual(journal, ['start a', 'start b', 'stop b', 'stop a']);
  });
});
