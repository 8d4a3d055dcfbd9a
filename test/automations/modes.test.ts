import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Harness } from './harness.js';

const MINUTE = 60_000;

/** A rule that publishes "start <n>", waits a minute, then publishes "end <n>", for every button press. */
function slowRule(mode: string, extra = ''): string {
  return `
- id: slow
  mode: ${mode}
${extra}
  triggers:
    - trigger: mqtt
      topic: home/button
  actions:
    - action: publish
      topic: home/log
      payload: "start {{ trigger.payload }}"
    - action: delay
      delay: 1m
    - action: publish
      topic: home/log
      payload: "end {{ trigger.payload }}"
`;
}

const logged = (h: Harness): string[] => h.published.filter((p) => p.topic === 'home/log').map((p) => p.payload);

describe('modes, as Home Assistant defines them', () => {
  it('single: a trigger during a run is ignored', async () => {
    const h = new Harness();
    await h.start(slowRule('single'));
    await h.deliver('home/button', '1');
    await h.clock.advance(10_000);
    await h.deliver('home/button', '2');
    await h.clock.advance(5 * MINUTE);
    assert.deepEqual(logged(h), ['start 1', 'end 1']);
    assert.equal(h.runs('slow').length, 1);
    await h.deliver('home/button', '3');
    await h.clock.advance(5 * MINUTE);
    assert.deepEqual(logged(h), ['start 1', 'end 1', 'start 3', 'end 3'], 'runs again once the run ended');
    await h.stop();
  });

  it('queued: triggers wait their turn, in order; max counts the running and the waiting runs', async () => {
    const h = new Harness();
    await h.start(slowRule('queued', '  max: 3'));
    for (const press of ['1', '2', '3', '4']) {
      await h.deliver('home/button', press);
      await h.clock.advance(1000);
    }
    await h.clock.advance(10 * MINUTE);
    assert.deepEqual(logged(h), ['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3'], 'the fourth did not fit: one running and two waiting make 3');
    const runs = h.runs('slow');
    assert.equal(runs.length, 3);
    assert.ok(runs.every((r) => r.outcome === 'done'));
    assert.match(h.sink.text, /3 runs already going on or waiting; triggers\[0\] dropped/);
    await h.stop();
  });

  it('restart: a new trigger cancels the run and starts again', async () => {
    const h = new Harness();
    await h.start(slowRule('restart'));
    await h.deliver('home/button', '1');
    await h.clock.advance(30_000);
    await h.deliver('home/button', '2');
    await h.clock.advance(5 * MINUTE);
    assert.deepEqual(logged(h), ['start 1', 'start 2', 'end 2']);
    const runs = h.runs('slow');
    assert.deepEqual(
      runs.map((r) => r.outcome),
      ['cancelled', 'done'],
    );
    assert.match(String(runs[0]?.error), /restarted by triggers\[0\]/);
    assert.equal(runs[0]?.duration_ms, 30_000);
    await h.stop();
  });

  it('stop and disabled: a stopped engine cancels its run; enabled: false never runs', async () => {
    const h = new Harness();
    await h.start(`${slowRule('single')}
- id: off
  enabled: false
  triggers: [{ trigger: mqtt, topic: home/button }]
  actions: [{ action: publish, topic: home/off, payload: x }]
`);
    await h.deliver('home/button', '1');
    await h.stop();
    assert.deepEqual(
      h.runs('slow').map((r) => r.outcome),
      ['cancelled'],
    );
    assert.equal(h.published.filter((p) => p.topic === 'home/off').length, 0);
    assert.equal(h.clock.pendingCount, 0);
    assert.equal(h.states.listenerCount, 0);
    assert.equal(h.subscriptionCount, 0);
  });
});

describe('a run and its automation_run event', () => {
  it('reports trigger, condition, each action and the outcome; a failing action ends that run only', async () => {
    const h = new Harness();
    h.connections.set('5YJ3E1EA0PF000001', 'online');
    h.answer = (command) => (command.payload === '101' ? { ok: false, error: '101 is outside 50–100 for charge_limit' } : { ok: true });
    await h.start(`
- id: limit
  alias: Charge limit from a button
  triggers:
    - trigger: mqtt
      topic: home/limit
  conditions:
    - condition: state
      entity: vehicle.5YJ3E1EA0PF000001.charge_cable_connected
      state: "ON"
  actions:
    - action: command
      entity: vehicle.5YJ3E1EA0PF000001.charge_limit
      value: "{{ number(trigger.payload) }}"
    - action: publish
      topic: home/notify
      payload: "limit {{ trigger.payload }}"
`);
    h.states.set('vehicle.5YJ3E1EA0PF000001.charge_cable_connected', 'OFF');
    await h.deliver('home/limit', '80');
    assert.equal(h.commands.length, 0);
    assert.deepEqual(h.runs()[0], {
      type: 'automation_run',
      automation: 'limit',
      alias: 'Charge limit from a button',
      trigger: { platform: 'mqtt', at: 'triggers[0]', topic: 'home/limit', payload: '80' },
      condition: false,
      actions: [],
      outcome: 'condition_false',
      started_at: '2026-06-01T10:00:00.000Z',
      duration_ms: 0,
    });

    h.states.set('vehicle.5YJ3E1EA0PF000001.charge_cable_connected', 'ON');
    await h.deliver('home/limit', '101');
    const failed = h.runs()[1];
    assert.equal(failed?.outcome, 'failed');
    assert.match(String(failed?.error), /actions\[0\]: 101 is outside 50–100/);
    assert.deepEqual(failed?.actions, [
      {
        at: 'actions[0]',
        action: 'command',
        ok: false,
        entity: 'vehicle.5YJ3E1EA0PF000001.charge_limit',
        value: 101,
        error: '101 is outside 50–100 for charge_limit',
      },
    ]);
    assert.equal(h.published.length, 0, 'the failed command ended the run before the publish');

    await h.deliver('home/limit', '80');
    const done = h.runs()[2];
    assert.equal(done?.outcome, 'done');
    assert.deepEqual(
      h.commands.map((c) => [c.entity, c.payload, c.who]),
      [
        ['vehicle.5YJ3E1EA0PF000001.charge_limit', '101', 'automation:limit'],
        ['vehicle.5YJ3E1EA0PF000001.charge_limit', '80', 'automation:limit'],
      ],
    );
    assert.deepEqual(
      h.published.map((p) => p.payload),
      ['limit 80'],
    );
    await h.stop();
  });

  it('a value that cannot be computed fails the run with the reason', async () => {
    const h = new Harness();
    await h.start(`
- id: amps
  triggers: [{ trigger: mqtt, topic: go }]
  actions:
    - action: command
      entity: vehicle.5YJ3E1EA0PF000001.charge_current
      value: "{{ energy_site.1234567890.grid_power / 230 }}"
`);
    await h.deliver('go', '');
    assert.equal(h.commands.length, 0);
    assert.match(String(h.runs()[0]?.error), /energy_site\.1234567890\.grid_power is unknown/);
    await h.stop();
  });

  it('wait_for continues when the state comes, or at the timeout (and fails there if told to)', async () => {
    const h = new Harness();
    await h.start(`
- id: waits
  mode: queued
  triggers: [{ trigger: mqtt, topic: go }]
  actions:
    - action: wait_for
      entity: vehicle.5YJ3E1EA0PF000001.charging
      state: charging
      timeout: 5m
      continue_on_timeout: false
    - action: publish
      topic: out
      payload: "charging after {{ trigger.payload }}"
`);
    h.states.set('vehicle.5YJ3E1EA0PF000001.charging', 'stopped');
    await h.deliver('go', '1');
    await h.clock.advance(2 * 60_000);
    h.states.set('vehicle.5YJ3E1EA0PF000001.charging', 'charging');
    await h.clock.advance(0);
    assert.deepEqual(
      h.published.map((p) => [p.payload, p.at - Date.UTC(2026, 5, 1, 10)]),
      [['charging after 1', 120_000]],
    );
    h.states.set('vehicle.5YJ3E1EA0PF000001.charging', 'complete');
    await h.deliver('go', '2');
    await h.clock.advance(10 * 60_000);
    assert.equal(h.published.length, 1);
    const runs = h.runs();
    assert.equal(runs[1]?.outcome, 'failed');
    assert.match(String(runs[1]?.error), /did not become charging within 300 s/);
    assert.equal(runs[1]?.duration_ms, 300_000);
    await h.stop();
  });

  it('choose runs the first option whose conditions hold, else default; if picks then or else', async () => {
    const h = new Harness();
    await h.start(`
- id: pick
  mode: queued
  triggers: [{ trigger: state, entity: energy_site.1234567890.percentage_charged }]
  actions:
    - choose:
        - conditions:
            - condition: numeric_state
              entity: energy_site.1234567890.percentage_charged
              below: 20
          sequence: [{ action: publish, topic: out, payload: low }]
        - conditions:
            - condition: or
              conditions:
                - condition: numeric_state
                  entity: energy_site.1234567890.percentage_charged
                  above: 90
                - condition: not
                  conditions: [{ condition: state, entity: energy_site.1234567890.grid_status, state: active }]
          sequence: [{ action: publish, topic: out, payload: high or off grid }]
      default: [{ action: publish, topic: out, payload: normal }]
    - if:
        - condition: numeric_state
          value: "{{ energy_site.1234567890.percentage_charged * 2 }}"
          above: 100
      then: [{ action: publish, topic: out, payload: "over half" }]
      else: [{ action: publish, topic: out, payload: "half or less" }]
`);
    h.states.set('energy_site.1234567890.grid_status', 'active');
    h.states.set('energy_site.1234567890.percentage_charged', 50);
    for (const [level, grid] of [
      [15, 'active'],
      [95, 'active'],
      [60, 'inactive'],
      [40, 'active'],
    ] as const) {
      h.states.set('energy_site.1234567890.grid_status', grid);
      h.states.set('energy_site.1234567890.percentage_charged', level);
      await h.clock.advance(0);
    }
    assert.deepEqual(
      h.published.map((p) => p.payload),
      ['low', 'half or less', 'high or off grid', 'over half', 'high or off grid', 'over half', 'normal', 'half or less'],
    );
    assert.deepEqual(h.runs()[0]?.actions, [
      { at: 'actions[0]', action: 'choose', ok: true, detail: 'choose[0]' },
      { at: 'actions[0].choose[0].sequence[0]', action: 'publish', ok: true, topic: 'out', value: 'low' },
      { at: 'actions[1]', action: 'if', ok: true, detail: 'else' },
      { at: 'actions[1].else[0]', action: 'publish', ok: true, topic: 'out', value: 'half or less' },
    ]);
    await h.stop();
  });
});
