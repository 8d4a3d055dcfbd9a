import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Harness } from './harness.js';

const MINUTE = 60_000;
const DOOR = 'vehicle.5YJ3E1EA0PF000001.front_driver_door';
const LEVEL = 'energy_site.1234567890.percentage_charged';

describe('state triggers', () => {
  it('from/to pick the change; for: waits and is cancelled when the state flips back', async () => {
    const h = new Harness();
    await h.start(`
- id: door
  mode: queued
  triggers:
    - trigger: state
      entity: ${DOOR}
      from: "OFF"
      to: "ON"
      for: 10m
  actions:
    - action: publish
      topic: home/alert
      payload: "door open since {{ trigger.from }} -> {{ trigger.to }}"
`);
    h.states.set(DOOR, 'OFF');
    h.states.set(DOOR, 'ON');
    await h.clock.advance(9 * MINUTE);
    h.states.set(DOOR, 'OFF');
    await h.clock.advance(30 * MINUTE);
    assert.equal(h.published.length, 0, 'closed after 9 minutes: no alert, ever');

    h.states.set(DOOR, 'ON');
    await h.clock.advance(10 * MINUTE - 1);
    assert.equal(h.published.length, 0);
    await h.clock.advance(1);
    assert.deepEqual(
      h.published.map((p) => p.payload),
      ['door open since OFF -> ON'],
    );
    await h.clock.advance(60 * MINUTE);
    assert.equal(h.published.length, 1, 'one alert per opening');

    h.states.set(DOOR, null);
    h.states.set(DOOR, 'ON');
    await h.clock.advance(20 * MINUTE);
    assert.equal(h.published.length, 1, 'from: OFF does not match unknown -> ON');
    await h.stop();
  });

  it('without from/to any change fires, and trigger fields reach templates', async () => {
    const h = new Harness();
    await h.start(`
- id: any
  mode: queued
  triggers: [{ trigger: state, entity: [vehicle.5YJ3E1EA0PF000001.charging, energy_site.1234567890.grid_status] }]
  actions: [{ action: publish, topic: out, payload: "{{ trigger.entity }}: {{ trigger.from }} -> {{ trigger.to }}" }]
`);
    h.states.set('vehicle.5YJ3E1EA0PF000001.charging', 'stopped');
    h.states.set('energy_site.1234567890.grid_status', 'active');
    h.states.set('vehicle.5YJ3E1EA0PF000001.charging', 'charging');
    h.states.set('energy_site.1234567890.grid_status', null);
    h.states.set('vehicle.5YJ3E1EA0PF000001.battery_level', 50);
    h.states.set('vehicle.5YJ3E1EA0PF000001.battery_level', 51);
    await h.clock.advance(0);
    assert.deepEqual(
      h.published.map((p) => p.payload),
      ['vehicle.5YJ3E1EA0PF000001.charging: stopped -> charging', 'energy_site.1234567890.grid_status: active -> unknown'],
    );
    await h.stop();
  });
});

describe('numeric_state triggers', () => {
  it('fire when the value crosses into the range, once per crossing; for: needs it to stay', async () => {
    const h = new Harness();
    await h.start(`
- id: low
  mode: queued
  triggers:
    - trigger: numeric_state
      entity: ${LEVEL}
      below: 30
      for: 2m
  actions: [{ action: publish, topic: out, payload: "low at {{ trigger.to }}" }]
- id: band
  mode: queued
  triggers: [{ trigger: numeric_state, entity: ${LEVEL}, above: 40, below: 60 }]
  actions: [{ action: publish, topic: band, payload: "{{ trigger.to }}" }]
`);
    h.states.set(LEVEL, 25);
    h.states.set(LEVEL, 24);
    await h.clock.advance(10 * MINUTE);
    assert.equal(h.published.length, 0, 'already below when watching began: not a crossing');

    h.states.set(LEVEL, 35);
    h.states.set(LEVEL, 29);
    await h.clock.advance(1 * MINUTE);
    h.states.set(LEVEL, 31);
    await h.clock.advance(5 * MINUTE);
    assert.equal(h.published.length, 0, 'back above 30 within the 2 minutes: cancelled');

    h.states.set(LEVEL, 28);
    await h.clock.advance(1 * MINUTE);
    h.states.set(LEVEL, 27);
    await h.clock.advance(1 * MINUTE);
    assert.deepEqual(
      h.published.map((p) => p.payload),
      ['low at 27'],
      'stayed below (moving within the range) for 2 minutes',
    );
    h.states.set(LEVEL, 20);
    await h.clock.advance(10 * MINUTE);
    assert.equal(h.published.length, 1, 'no second firing without leaving the range');

    for (const level of [45, 50, 65, 55, null, 50]) h.states.set(LEVEL, level);
    await h.clock.advance(0);
    assert.deepEqual(
      h.published.filter((p) => p.topic === 'band').map((p) => p.payload),
      ['45', '55'],
      'unknown does not re-arm it',
    );
    await h.stop();
  });
});

describe('event and mqtt triggers', () => {
  it('event: bridge events by type, the command_failed shorthand, and a device filter', async () => {
    const h = new Harness();
    await h.start(`
- id: outage
  mode: queued
  triggers: [{ trigger: event, event: grid_outage, device: energy_site.1234567890 }]
  actions: [{ action: publish, topic: out, payload: "outage at {{ trigger.device }}" }]
- id: failures
  mode: queued
  triggers: [{ trigger: event, event: command_failed }]
  actions: [{ action: publish, topic: failed, payload: "{{ trigger.device }}" }]
- id: budget
  mode: queued
  triggers: [{ trigger: event, event: budget_reached }]
  actions: [{ action: publish, topic: budget, payload: "{{ trigger.event }}" }]
`);
    h.bus.emit('bridge.event', { type: 'budget', mode: 'slow', previous: 'normal' });
    h.bus.emit('bridge.event', { type: 'budget', mode: 'stop', previous: 'slow' });
    h.bus.emit('bridge.event', { type: 'budget', mode: 'normal', previous: 'stop' });
    h.bus.emit('bridge.event', { type: 'grid_outage', device: 'energy_site.999' });
    h.bus.emit('bridge.event', { type: 'grid_outage', device: 'energy_site.1234567890' });
    h.bus.emit('bridge.event', { type: 'command_result', device: 'vehicle.A', ok: true });
    h.bus.emit('bridge.event', { type: 'command_result', device: 'vehicle.B', ok: false, error: 'asleep' });
    await h.clock.advance(0);
    assert.deepEqual(
      h.published.map((p) => `${p.topic} ${p.payload}`),
      ['budget budget_reached', 'out outage at energy_site.1234567890', 'failed vehicle.B'],
      'the budget reached once: leaving normal',
    );
    assert.equal(h.runs('outage')[0]?.trigger && (h.runs('outage')[0]?.trigger as { event: string }).event, 'grid_outage');
    await h.stop();
  });

  it('mqtt: topic filters and payload match; a retained message fires only when it changed', async () => {
    const h = new Harness();
    await h.start(`
- id: alarm
  mode: queued
  triggers: [{ trigger: mqtt, topic: home/+/alarm, payload: armed }]
  actions: [{ action: publish, topic: out, payload: "{{ trigger.topic }}" }]
`);
    await h.deliver('home/hall/alarm', 'armed', true);
    await h.deliver('home/hall/alarm', 'armed', true);
    assert.equal(h.published.length, 0, 'the replayed retained state is not news');
    await h.deliver('home/hall/alarm', 'disarmed', true);
    await h.deliver('home/hall/alarm', 'armed', true);
    await h.deliver('home/garage/alarm', 'armed');
    await h.deliver('home/garage/alarm', 'off');
    await h.deliver('home/a/b/alarm', 'armed');
    assert.deepEqual(
      h.published.map((p) => p.payload),
      ['home/hall/alarm', 'home/garage/alarm'],
    );
    await h.stop();
  });
});
