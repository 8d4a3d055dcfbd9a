import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_SITE_ID, DEMO_VIN, defineScenario, demoScenario, loadScenario, parseScenario, ScenarioError } from '../../src/simulator/index.js';
import { tempDir } from '../support/tmp.js';
import { HOUR, LA_MIDNIGHT, MINUTE, pass, worldAt } from './support.js';

describe('scenarios', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir('teslahub-scenario-')));
  after(() => cleanup());

  it('loads YAML with defaults filled in and durations in seconds', async () => {
    const file = join(dir, 'home.yaml');
    await writeFile(
      file,
      [
        'name: two cars',
        'timeZone: Europe/Berlin',
        'accounts: [{ email: owner@example.invalid, region: eu }]',
        'vehicles:',
        '  - vin: LRWYGCEK1PC000001',
        '    name: Family Y',
        '    sleepAfter: 15m',
        '    wakeDelay: 30s',
        '  - vin: 5YJSA1E26HF000002',
        '    commandSigning: off',
        'energySites:',
        '  - id: 998877',
        '    solarKw: 9.5',
        '    batteries: 2',
        '    wallConnectors: [{ din: WC-1, maxAmps: 16, voltage: 230, phases: 3 }]',
        'events:',
        '  - { at: "07:45", type: drive, duration: 20m, miles: 8, to: { lat: 52.5, lon: 13.4 } }',
        '  - { at: "2026-07-01T12:00:00+02:00", type: grid_outage, duration: 1h }',
        '',
      ].join('\n'),
    );
    const scenario = await loadScenario(file);
    assert.equal(scenario.timeZone, 'Europe/Berlin');
    assert.equal(scenario.vehicles[0]?.sleepAfter, 900);
    assert.equal(scenario.vehicles[0]?.wakeDelay, 30);
    assert.equal(scenario.vehicles[1]?.sleepAfter, 600);
    assert.equal(scenario.vehicles[1]?.commandSigning, 'off');
    assert.equal(scenario.energySites[0]?.id, '998877');
    assert.equal(scenario.events[0]?.type, 'drive');
    assert.deepEqual(parseScenario(scenario), scenario, 'parsing is idempotent');
    const json = join(dir, 'home.json');
    await writeFile(json, JSON.stringify({ vehicles: [{ vin: DEMO_VIN }] }));
    assert.equal((await loadScenario(json)).vehicles[0]?.batteryLevel, 64);
  });

  it('reports every problem with its path', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      [
        'timeZone: Mars/Olympus',
        'vehicles: [{ vin: NOT-A-VIN }, { vin: 5YJ3E1EA0PF000001, sleepAfter: soon }]',
        'events: [{ at: "25:00", type: unplug }, { at: "07:00", type: teleport }, { at: "07:00", type: unplug, vehicle: 5YJ3E1EA0PF999999 }]',
        '',
      ].join('\n'),
    );
    await assert.rejects(loadScenario(file), (error: unknown) => {
      assert.ok(error instanceof ScenarioError);
      const text = error.issues.join('\n');
      assert.match(text, /^timeZone: .*IANA/m);
      assert.match(text, /^vehicles\[0\]\.vin: /m);
      assert.match(text, /^vehicles\[1\]\.sleepAfter: "soon" is not a duration/m);
      assert.match(text, /^events\[0\]\.at: /m);
      assert.match(text, /^events\[1\]\.type: /m);
      assert.match(error.message, /bad\.yaml is not a valid scenario/);
      return true;
    });
    await assert.rejects(loadScenario(join(dir, 'missing.yaml')), /cannot read the file/);
    await writeFile(join(dir, 'broken.yaml'), 'vehicles: [\n');
    await assert.rejects(loadScenario(join(dir, 'broken.yaml')), /not valid YAML or JSON/);
    assert.throws(
      () => defineScenario({ events: [{ at: '07:00', type: 'unplug', vehicle: '5YJ3E1EA0PF999999' }] }),
      /events\[0\]: is a vehicle event, but the scenario has no vehicles/,
    );
  });

  it('fires daily events on their weekdays only, and one-off events once', async () => {
    const scenario = defineScenario({
      timeZone: 'America/Los_Angeles',
      vehicles: [{ vin: DEMO_VIN, state: 'asleep' }],
      events: [
        { at: '09:00', weekdays: ['sat'], type: 'user_present', duration: 60 },
        { at: '2026-06-23T10:00', type: 'sentry', on: true },
      ],
    });
    const { clock, world } = worldAt(LA_MIDNIGHT, scenario); // a Monday
    const v = world.vehicles[0]!;
    await pass(clock, world, 9 * HOUR + MINUTE);
    assert.equal(v.status, 'asleep', 'Monday: no Saturday event');
    await pass(clock, world, 25 * HOUR);
    assert.equal(v.state.sentry, true, 'the one-off event at 10:00 local on Tuesday');
    world.patchVehicle(DEMO_VIN, { sentry: false, asleep: true });
    await pass(clock, world, 4 * 24 * HOUR);
    assert.equal(v.state.sentry, false, 'a one-off event happens once');
    assert.ok(world.problems.length === 0);
  });

  it('has a demo day: commute out at 07:30, home at 18:00, charging to 80 % overnight on the Wall Connector', async () => {
    const { clock, world } = worldAt(LA_MIDNIGHT + 6 * HOUR, demoScenario());
    const car = world.vehicle(DEMO_VIN)!;
    const site = world.site(DEMO_SITE_ID)!;
    assert.equal(car.state.displayName, 'Demo Model 3');
    assert.equal(Math.round(car.levelPercent), 64);
    assert.equal(Math.round(site.percentage), 55);
    assert.equal(site.solarPeakKw, 7);
    assert.equal(site.wallConnectors.length, 1);
    await pass(clock, world, 1.5 * HOUR + 10 * MINUTE); // 07:40
    assert.ok(car.state.trip, 'driving to the office');
    await pass(clock, world, 4 * HOUR); // 11:40
    assert.equal(car.state.trip, null);
    assert.equal(car.status, 'asleep');
    assert.ok(car.state.location.lat > 37.45, 'at the office');
    await pass(clock, world, 6.5 * HOUR + 10 * MINUTE); // 18:20
    assert.equal(car.state.chargingState, 'Charging');
    assert.equal(world.vehicleOn(site.wallConnectors[0]!.din), car);
    await pass(clock, world, 10 * HOUR); // 04:20
    assert.equal(car.state.chargingState, 'Complete');
    assert.equal(Math.round(car.levelPercent), 80);
    assert.deepEqual(world.problems, []);
  });
});
