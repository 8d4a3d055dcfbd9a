import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DeviceAction } from '../../src/model/actions.js';
import { CommandRefused, type CoverCommand, type EntityDescriptor, type HvacMode, isControl } from '../../src/model/descriptors.js';
import type { VehicleSource } from '../../src/model/sources.js';
import { VEHICLE_ENTITIES } from '../../src/model/tables.js';
import { DEMO_VIN } from '../../src/simulator/index.js';
import { emptyVehicle, type SimWorld, startWorld, vehicleSource } from './support.js';

/**
 * Every vehicle control's action, sent to the simulated car as the router would send it (steps
 * first), must be accepted and must change what the entity reads from fresh vehicle_data.
 */

const OLD_S = '5YJSA1E26HF000002';
const MODEL_X = '7SAXCBE50PF000008';
const SECOND = 1000;

type Row = EntityDescriptor<VehicleSource>;
type Answer = { result: boolean; reason: string };

function row<P extends Row['platform']>(key: string, platform: P): Extract<Row, { platform: P }> {
  const d = VEHICLE_ENTITIES.find((candidate) => candidate.key === key);
  assert.ok(d && d.platform === platform, `${key} is a ${platform}`);
  return d as Extract<Row, { platform: P }>;
}

function refusal(build: () => unknown, reason: string): void {
  assert.throws(build, (error: unknown) => error instanceof CommandRefused && error.reason === reason);
}

describe('vehicle controls against the simulated cars', () => {
  let world: SimWorld;
  const exercised = new Set<string>();

  before(async () => {
    world = await startWorld({
      // The REST bodies of every control, as the simulator's cars apply them: newer cars must
      // be told to accept unsigned commands (a real one since 2021 would not).
      vehicles: [
        { vin: DEMO_VIN, name: 'Three', commandSigning: 'allowed' },
        { vin: OLD_S, name: 'Old S' },
        { vin: MODEL_X, name: 'Seven', model: 'X', commandSigning: 'allowed' },
      ],
      energySites: [{ id: '5555', name: 'Home', batteries: 1, solarKw: 6, wallConnectors: [{}] }],
    });
  });
  after(() => world.close());

  /** Sends an action the way the router does: each step, then the command. Returns the car's answer to the command. */
  async function send(vin: string, action: DeviceAction): Promise<Answer> {
    if (action.kind === 'wake') {
      const answer = await world.api.post(`/na/api/1/vehicles/${vin}/wake_up`);
      assert.equal(answer.status, 200);
      return { result: true, reason: '' };
    }
    assert.equal(action.kind, 'vehicle');
    for (const step of action.steps ?? []) {
      const answer = await world.api.post(`/na/api/1/vehicles/${vin}/command/${step.command}`, step.body);
      assert.equal(answer.body.response?.result, true, `step ${step.command}: ${JSON.stringify(answer.body)}`);
    }
    const answer = await world.api.post(`/na/api/1/vehicles/${vin}/command/${action.command}`, action.body);
    assert.equal(answer.status, 200, `${action.command}: ${JSON.stringify(answer.body)}`);
    return answer.body.response as Answer;
  }

  /** Builds the action from the car's current data, sends it, and returns the car's data afterwards. */
  async function control(
    vin: string,
    key: string,
    build: (source: VehicleSource) => DeviceAction,
    expected: Answer = { result: true, reason: '' },
  ): Promise<VehicleSource> {
    exercised.add(key);
    const action = build(await vehicleSource(world, vin));
    assert.deepEqual(await send(vin, action), expected, `${key}: ${JSON.stringify(action)}`);
    return vehicleSource(world, vin);
  }

  const setNumber = async (key: string, value: number, vin = DEMO_VIN, expected?: Answer) => {
    const d = row(key, 'number');
    return d.value(await control(vin, key, (s) => d.command(value, s), expected));
  };
  const choose = async (key: string, option: string, vin = DEMO_VIN) => {
    const d = row(key, 'select');
    return d.value(await control(vin, key, (s) => d.command(option, s)));
  };
  const flip = async (key: string, on: boolean, vin = DEMO_VIN) => {
    const d = row(key, 'switch');
    return d.value(await control(vin, key, (s) => d.command(on, s)));
  };
  const lock = async (key: string, locked: boolean, vin = DEMO_VIN) => {
    const d = row(key, 'lock');
    return d.value(await control(vin, key, (s) => d.command(locked, s)));
  };
  const cover = async (key: string, command: CoverCommand, vin = DEMO_VIN, expected?: Answer) => {
    const d = row(key, 'cover');
    return d.value(await control(vin, key, (s) => d.command(command, s), expected));
  };
  const press = async (key: string, vin = DEMO_VIN) => {
    const d = row(key, 'button');
    return control(vin, key, (s) => d.command(s));
  };

  it('charging: limit, current, the charge switch, the cable latch and the port door', async () => {
    assert.equal(await setNumber('charge_limit', 90), 90);
    assert.equal(await setNumber('charge_limit', 90, DEMO_VIN, { result: false, reason: 'already_set' }), 90, 'Tesla’s already_set counts as done');
    assert.equal(await setNumber('charge_current', 16), 16);
    world.sim.world.patchVehicle(DEMO_VIN, { pluggedIn: 'home' });
    assert.equal(await flip('charge', false), false);
    assert.equal(await flip('charge', true), true);
    assert.equal(row('charging', 'sensor').value(await vehicleSource(world, DEMO_VIN)), 'starting');
    await world.clock.advance(30 * SECOND);
    const charging = await vehicleSource(world, DEMO_VIN);
    assert.equal(row('charging', 'sensor').value(charging), 'charging');
    assert.equal(row('charge_cable_lock', 'lock').value(charging), true);
    refusal(() => row('charge_cable_lock', 'lock').command(true, charging), 'unsupported');
    assert.equal(await lock('charge_cable_lock', false), false, 'unlocking opens the port and frees the cable');
    assert.equal(
      await cover('charge_port_door', 'CLOSE', DEMO_VIN, { result: false, reason: 'charge cable connected' }),
      'open',
      'the car refuses with a cable in',
    );
    world.sim.world.patchVehicle(DEMO_VIN, { pluggedIn: false });
    assert.equal(await cover('charge_port_door', 'CLOSE'), 'closed');
    assert.equal(await cover('charge_port_door', 'OPEN'), 'open');
  });

  it('security: lock, sentry, keyless driving', async () => {
    assert.equal(await lock('lock', false), false);
    assert.equal(await lock('lock', true), true);
    assert.equal(await flip('sentry_mode', true), true);
    assert.equal(await flip('sentry_mode', false), false);
    const after = await press('keyless_driving');
    assert.equal((after.data?.vehicle_state as Record<string, unknown>).remote_start, true);
  });

  it('climate: mode, temperature, keeper presets, overheat protection, defrost', async () => {
    const climate = row('climate', 'climate');
    const run = async (build: (s: VehicleSource) => DeviceAction) => control(DEMO_VIN, 'climate', build);
    assert.equal(climate.mode(await run((s) => climate.setMode('heat_cool', s))), 'heat_cool');
    assert.equal(climate.targetTemperature(await run((s) => climate.setTemperature?.(22.5, s) as DeviceAction)), 22.5);
    const dog = await run((s) => climate.setPreset?.('dog', s) as DeviceAction);
    assert.equal(climate.preset?.(dog), 'dog');
    assert.equal((dog.data?.climate_state as Record<string, unknown>).passenger_temp_setting, 22.5, 'one cabin temperature');
    const off = await run((s) => climate.setMode('off', s));
    assert.deepEqual([climate.mode(off), climate.preset?.(off)], ['off', 'off']);
    refusal(() => climate.setMode('cool', off), 'invalid_value');
    refusal(() => climate.setPreset?.('none', off), 'invalid_value');

    const cop = row('cabin_overheat_protection', 'climate');
    const copRun = async (build: (s: VehicleSource) => DeviceAction) => control(DEMO_VIN, 'cabin_overheat_protection', build);
    for (const mode of ['fan_only', 'cool', 'off'] as HvacMode[]) assert.equal(cop.mode(await copRun((s) => cop.setMode(mode, s))), mode);
    assert.equal(cop.targetTemperature(await copRun((s) => cop.setTemperature?.(35, s) as DeviceAction)), 35);
    assert.equal(cop.targetTemperature(await copRun((s) => cop.setTemperature?.(30, s) as DeviceAction)), 30);

    assert.equal(await flip('defrost', true), true);
    assert.equal(await flip('defrost', false), false);
  });

  it('seat and wheel heaters start climate first when it is off', async () => {
    const stopped = await control(DEMO_VIN, 'climate', (s) => row('climate', 'climate').setMode('off', s));
    const front = row('seat_heater_front_left', 'select').command('high', stopped);
    assert.deepEqual(front.kind === 'vehicle' && front.steps, [{ command: 'auto_conditioning_start', body: {} }]);
    assert.equal(await choose('seat_heater_front_left', 'high'), 'high');
    const warm = await vehicleSource(world, DEMO_VIN);
    assert.equal(row('climate', 'climate').mode(warm), 'heat_cool');
    const right = row('seat_heater_front_right', 'select').command('low', warm);
    assert.equal(right.kind === 'vehicle' && right.steps, undefined, 'climate already on');
    assert.equal(await choose('seat_heater_front_right', 'low'), 'low');
    for (const key of ['seat_heater_rear_left', 'seat_heater_rear_center', 'seat_heater_rear_right']) assert.equal(await choose(key, 'medium'), 'medium', key);
    assert.equal(await choose('seat_heater_front_left', 'off'), 'off');
    assert.equal(await choose('steering_wheel_heater', 'high'), 'high');
    assert.equal(await choose('steering_wheel_heater', 'low'), 'low');
    for (const key of ['seat_heater_third_row_left', 'seat_heater_third_row_right']) assert.equal(await choose(key, 'low', MODEL_X), 'low', key);
    for (const key of ['auto_seat_climate_left', 'auto_seat_climate_right', 'auto_steering_wheel_heater']) {
      assert.equal(await flip(key, true), true, key);
      assert.equal(await flip(key, false), false, key);
    }
  });

  it('openings: windows, frunk, trunk, sunroof', async () => {
    const vent = row('vent_windows', 'cover').command('OPEN', await vehicleSource(world, DEMO_VIN));
    assert.ok(vent.kind === 'vehicle' && typeof vent.body.lat === 'number' && typeof vent.body.lon === 'number', 'window_control carries the car’s position');
    assert.equal(await cover('vent_windows', 'OPEN'), 'open');
    assert.equal(await cover('vent_windows', 'CLOSE'), 'closed');
    assert.equal(await cover('frunk', 'OPEN'), 'open');
    refusal(() => row('frunk', 'cover').command('CLOSE', emptyVehicle(DEMO_VIN)), 'unsupported');
    assert.equal(await cover('trunk', 'OPEN'), 'open');
    refusal(() => row('trunk', 'cover').command('OPEN', { ...emptyVehicle(DEMO_VIN), data: { vehicle_state: { rt: 1 } } }), 'already_set');
    refusal(() => row('trunk', 'cover').command('CLOSE', emptyVehicle(DEMO_VIN)), 'unknown_state');
    assert.equal(await cover('trunk', 'CLOSE'), 'closed');
    const sunroof = row('sunroof', 'cover');
    assert.equal(await cover('sunroof', 'OPEN', OLD_S), 'open');
    assert.equal(sunroof.position?.(await vehicleSource(world, OLD_S)), 15);
    assert.equal(await cover('sunroof', 'STOP', OLD_S), 'open');
    assert.equal(await cover('sunroof', 'CLOSE', OLD_S), 'closed');
  });

  it('buttons: flash, honk, boombox and HomeLink reach the car; wake wakes it', async () => {
    for (const key of ['flash_lights', 'honk_horn', 'play_fart', 'homelink']) await press(key);
    const actions = world.sim.world.vehicle(DEMO_VIN)?.state.actions.map((entry) => entry.action);
    assert.deepEqual(actions?.slice(-4), ['flash_lights', 'honk_horn', 'remote_boombox', 'trigger_homelink']);
    refusal(() => row('homelink', 'button').command(emptyVehicle(DEMO_VIN)), 'unknown_state');

    world.sim.world.patchVehicle(MODEL_X, { asleep: true });
    exercised.add('wake');
    await send(MODEL_X, row('wake', 'button').command(emptyVehicle(MODEL_X)));
    await world.clock.advance(20 * SECOND);
    const state = (await world.api.get(`/na/api/1/vehicles/${MODEL_X}`)).body.response.state as string;
    assert.equal(state, 'online');
    assert.equal(row('status', 'binary_sensor').value({ ...emptyVehicle(MODEL_X), connection: state as 'online' }), true);
  });

  it('media: playback, tracks, favourites, volume', async () => {
    const media = (key: string, s: VehicleSource) => row(key, 'sensor').value(s);
    const played = await press('media_play_pause');
    assert.equal(media('media_state', played), 'playing');
    const title = media('media_title', played);
    assert.equal(typeof title, 'string');
    assert.notEqual(media('media_title', await press('media_next_track')), title);
    assert.equal(media('media_title', await press('media_previous_track')), title);
    const station = media('media_station', played);
    assert.notEqual(media('media_station', await press('media_next_favorite')), station);
    assert.equal(media('media_station', await press('media_previous_favorite')), station);
    assert.equal(media('media_state', await press('media_play_pause')), 'paused');
    const volume = (await setNumber('media_volume', 5)) as number;
    assert.ok(Math.abs(volume - 5) < 1e-4, `volume ${volume}`);
    const top = (await setNumber('media_volume', 31 / 3)) as number;
    assert.ok(top <= 10.333333 + 1e-9 && top > 10.3, `the car's max, not above it: ${top}`);
  });

  it('software update: refused with nothing to install, scheduled when one is available', async () => {
    const update = row('software_update', 'update');
    refusal(() => update.install?.(emptyVehicle(DEMO_VIN)), 'unsupported');
    world.sim.world.patchVehicle(DEMO_VIN, { softwareUpdate: { version: '2026.2.1', status: 'available' } });
    const offered = await vehicleSource(world, DEMO_VIN);
    assert.deepEqual(update.value(offered), { installed_version: '2025.44.25.1', latest_version: '2026.2.1', in_progress: false, update_percentage: null });
    const scheduled = await control(DEMO_VIN, 'software_update', (s) => update.install?.(s) as DeviceAction);
    assert.equal(update.value(scheduled)?.in_progress, true);
    await world.clock.advance(5 * SECOND);
    const installing = await vehicleSource(world, DEMO_VIN);
    assert.equal(row('vehicle_state', 'sensor').value(installing), 'updating');
    assert.equal(typeof update.value(installing)?.update_percentage, 'number');
  });

  it('left no control untried', () => {
    const controls = VEHICLE_ENTITIES.filter((d) => isControl(d)).map((d) => d.key);
    assert.deepEqual(
      controls.filter((key) => !exercised.has(key)),
      [],
    );
  });
});
