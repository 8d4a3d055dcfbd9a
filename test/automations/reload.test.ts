import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAutomations } from '../../src/automations/index.js';
import { loadConfig } from '../../src/config/load.js';
import type { DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { DeviceRegistry } from '../../src/model/device-registry.js';
import { DeviceNaming } from '../../src/model/naming.js';
import { Topics } from '../../src/mqtt/topics.js';
import { tempDir } from '../support/tmp.js';

const rule = (id: string, cron: string): string =>
  `  - id: ${id}\n    triggers: [{ trigger: cron, cron: "${cron}", timezone: UTC }]\n    actions: [{ action: publish, topic: out, payload: ${id} }]\n`;

describe('reload_automations', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  after(() => cleanup());

  it('swaps in a valid set, keeps the old one (still running) when the file has problems, and says why', async () => {
    const file = join(dir, 'config.yaml');
    await writeFile(file, `automations:\n${rule('first', '*/10 * * * *')}`);
    const first = loadConfig({ file, cwd: dir, env: {} });
    assert.ok(first.ok);
    const clock = new FakeClock(Date.UTC(2026, 10, 22, 10, 0, 30));
    const sink = new MemorySink();
    const log = new Logger({ level: 'debug', format: 'pretty', sink, clock });
    const bus = new EventBus<DaemonEvents>((error) => {
      throw error;
    });
    const published: string[] = [];
    const automations = createAutomations({
      automations: first.loaded.config.automations,
      registry: await DeviceRegistry.open(dir, bus, log, clock),
      naming: new DeviceNaming({ vehicles: [], energy_sites: [] }),
      topics: new Topics('teslahub', 'homeassistant'),
      bus,
      clock,
      log,
      mqtt: { subscribe: () => undefined, unsubscribeOwner: () => undefined, publish: (_topic, payload) => published.push(payload) > 0 },
      commands: { run: async () => ({ ok: true, value: null }) },
      budgetMode: () => 'normal',
      readConfig: () => loadConfig({ file, cwd: dir, env: {} }),
    });
    for (const service of automations.services) await service.start(new AbortController().signal);
    await clock.advance(10 * 60_000);
    assert.deepEqual(published, ['first']);

    await writeFile(file, `automations:\n${rule('second', '*/5 * * * *')}${rule('third', '0 * * * *')}`);
    assert.deepEqual(await automations.reload(), { ok: true, automations: 2, enabled: 2 });
    await clock.advance(10 * 60_000);
    assert.deepEqual(published, ['first', 'second', 'second'], 'the old rule is gone, the new ones run');

    await writeFile(file, `automations:\n${rule('broken', '0 24 * * *')}  - id: second\n`);
    const refused = await automations.reload();
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error, 'the config has 3 problems; kept the 2 automations in use');
    assert.deepEqual(!refused.ok && refused.issues?.map((issue) => issue.replace(`${dir}/`, '')), [
      'automations[0].triggers[0].cron: invalid expression "0 24 * * *" (fix: hour is 0-23) [config.yaml line 3]',
      'automations[1].triggers: triggers is missing (fix: add triggers: with at least one item, as in config.example.yaml) [config.yaml line 5]',
      'automations[1].actions: actions is missing (fix: add actions: with at least one item, as in config.example.yaml) [config.yaml line 5]',
    ]);
    await clock.advance(5 * 60_000);
    assert.deepEqual(published, ['first', 'second', 'second', 'second'], 'the rules in force keep running');
    assert.match(sink.text, /reload_automations: the config has 3 problems; kept the 2 automations in use/);

    await writeFile(file, 'automations:\n');
    assert.deepEqual(await automations.reload(), { ok: true, automations: 0, enabled: 0 }, 'an empty automations: section means none');
    for (const service of [...automations.services].reverse()) await service.stop();
    assert.equal(clock.pendingCount, 0);
  });

  it('two replacements at once leave only the later set running, and a stop during one leaves nothing', async () => {
    const file = join(dir, 'twice.yaml');
    await writeFile(file, `automations:\n${rule('a', '*/10 * * * *')}${rule('b', '*/10 * * * *')}`);
    const loaded = loadConfig({ file, cwd: dir, env: {} });
    assert.ok(loaded.ok);
    const [a, b] = loaded.loaded.config.automations;
    assert.ok(a && b);
    const clock = new FakeClock(Date.UTC(2026, 10, 22, 10, 0, 30));
    const log = new Logger({ level: 'debug', format: 'pretty', sink: new MemorySink(), clock });
    const bus = new EventBus<DaemonEvents>((error) => {
      throw error;
    });
    const published: string[] = [];
    const automations = createAutomations({
      automations: [],
      registry: await DeviceRegistry.open(dir, bus, log, clock),
      naming: new DeviceNaming({ vehicles: [], energy_sites: [] }),
      topics: new Topics('teslahub', 'homeassistant'),
      bus,
      clock,
      log,
      mqtt: { subscribe: () => undefined, unsubscribeOwner: () => undefined, publish: (_topic, payload) => published.push(payload) > 0 },
      commands: { run: async () => ({ ok: true, value: null }) },
      budgetMode: () => 'normal',
      readConfig: undefined,
    });
    for (const service of automations.services) await service.start(new AbortController().signal);
    await Promise.all([automations.engine.replace([a]), automations.engine.replace([b])]);
    await clock.advance(10 * 60_000);
    assert.deepEqual(published, ['b']);

    const replacing = automations.engine.replace([a, b]);
    for (const service of [...automations.services].reverse()) await service.stop();
    await replacing;
    await clock.advance(10 * 60_000);
    assert.deepEqual(published, ['b']);
    assert.equal(clock.pendingCount, 0);
  });
});
