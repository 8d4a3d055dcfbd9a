import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AutomationRunLog } from '../../src/automations/summary.js';
import type { Automation } from '../../src/automations/types.js';
import { PairingStatus } from '../../src/commands/pairing-status.js';
import type { DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { Logger, MemorySink } from '../../src/core/logger.js';

describe('status for the web page', () => {
  it('lists automations with their last run from automation_run events', () => {
    const bus = new EventBus<DaemonEvents>(() => undefined);
    let now = 1000;
    const runs = new AutomationRunLog(bus, () => now);
    void runs.start();
    const rules = [
      { id: 'a', alias: 'Rule A', enabled: true },
      { id: 'b', alias: '', enabled: false },
    ] as unknown as Automation[];
    assert.deepEqual(runs.list(rules), [
      { id: 'a', alias: 'Rule A', enabled: true },
      { id: 'b', enabled: false },
    ]);
    now = 5000;
    bus.emit('bridge.event', { type: 'automation_run', automation: 'a', outcome: 'failed', error: 'car asleep' });
    bus.emit('bridge.event', { type: 'command_result', automation: 'b' });
    assert.deepEqual(runs.list(rules)[0], { id: 'a', alias: 'Rule A', enabled: true, lastRunAt: 5000, lastResult: 'failed: car asleep' });
    assert.equal(runs.list(rules)[1]?.lastRunAt, undefined, 'other events are not runs');
    void runs.stop();
    assert.equal(bus.listenerCount(), 0, 'stop leaves no listener');
  });

  it('tells a paired car from a refusing one and from one not asked yet', () => {
    let now = 10;
    const clock = { now: () => now };
    const log = new Logger({ level: 'error', format: 'pretty', sink: new MemorySink(), clock });
    const pairing = new PairingStatus({ clock, log, domain: 'example.org' });
    assert.deepEqual(pairing.state('VIN1'), { paired: undefined });
    pairing.noteUnpaired('VIN1', 'infotainment');
    assert.deepEqual(pairing.state('VIN1'), { paired: false, checkedAt: 10 });
    now = 20;
    pairing.notePaired('VIN1');
    assert.deepEqual(pairing.state('VIN1'), { paired: true, checkedAt: 20 });
    pairing.noteUnpaired('VIN1', 'vcsec');
    assert.equal(pairing.state('VIN1').paired, false, 'a key removed later counts again');
  });
});
