import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DeviceAction } from '../../src/model/actions.js';
import { CommandRefused, type EntityDescriptor, isControl } from '../../src/model/descriptors.js';
import type { EnergySiteSource } from '../../src/model/sources.js';
import { ENERGY_SITE_ENTITIES } from '../../src/model/tables.js';
import { DEMO_SITE_ID } from '../../src/simulator/index.js';
import { emptySite, type SimWorld, siteSource, startWorld } from './support.js';

/** Every energy control's action, POSTed to the simulated site, changes what its entity reads from fresh site_info. */

type Row = EntityDescriptor<EnergySiteSource>;

function row<P extends Row['platform']>(key: string, platform: P): Extract<Row, { platform: P }> {
  const d = ENERGY_SITE_ENTITIES.find((candidate) => candidate.key === key);
  assert.ok(d && d.platform === platform, `${key} is a ${platform}`);
  return d as Extract<Row, { platform: P }>;
}

describe('energy-site controls against the simulated site', () => {
  let world: SimWorld;
  const exercised = new Set<string>();

  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  async function control(key: string, build: (source: EnergySiteSource) => DeviceAction): Promise<EnergySiteSource> {
    exercised.add(key);
    const action = build(await siteSource(world, DEMO_SITE_ID));
    assert.equal(action.kind, 'energy', key);
    if (action.kind !== 'energy') throw new Error('unreachable');
    const answer = await world.api.post(`/na/api/1/energy_sites/${DEMO_SITE_ID}/${action.command}`, action.body);
    assert.equal(answer.status, 200, `${key}: ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body.response?.code, 201);
    return siteSource(world, DEMO_SITE_ID);
  }

  const setNumber = async (key: string, value: number) => {
    const d = row(key, 'number');
    return d.value(await control(key, (s) => d.command(value, s)));
  };
  const choose = async (key: string, option: string) => {
    const d = row(key, 'select');
    return d.value(await control(key, (s) => d.command(option, s)));
  };
  const flip = async (key: string, on: boolean) => {
    const d = row(key, 'switch');
    return d.value(await control(key, (s) => d.command(on, s)));
  };

  it('sets the reserves', async () => {
    assert.equal(await setNumber('backup_reserve', 35), 35);
    assert.equal(await setNumber('off_grid_reserve', 40), 40);
  });

  it('chooses the operation mode and the export rule', async () => {
    for (const mode of ['autonomous', 'backup', 'self_consumption']) assert.equal(await choose('operation_mode', mode), mode);
    for (const rule of ['never', 'pv_only', 'battery_ok']) assert.equal(await choose('allow_export', rule), rule);
    assert.throws(
      () => row('operation_mode', 'select').command('eco', emptySite('1')),
      (error: unknown) => error instanceof CommandRefused && error.reason === 'invalid_value',
    );
  });

  it('switches grid charging and storm watch', async () => {
    assert.equal(await flip('allow_charging_from_grid', false), false);
    const info = (await siteSource(world, DEMO_SITE_ID)).info as { components: Record<string, unknown> };
    assert.equal(info.components.disallow_charge_from_grid_with_solar_installed, true, 'Tesla stores the opposite');
    assert.equal(await flip('allow_charging_from_grid', true), true);
    assert.equal(await flip('storm_watch', false), false);
    assert.equal(await flip('storm_watch', true), true);
  });

  it('hands battery control to the router as its own action (the mode; a duration comes from the payload)', () => {
    exercised.add('battery_control');
    const d = row('battery_control', 'select');
    for (const mode of ['normal', 'charge', 'discharge'] as const)
      assert.deepEqual(d.command(mode, emptySite('1')), { kind: 'battery_control', mode, durationS: undefined });
    assert.equal(d.value({ ...emptySite('1'), batteryControl: { mode: 'discharge', until: undefined } }), 'discharge');
  });

  it('left no control untried', () => {
    const controls = ENERGY_SITE_ENTITIES.filter((d) => isControl(d)).map((d) => d.key);
    assert.deepEqual(
      controls.filter((key) => !exercised.has(key)),
      [],
    );
  });
});
