import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { automationsFrom, Harness } from './harness.js';

const MINUTE = 60_000;
const VIN = '5YJ3E1EA0PF000001';

/** Every minute: a command to a car that has fallen asleep again in between. */
function wakingRule(limits: string): string {
  return `
- id: pester
  triggers: [{ trigger: cron, cron: "* * * * *", timezone: UTC }]
  actions:
    - action: command
      entity: vehicle.${VIN}.charge_limit
      value: 80
${limits}
`;
}

describe('guards', () => {
  it('stop the eleventh wake in an hour, announce it, and allow wakes again as the hour moves on', async () => {
    const h = new Harness(Date.UTC(2026, 5, 1, 10, 0, 30));
    // The car falls asleep right after every command, so each command would wake it.
    h.bus.on(h, 'bridge.event', (event) => {
      if (event.type === 'automation_run') h.connections.set(VIN, 'asleep');
    });
    h.connections.set(VIN, 'asleep');
    await h.start(wakingRule('  limits:\n    wakes_per_hour: 10\n    commands_per_hour: 100'));
    await h.clock.advance(11 * MINUTE);
    const wakes = h.events.filter((e) => e.type === 'vehicle_wake');
    assert.equal(wakes.length, 10);
    assert.equal(h.commands.length, 10, 'the router never saw the eleventh command');
    const runs = h.runs('pester');
    assert.equal(runs.length, 11);
    assert.deepEqual(
      runs.map((r) => r.outcome),
      [...Array(10).fill('done'), 'failed'],
    );
    assert.match(String(runs[10]?.error), /limits\.wakes_per_hour \(10\) reached; the next is allowed at 2026-06-01T11:01:00\.000Z/);
    const [limit] = h.limits();
    assert.deepEqual(limit, {
      type: 'automation_limit',
      automation: 'pester',
      alias: 'pester',
      limit: 'wakes_per_hour',
      max: 10,
      until: '2026-06-01T11:01:00.000Z',
      entity: `vehicle.${VIN}.charge_limit`,
    });

    await h.clock.advance(48 * MINUTE);
    assert.equal(h.commands.length, 10, 'still within the hour of the first wake');
    await h.clock.advance(2 * MINUTE);
    assert.equal(h.commands.length, 11, 'an hour after the first wake, one more is allowed');
    await h.stop();
  });

  it('count only commands that wake: commands to an awake car pass, up to commands_per_hour', async () => {
    const h = new Harness(Date.UTC(2026, 5, 1, 10, 0, 30));
    h.connections.set(VIN, 'online');
    await h.start(wakingRule('  limits: { wakes_per_hour: 0, commands_per_hour: 5 }'));
    await h.clock.advance(30 * MINUTE);
    assert.equal(h.commands.length, 5);
    assert.equal(h.limits().length, 25, 'each refused command is an event');
    assert.ok(h.limits().every((l) => l.limit === 'commands_per_hour'));
    await h.stop();
  });

  it('defaults are safe: 2 wakes and 20 commands an hour, 30 runs a minute', async () => {
    const [rule] = automationsFrom(wakingRule(''));
    assert.deepEqual(rule?.limits, { wakesPerHour: 2, commandsPerHour: 20, runsPerMinute: 30 });
    const h = new Harness(Date.UTC(2026, 5, 1, 10, 0, 30));
    h.bus.on(h, 'bridge.event', (event) => {
      if (event.type === 'automation_run') h.connections.set(VIN, 'asleep');
    });
    await h.start(wakingRule(''));
    await h.clock.advance(10 * MINUTE);
    assert.equal(h.commands.length, 2);
    await h.stop();
  });

  it('runs_per_minute stops a rule that feeds itself (a publish that triggers it again)', async () => {
    const h = new Harness();
    // Echo what arrives: the fake broker does not loop, so the test feeds the echo back in.
    await h.start(`
- id: echo
  mode: queued
  max: 100
  triggers: [{ trigger: mqtt, topic: loop }]
  actions: [{ action: publish, topic: loop, payload: again }]
`);
    for (let i = 0; i < 50; i++) await h.deliver('loop', 'again');
    assert.equal(h.published.length, 30);
    assert.deepEqual(
      h.limits().map((l) => l.limit),
      ['runs_per_minute'],
      'announced once, not 20 times',
    );
    await h.clock.advance(MINUTE);
    await h.deliver('loop', 'again');
    assert.equal(h.published.length, 31, 'the next minute it may run again');
    await h.stop();
  });

  it('with the budget spent (mode stop) no vehicle commands are sent; energy commands still are', async () => {
    const h = new Harness();
    h.connections.set(VIN, 'online');
    h.budget = 'stop';
    await h.start(`
- id: both
  triggers: [{ trigger: mqtt, topic: go }]
  actions:
    - action: command
      entity: energy_site.1234567890.backup_reserve
      value: 100
    - action: command
      entity: vehicle.${VIN}.charge_limit
      value: 90
`);
    await h.deliver('go', '');
    assert.deepEqual(
      h.commands.map((c) => c.entity),
      ['energy_site.1234567890.backup_reserve'],
    );
    assert.match(String(h.runs()[0]?.error), /budget is spent/);
    assert.equal(h.limits()[0]?.limit, 'budget');
    await h.stop();
  });

  it('a reload keeps what a rule has spent: editing it does not reset its limits', async () => {
    const h = new Harness(Date.UTC(2026, 5, 1, 10, 0, 30));
    h.connections.set(VIN, 'online');
    const engine = await h.start(wakingRule('  limits: { commands_per_hour: 3 }'));
    await h.clock.advance(3 * MINUTE);
    assert.equal(h.commands.length, 3);
    await engine.replace(automationsFrom(wakingRule('  limits: { commands_per_hour: 4 }').replace('value: 80', 'value: 81')));
    await h.clock.advance(5 * MINUTE);
    assert.deepEqual(
      h.commands.map((c) => c.payload),
      ['80', '80', '80', '81'],
      'one more under the new limit of 4, not four more',
    );
    await h.stop();
  });
});
