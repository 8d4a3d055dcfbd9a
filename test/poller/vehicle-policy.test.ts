import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  activityOf,
  backoffMs,
  chargingCadence,
  decide,
  initialPolicyState,
  type Observation,
  type PolicyConfig,
  type PolicyState,
  type PollAction,
  sleepBlockers,
} from '../../src/poller/vehicle-policy.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 22, 8);
const config: PolicyConfig = {
  asleepCheck: 300,
  onlineIdle: 1800,
  chargingMax: 1800,
  chargingMin: 300,
  driving: 900,
  suspendWindow: 1800,
  pre2021QuietWindow: 900,
  stateCallBilled: false,
  pre2021: false,
  budget: 'normal',
};

const parked = {
  drive_state: { shift_state: 'P', speed: null, power: 0 },
  charge_state: { charging_state: 'Disconnected', battery_level: 60 },
  vehicle_state: { df: 0, dr: 0, pf: 0, pr: 0, ft: 0, rt: 0, sentry_mode: false, is_user_present: false },
  climate_state: { is_climate_on: false, climate_keeper_mode: 'off' },
};
const driving = { ...parked, drive_state: { shift_state: 'D', speed: 40, power: 20 } };
const charging = (kw: number) => ({ ...parked, charge_state: { charging_state: 'Charging', charger_power: kw, battery_level: 60, energy_remaining: 45 } });

function run(steps: [Observation, number][], cfg: PolicyConfig = config, start: PolicyState = initialPolicyState()) {
  let state = start;
  const decisions = [];
  for (const [observation, at] of steps) {
    const decision = decide(state, observation, at, cfg);
    state = decision.state;
    decisions.push(decision);
  }
  return decisions;
}

describe('vehicle polling policy', () => {
  it('asks only the free state call while a car is asleep, offline or unknown, never vehicle_data', () => {
    for (const connection of ['asleep', 'offline', 'unknown'] as const) {
      const [d] = run([[{ kind: 'state', connection }, T0]]);
      assert.equal(d?.action, 'state');
      assert.equal(d?.at, T0 + 5 * MIN);
    }
    const [tick] = run([[{ kind: 'tick' }, T0]]);
    assert.equal(tick?.action, 'state', 'unknown at start: the state call, not vehicle_data');
  });

  it('reads vehicle_data once when the car comes online, then follows its activity', () => {
    const [online, drive] = run([
      [{ kind: 'state', connection: 'online' }, T0],
      [{ kind: 'data', data: driving }, T0 + 1000],
    ]);
    assert.equal(online?.action, 'data');
    assert.equal(online?.at, T0);
    assert.equal(drive?.state.dataDueAt, T0 + 1000 + 15 * MIN, 'driving cadence');
    assert.equal(drive?.action, 'state', 'free state checks until then');
    assert.equal(drive?.at, T0 + 1000 + 5 * MIN);
    assert.match(drive?.reason ?? '', /driving/);
    // The state check on time says online: still waiting for the data; when due, the data call.
    const later = decide(drive!.state, { kind: 'state', connection: 'online' }, T0 + 1000 + 15 * MIN, config);
    assert.equal(later.action, 'data');
  });

  it('sets the charging cadence from the charging power, clamped, and relaxes it at a reporting Wall Connector', () => {
    assert.equal(chargingCadence(charging(7.5).charge_state as never, config, false), 300, 'no data: the floor');
    const ac = chargingCadence(charging(7.5), config, false);
    assert.equal(ac, 1800, '5 % of 75 kWh at 7.5 kW = 30 min');
    assert.equal(chargingCadence(charging(11), config, false), 1227);
    assert.equal(chargingCadence(charging(150), config, false), 300, 'DC: never more often than charging_min');
    assert.equal(chargingCadence(charging(7.5), config, true), 3600, 'at home: every 10 %, up to twice charging');
    const [, d] = run([
      [{ kind: 'state', connection: 'online' }, T0],
      [{ kind: 'data', data: charging(11) }, T0],
    ]);
    assert.equal(d?.state.dataDueAt, T0 + 1227 * 1000);
  });

  it('respects every sleep blocker: the car is checked now and then, not fought', () => {
    const blockers: [string, Record<string, unknown>][] = [
      ['someone is in the car', { vehicle_state: { ...parked.vehicle_state, is_user_present: true } }],
      ['sentry mode', { vehicle_state: { ...parked.vehicle_state, sentry_mode: true } }],
      ['climate on', { climate_state: { is_climate_on: true } }],
      ['dog mode', { climate_state: { climate_keeper_mode: 'dog' } }],
      ['preconditioning', { climate_state: { is_preconditioning: true } }],
      ['software update downloading', { vehicle_state: { ...parked.vehicle_state, software_update: { status: 'downloading' } } }],
      ['a door is open', { vehicle_state: { ...parked.vehicle_state, df: 1 } }],
      ['a trunk is open', { vehicle_state: { ...parked.vehicle_state, rt: 1 } }],
      ['drawing power', { drive_state: { shift_state: 'P', power: 2 } }],
    ];
    for (const [name, patch] of blockers) {
      const data = { ...parked, ...patch };
      assert.deepEqual(sleepBlockers(data), [name]);
      assert.equal(activityOf(data), 'awake');
      const [, d] = run([
        [{ kind: 'state', connection: 'online' }, T0],
        [{ kind: 'data', data }, T0],
      ]);
      assert.equal(d?.state.dataDueAt, T0 + 30 * MIN);
      assert.equal(d?.state.lastActiveAt, T0);
      assert.match(d?.reason ?? '', new RegExp(name));
    }
  });

  it('leaves an idle car alone to fall asleep: no vehicle_data in the window, free state checks, then one look', () => {
    const decisions = run([
      [{ kind: 'state', connection: 'online' }, T0],
      [{ kind: 'data', data: parked }, T0],
      [{ kind: 'state', connection: 'online' }, T0 + 5 * MIN],
      [{ kind: 'state', connection: 'online' }, T0 + 25 * MIN],
      [{ kind: 'state', connection: 'online' }, T0 + 31 * MIN],
      [{ kind: 'state', connection: 'online' }, T0 + 36 * MIN],
    ]);
    assert.equal(decisions[1]?.action, 'state');
    assert.equal(decisions[1]?.state.phase, 'suspended');
    assert.equal(decisions[1]?.state.suspendedUntil, T0 + 30 * MIN);
    assert.deepEqual(
      decisions.slice(2, 4).map((d) => d.action),
      ['state', 'state'],
    );
    assert.equal(decisions[4]?.action, 'state', 'still awake after the window: one more free look first');
    assert.equal(decisions[5]?.action, 'data', 'still awake at that look: vehicle_data');
    const asleep = run([
      [{ kind: 'state', connection: 'online' }, T0],
      [{ kind: 'data', data: parked }, T0],
      [{ kind: 'state', connection: 'asleep' }, T0 + 10 * MIN],
    ]);
    assert.equal(asleep[2]?.state.phase, 'asleep');
  });

  it('gives a pre-2021 Model S/X at least its 15-minute quiet window', () => {
    const short = { ...config, suspendWindow: 600 };
    const [, newer] = run(
      [
        [{ kind: 'state', connection: 'online' }, T0],
        [{ kind: 'data', data: parked }, T0],
      ],
      short,
    );
    const [, old] = run(
      [
        [{ kind: 'state', connection: 'online' }, T0],
        [{ kind: 'data', data: parked }, T0],
      ],
      { ...short, pre2021: true },
    );
    assert.equal(newer?.state.suspendedUntil, T0 + 10 * MIN);
    assert.equal(old?.state.suspendedUntil, T0 + 15 * MIN);
  });

  it('treats a 408 as asleep', () => {
    const [, d] = run([
      [{ kind: 'state', connection: 'online' }, T0],
      [{ kind: 'asleep' }, T0],
    ]);
    assert.equal(d?.state.phase, 'asleep');
    assert.equal(d?.action, 'state');
  });

  it('checks with the free state call just before a due vehicle_data, so a car that fell asleep costs nothing', () => {
    const [, drive] = run([
      [{ kind: 'state', connection: 'online' }, T0],
      [{ kind: 'data', data: driving }, T0],
    ]);
    // Free checks at +5 and +10 min say online; at +15 the data is due: first a state check at that instant.
    let state = drive!.state;
    for (const minute of [5, 10]) state = decide(state, { kind: 'state', connection: 'online' }, T0 + minute * MIN, config).state;
    const tick = decide(state, { kind: 'tick' }, T0 + 15 * MIN, config);
    assert.equal(tick.action, 'state', 'a tick at the due time asks the state first');
    assert.equal(tick.at, T0 + 15 * MIN);
    const asleep = decide(tick.state, { kind: 'state', connection: 'asleep' }, T0 + 15 * MIN, config);
    assert.equal(asleep.action, 'state', 'found asleep: no vehicle_data, no 408');
    const online = decide(tick.state, { kind: 'state', connection: 'online' }, T0 + 15 * MIN, config);
    assert.deepEqual([online.action, online.at], ['data', T0 + 15 * MIN], 'still online: the data call right away');
    // With a billed state call the check would cost as much as the data: straight to vehicle_data.
    const billed = { ...config, stateCallBilled: true };
    const [, billedDrive] = run(
      [
        [{ kind: 'state', connection: 'online' }, T0],
        [{ kind: 'data', data: driving }, T0],
      ],
      billed,
    );
    assert.deepEqual([billedDrive?.action, billedDrive?.at], ['data', T0 + 15 * MIN]);
  });

  it('uses the Wall Connector first: charge start and stop trigger one read, a steady reading none', () => {
    const decisions = run([
      [{ kind: 'state', connection: 'asleep' }, T0],
      [{ kind: 'wall_connector', powerW: 7400 }, T0 + MIN],
      [{ kind: 'data', data: charging(7.4) }, T0 + MIN],
      [{ kind: 'wall_connector', powerW: 7400 }, T0 + 2 * MIN],
      [{ kind: 'wall_connector', powerW: 0 }, T0 + 90 * MIN],
    ]);
    assert.equal(decisions[1]?.action, 'data');
    assert.match(decisions[1]?.reason ?? '', /Wall Connector shows the car charging/);
    assert.equal(decisions[2]?.state.dataDueAt, T0 + MIN + 3600 * 1000, 'at home: battery level every 10 %');
    assert.deepEqual([decisions[3]?.action, decisions[3]?.at], [decisions[2]?.action, decisions[2]?.at], 'a steady reading changes nothing');
    assert.equal(decisions[4]?.action, 'data');
    assert.equal(decisions[4]?.at, T0 + 90 * MIN);
    assert.match(decisions[4]?.reason ?? '', /charge ended/);
  });

  it('refreshes on request without waking a sleeping car', () => {
    const [, online] = run(
      [
        [{ kind: 'state', connection: 'online' }, T0],
        [{ kind: 'refresh' }, T0 + MIN],
      ],
      config,
      { ...initialPolicyState(), phase: 'online', lastDataAt: T0 },
    );
    assert.equal(online?.action, 'data');
    assert.equal(online?.at, T0 + MIN);
    const [, asleep] = run([
      [{ kind: 'state', connection: 'asleep' }, T0],
      [{ kind: 'refresh' }, T0 + MIN],
    ]);
    assert.equal(asleep?.action, 'state');
  });

  it('honours Retry-After to the second and backs off other errors exponentially with jitter, capped', () => {
    const [limited, early] = run([
      [{ kind: 'error', error: { kind: 'rateLimited', retryAfterS: 42, message: '' } }, T0],
      [{ kind: 'tick' }, T0 + 41_000],
    ]);
    assert.equal(limited?.action, 'none');
    assert.equal(limited?.at, T0 + 42_000);
    assert.equal(early?.at, T0 + 42_000);
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((failures) => backoffMs(failures, 0.5));
    assert.deepEqual(waits, [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000, 1_800_000]);
    assert.equal(backoffMs(1, 0), 24_000);
    assert.equal(backoffMs(1, 0.999), 35_988);
  });

  it('uses a billed state call sparingly', () => {
    const [d] = run([[{ kind: 'state', connection: 'asleep' }, T0]], { ...config, stateCallBilled: true });
    assert.equal(d?.at, T0 + 15 * MIN);
  });

  it('slows billed polling on budget "slow" without losing a charging session, and stops it on "stop"', () => {
    const [, slowDrive] = run(
      [
        [{ kind: 'state', connection: 'online' }, T0],
        [{ kind: 'data', data: driving }, T0],
      ],
      { ...config, budget: 'slow' },
    );
    assert.equal(slowDrive?.state.dataDueAt, T0 + 45 * MIN);
    const [, slowCharge] = run(
      [
        [{ kind: 'state', connection: 'online' }, T0],
        [{ kind: 'data', data: charging(7.5) }, T0],
      ],
      { ...config, budget: 'slow' },
    );
    assert.equal(slowCharge?.state.dataDueAt, T0 + 60 * MIN, 'charging is never stretched beyond twice charging');
    const [stop] = run([[{ kind: 'state', connection: 'online' }, T0]], { ...config, budget: 'stop' });
    assert.equal(stop?.action, 'state', 'no vehicle_data; the free state call goes on');
    const [stopBilled] = run([[{ kind: 'state', connection: 'online' }, T0]], { ...config, budget: 'stop', stateCallBilled: true });
    assert.equal(stopBilled?.action, 'none');
  });

  it('never asks for vehicle_data from a car it does not know to be online (random sequences)', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T;
    const observations: Observation[] = [
      { kind: 'state', connection: 'online' },
      { kind: 'state', connection: 'asleep' },
      { kind: 'state', connection: 'offline' },
      { kind: 'asleep' },
      { kind: 'data', data: parked },
      { kind: 'data', data: driving },
      { kind: 'data', data: charging(11) },
      { kind: 'wall_connector', powerW: 0 },
      { kind: 'refresh' },
      { kind: 'tick' },
      { kind: 'error', error: { kind: 'transient', status: 503, message: '' } },
    ];
    for (let run2 = 0; run2 < 300; run2++) {
      let state = initialPolicyState();
      let now = T0;
      for (let step = 0; step < 40; step++) {
        const observation = pick(observations);
        const before = state.phase;
        const decision = decide(state, observation, now, config, random());
        if (decision.action === 'data') {
          const knownOnline =
            before === 'online' ||
            before === 'suspended' ||
            (observation.kind === 'state' && observation.connection === 'online') ||
            observation.kind === 'data' ||
            observation.kind === 'wall_connector';
          assert.ok(knownOnline, `vehicle_data after ${observation.kind} in phase ${before}`);
        }
        assert.ok(['state', 'data', 'none'].includes(decision.action));
        assert.ok(decision.at >= now);
        state = decision.state;
        now += Math.floor(random() * 20) * MIN;
      }
    }
  });
  it('gives a car found awake where a read could keep it awake one more look before vehicle_data (sleep within 15 min)', () => {
    const billed: PolicyConfig = { ...config, stateCallBilled: true, asleepCheck: 900 };
    const pre2021: PolicyConfig = { ...billed, pre2021: true };
    type Row = [name: string, cfg: PolicyConfig, steps: [Observation, number][], expected: [PollAction, number, RegExp?][]];
    const asleep: Observation = { kind: 'state', connection: 'asleep' };
    const online: Observation = { kind: 'state', connection: 'online' };
    const rows: Row[] = [
      // The bench's Model S 2019: someone sat in it 12:03-12:08; the billed check at 12:15 finds it awake.
      [
        'pre-2021, 15 min unseen',
        pre2021,
        [
          [asleep, T0],
          [online, T0 + 15 * MIN],
          [asleep, T0 + 30 * MIN],
        ],
        [
          ['state', T0 + 15 * MIN],
          ['state', T0 + 30 * MIN, /one more look/],
          ['state', T0 + 45 * MIN],
        ],
      ],
      [
        'pre-2021, still awake at the second look',
        pre2021,
        [
          [asleep, T0],
          [online, T0 + 15 * MIN],
          [online, T0 + 30 * MIN],
        ],
        [
          ['state', T0 + 15 * MIN],
          ['state', T0 + 30 * MIN],
          ['data', T0 + 30 * MIN],
        ],
      ],
      [
        'pre-2021, seen asleep 5 min ago: woke by its own doing just now',
        { ...config, pre2021: true },
        [
          [asleep, T0],
          [online, T0 + 5 * MIN],
        ],
        [
          ['state', T0 + 5 * MIN],
          ['data', T0 + 5 * MIN],
        ],
      ],
      [
        'newer car, 15 min unseen: read at once',
        billed,
        [
          [asleep, T0],
          [online, T0 + 15 * MIN],
        ],
        [
          ['state', T0 + 15 * MIN],
          ['data', T0 + 15 * MIN],
        ],
      ],
      // The bench's weekend: idle at 14:05, a drive inside the quiet window, still awake when it ends.
      [
        'quiet window over, still awake',
        config,
        [
          [{ kind: 'data', data: parked }, T0],
          [online, T0 + 30 * MIN],
          [asleep, T0 + 35 * MIN],
        ],
        [
          ['state', T0 + 5 * MIN],
          ['state', T0 + 35 * MIN, /one more look/],
          ['state', T0 + 40 * MIN],
        ],
      ],
      [
        'quiet window over, awake at the second look too',
        config,
        [
          [{ kind: 'data', data: parked }, T0],
          [online, T0 + 30 * MIN],
          [online, T0 + 35 * MIN],
        ],
        [
          ['state', T0 + 5 * MIN],
          ['state', T0 + 35 * MIN],
          ['data', T0 + 35 * MIN],
        ],
      ],
      [
        'quiet window over with a billed state call: the look costs as much as the data',
        billed,
        [
          [{ kind: 'data', data: parked }, T0],
          [online, T0 + 30 * MIN],
        ],
        [
          ['state', T0 + 15 * MIN],
          ['data', T0 + 30 * MIN],
        ],
      ],
    ];
    for (const [name, cfg, steps, expected] of rows) {
      const decisions = run(steps, cfg);
      assert.deepEqual(
        decisions.map((d) => [d.action, d.at]),
        expected.map(([action, at]) => [action, at]),
        name,
      );
      for (const [index, [, , reason]] of expected.entries()) if (reason) assert.match(decisions[index]?.reason ?? '', reason, name);
    }
  });
});
