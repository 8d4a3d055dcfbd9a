import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { automationsSchema } from '../../src/automations/schema.js';
import { exampleAutomations, exampleYaml, readmeAutomations } from './example-config.js';
import { Harness } from './harness.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const VIN = '5YJ3E1EA0PF000001';
const SITE = '1234567890';

describe('the examples in config.example.yaml, as shipped', () => {
  it('are the four of the README, word for word, and valid', () => {
    const shipped = exampleAutomations();
    assert.deepEqual(
      shipped.map((a) => a.id),
      ['weekend_charge_limit', 'storm_reserve', 'solar_surplus', 'door_left_open'],
    );
    assert.deepEqual(readmeAutomations(), shipped);
    assert.equal(automationsSchema.safeParse(shipped).success, true);
  });

  it('weekend charge limit: 90 % on Friday 18:00, 80 % on Sunday 22:00 Berlin time, not while driving', async () => {
    const h = new Harness(Date.UTC(2026, 5, 4, 12));
    h.connections.set(VIN, 'online');
    h.states.set(`vehicle.${VIN}.vehicle_state`, 'online');
    await h.start(exampleYaml(['weekend_charge_limit']));
    await h.clock.advance(7 * DAY);
    assert.deepEqual(
      h.commands.map((c) => [new Date(c.at).toISOString(), c.entity, c.payload]),
      [
        ['2026-06-05T16:00:00.000Z', `vehicle.${VIN}.charge_limit`, '90'],
        ['2026-06-07T20:00:00.000Z', `vehicle.${VIN}.charge_limit`, '80'],
      ],
    );
    h.states.set(`vehicle.${VIN}.vehicle_state`, 'driving');
    await h.clock.advance(2 * DAY);
    assert.equal(h.commands.length, 2, 'driving on Friday 18:00: no command');
    const last = h.runs('weekend_charge_limit').at(-1);
    assert.equal(last?.condition, false);
    assert.equal((last?.trigger as { id?: string }).id, 'friday');
    await h.stop();
  });

  it('storm watch: backup reserve to 100 % (and a notice) when it starts, back to 20 % when it ends', async () => {
    const h = new Harness();
    const watch = `energy_site.${SITE}.storm_watch_active`;
    h.states.set(watch, 'OFF');
    await h.start(exampleYaml(['storm_reserve']));
    h.states.set(watch, 'ON');
    await h.clock.advance(0);
    assert.deepEqual(
      h.commands.map((c) => [c.entity, c.payload]),
      [[`energy_site.${SITE}.backup_reserve`, '100']],
    );
    assert.deepEqual(
      h.published.map((p) => [p.topic, p.payload]),
      [['home/notify', 'Storm watch: backup reserve raised to 100 %']],
    );
    await h.clock.advance(6 * 3_600_000);
    h.states.set(watch, 'OFF');
    await h.clock.advance(0);
    assert.deepEqual(
      h.commands.map((c) => c.payload),
      ['100', '20'],
    );
    h.states.set(watch, null);
    h.states.set(watch, 'OFF');
    await h.clock.advance(0);
    assert.equal(h.commands.length, 2, 'unknown -> OFF is not the end of a watch');
    await h.stop();
  });

  it('door left open: an alert after 10 minutes open, none when it closes sooner', async () => {
    const h = new Harness();
    const door = `vehicle.${VIN}.front_driver_door`;
    h.states.set(door, 'OFF');
    await h.start(exampleYaml(['door_left_open']));
    h.states.set(door, 'ON');
    await h.clock.advance(9 * MINUTE);
    h.states.set(door, 'OFF');
    await h.clock.advance(20 * MINUTE);
    assert.equal(h.published.length, 0);
    h.states.set(door, 'ON');
    await h.clock.advance(10 * MINUTE);
    assert.deepEqual(
      h.published.map((p) => [p.topic, p.payload, p.retain]),
      [['home/notify', 'The driver door has been open for 10 minutes', false]],
    );
    await h.stop();
  });

  it('solar surplus: starts, follows and stops with the surplus, keeping 10 minutes between start and stop', async () => {
    const h = new Harness(Date.UTC(2026, 5, 1, 8));
    h.connections.set(VIN, 'online');
    const grid = `energy_site.${SITE}.grid_power`;
    const amps = `vehicle.${VIN}.charge_current`;
    const charge = `vehicle.${VIN}.charge`;
    const power = 'wall_connector.1734412-02-E--PGT2345678900.power';
    // The fake router applies commands as the car would: the states follow.
    h.answer = (command) => {
      if (command.entity === amps) h.states.set(amps, command.payload);
      if (command.entity === charge) h.states.set(charge, command.payload);
      return { ok: true };
    };
    h.states.set(`vehicle.${VIN}.charge_cable_connected`, 'ON');
    h.states.set(charge, 'OFF');
    h.states.set(amps, 16);
    h.states.set(power, 0);
    h.states.set(grid, 0);
    await h.start(exampleYaml(['solar_surplus']));

    /** One minute: the house exports `surplusW` beyond what the car draws at its current amps. */
    let tick = 0;
    const minute = async (surplusW: number): Promise<void> => {
      tick += 1;
      const carW = h.states.get(charge)?.value === 'ON' ? Number(h.states.get(amps)?.value) * 230 : 0;
      h.states.set(power, carW);
      // A watt of jitter, as real readings have: every reading is a change, and so a trigger.
      h.states.set(grid, -(surplusW - carW) - (tick % 2));
      await h.clock.advance(MINUTE);
    };
    const sent = (): string[] => h.commands.map((c) => `${Math.round((c.at - Date.UTC(2026, 5, 1, 8)) / MINUTE)}m ${c.entity.split('.')[2]}=${c.payload}`);

    for (let i = 0; i < 5; i++) await minute(1000);
    assert.deepEqual(sent(), [], 'not enough surplus');
    for (let i = 0; i < 8; i++) await minute(2300);
    assert.deepEqual(sent(), ['10m charge_current=10', '10m charge=ON'], 'starts once off for 10 minutes (it was off from the start)');
    for (let i = 0; i < 2; i++) await minute(2700);
    for (let i = 0; i < 2; i++) await minute(3500);
    for (let i = 0; i < 2; i++) await minute(9000);
    assert.deepEqual(sent().slice(2), ['13m charge_current=11', '15m charge_current=15', '17m charge_current=16'], 'follows up to the 16 A maximum');
    for (let i = 0; i < 3; i++) await minute(400);
    assert.deepEqual(sent().slice(5), ['19m charge_current=6', '20m charge=OFF'], 'on for 9 minutes: down to 6 A; at 10 minutes: stopped');
    for (let i = 0; i < 8; i++) await minute(5000);
    assert.deepEqual(sent().slice(7), [], 'plenty of sun again, but off for less than 10 minutes');
    await minute(5000);
    assert.deepEqual(sent().slice(7), ['30m charge_current=16', '30m charge=ON']);
    for (let i = 0; i < 5; i++) await minute(2420 + (i % 2) * 60);
    assert.deepEqual(sent().slice(9), ['31m charge_current=10'], '10.5 to 10.8 A of surplus: 10 A, and no command for each wobble');
    assert.ok(
      h.runs('solar_surplus').every((run) => run.outcome !== 'failed'),
      JSON.stringify(h.runs().filter((r) => r.outcome === 'failed')),
    );

    h.states.set(`vehicle.${VIN}.charge_cable_connected`, 'OFF');
    for (let i = 0; i < 20; i++) await minute(0);
    assert.equal(h.commands.length, 10, 'unplugged: nothing is sent');
    await h.stop();
  });
});
