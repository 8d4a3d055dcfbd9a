import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { BillingMeter } from '../../src/fleet/meter.js';
import type { BillingCategory } from '../../src/fleet/pricing.js';
import { UsageLedger } from '../../src/storage/usage-ledger.js';
import { tempDir } from '../support/tmp.js';

describe('BillingMeter', () => {
  const recorded: BillingCategory[] = [];
  const meter = new BillingMeter({ sink: { record: (category) => void recorded.push(category) } });

  it("knows Tesla's categories", () => {
    const vin = '/api/1/vehicles/5YJ3E1EA0PF000001';
    assert.equal(meter.categoryOf('GET', `${vin}/vehicle_data`), 'data');
    assert.equal(meter.categoryOf('POST', `${vin}/wake_up`), 'wake');
    assert.equal(meter.categoryOf('POST', `${vin}/command/charge_start`), 'command');
    assert.equal(meter.categoryOf('POST', `${vin}/signed_command`), 'command');
    assert.equal(meter.categoryOf('GET', vin), null, 'the state call is free by default');
    assert.equal(new BillingMeter({ sink: { record: () => undefined }, stateCallBilled: true }).categoryOf('GET', vin), 'data');
    assert.equal(meter.categoryOf('GET', '/api/1/products'), null);
    assert.equal(meter.categoryOf('GET', '/api/1/energy_sites/1/live_status'), null);
  });

  it('records every billed response below 500, errors included, and nothing at 500 or above', () => {
    const path = '/api/1/vehicles/X/vehicle_data';
    for (const status of [200, 408, 429, 401, 500, 503]) meter.record('GET', path, status, 0);
    assert.deepEqual(recorded, ['data', 'data', 'data', 'data']);
  });
});

describe('UsageLedger', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(() => Promise.all(cleanups.map((c) => c())));

  it('counts per UTC day and category, coalesces writes, survives a restart and sums a month', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const clock = new FakeClock(Date.UTC(2026, 10, 30, 23, 59, 0));
    const log = new Logger({ level: 'warn', format: 'pretty', sink: new MemorySink(), clock });
    const ledger = await UsageLedger.open(join(dir, 'data'), log, clock);
    for (let i = 0; i < 500; i++) ledger.record('data', clock.now());
    ledger.record('wake', clock.now());
    await clock.advance(2 * 60_000);
    ledger.record('command', clock.now());
    await ledger.stop();
    const reopened = await UsageLedger.open(join(dir, 'data'), log, clock);
    const november = reopened.month('2026-11');
    assert.deepEqual(november.counts, { data: 500, command: 0, wake: 1, signal: 0 });
    assert.equal(november.usd.toFixed(4), '1.0200');
    assert.deepEqual(reopened.month('2026-12').counts, { data: 0, command: 1, wake: 0, signal: 0 });
    assert.equal(reopened.month().month, '2026-12');
  });
});
