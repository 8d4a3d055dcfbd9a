import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type EstimateState, estimateNow, initialEstimate, type Learned, onPower, onReading, startingValues } from '../../src/poller/battery-estimate.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 22, 19);
const VIN_3 = '5YJ3E1EA0PF000001';

function data(level: number, added: number | null, chargingState = 'Charging', limit = 80): Record<string, unknown> {
  return { charge_state: { battery_level: level, charge_energy_added: added, charging_state: chargingState, charge_limit_soc: limit } };
}

/** A car truly charging: the Wall Connector's power each minute, the battery gaining `efficiency` of it over `capacityKwh`. */
class Car {
  level: number;
  added = 0;
  readonly watts: number;
  readonly efficiency: number;
  readonly capacityKwh: number;
  constructor(level: number, watts: number, efficiency: number, capacityKwh: number) {
    this.level = level;
    this.watts = watts;
    this.efficiency = efficiency;
    this.capacityKwh = capacityKwh;
  }
  minute(): void {
    const battery = (this.watts / 1000 / 60) * this.efficiency;
    this.added += battery;
    this.level += (battery / this.capacityKwh) * 100;
  }
  reading(limit = 80): Record<string, unknown> {
    return data(Math.round(this.level), Math.round(this.added * 100) / 100, 'Charging', limit);
  }
}

/** Runs `minutes` of charging with a reading every `readEvery` minutes; returns the worst |estimate − truth| and the state. */
function charge(state: EstimateState, car: Car, minutes: number, readEvery: number, start = T0): { state: EstimateState; worst: number } {
  let worst = 0;
  state = onPower(state, car.watts, start);
  state = onReading(state, car.reading(), start).state;
  for (let minute = 1; minute <= minutes; minute++) {
    const now = start + minute * MIN;
    car.minute();
    state = onPower(state, car.watts, now);
    if (minute % readEvery === 0) state = onReading(state, car.reading(), now).state;
    const shown = estimateNow(state, now)?.level ?? state.reading?.level ?? 0;
    worst = Math.max(worst, Math.abs(shown - car.level));
  }
  return { state, worst };
}

describe('battery estimate from the Wall Connector', () => {
  it('starts from per-model values', () => {
    assert.equal(startingValues(VIN_3).capacityKwh, 75);
    assert.equal(startingValues('5YJSA1E2XKF000003').capacityKwh, 95);
    assert.equal(startingValues('ZZZZZZZZZZZZZZZZZ').capacityKwh, 75, 'unknown model: a middle value');
    assert.ok(startingValues(VIN_3).efficiency > 0.85 && startingValues(VIN_3).efficiency < 0.95);
  });

  it('adds the energy charged since the last reading, times efficiency, over the usable pack', () => {
    let state = initialEstimate({ ...startingValues(VIN_3), efficiency: 0.9, capacityKwh: 72 });
    state = onPower(state, 7200, T0);
    state = onReading(state, data(50, 1), T0).state;
    assert.equal(estimateNow(state, T0), undefined, 'at the reading, the reading stands');
    for (let minute = 1; minute <= 30; minute++) state = onPower(state, 7200, T0 + minute * MIN);
    // 30 min at 7.2 kW = 3.6 kWh from the wall; 90 % of it is 3.24 kWh = 4.5 % of 72 kWh.
    assert.deepEqual(estimateNow(state, T0 + 30 * MIN), { level: 54.5, lastReading: 50, lastReadingAt: T0 });
  });

  it('never goes up to the charge limit, never below the reading, and says nothing while not charging', () => {
    let state = initialEstimate({ ...startingValues(VIN_3), efficiency: 0.9, capacityKwh: 72 });
    state = onPower(state, 11_000, T0);
    state = onReading(state, data(76, 1, 'Charging', 78), T0).state;
    for (let minute = 1; minute <= 60; minute++) state = onPower(state, 11_000, T0 + minute * MIN);
    assert.equal(estimateNow(state, T0 + 60 * MIN)?.level, 77, 'one below the limit: reaching it is shown only from a reading');
    state = onPower(state, 0, T0 + 61 * MIN);
    assert.equal(estimateNow(state, T0 + 61 * MIN), undefined, 'the Wall Connector says no power: the reading stands');
    const quiet = onPower(onReading(onPower(initialEstimate(startingValues(VIN_3)), 7000, T0), data(60, 0), T0).state, 7000, T0 + MIN);
    assert.equal(estimateNow(quiet, T0 + 20 * MIN), undefined, 'no Wall Connector reading for 19 min: no estimate');
    let complete = onReading(onPower(initialEstimate(startingValues(VIN_3)), 1500, T0), data(80, 20, 'Complete'), T0).state;
    for (let minute = 1; minute <= 30; minute++) complete = onPower(complete, 1500, T0 + minute * MIN);
    assert.equal(estimateNow(complete, T0 + 30 * MIN), undefined, 'power while the car says Complete (climate on shore power): no estimate');
  });

  it('resets at every real reading', () => {
    let state = initialEstimate({ ...startingValues(VIN_3), efficiency: 0.9, capacityKwh: 72 });
    state = onPower(state, 7200, T0);
    state = onReading(state, data(50, 1), T0).state;
    for (let minute = 1; minute <= 20; minute++) state = onPower(state, 7200, T0 + minute * MIN);
    assert.ok((estimateNow(state, T0 + 20 * MIN)?.level ?? 0) > 52);
    state = onReading(state, data(51, 3), T0 + 20 * MIN).state;
    assert.equal(estimateNow(state, T0 + 20 * MIN), undefined, 'the reading (51) wins, even below the estimate');
    assert.equal(state.reading?.level, 51);
    state = onPower(state, 7200, T0 + 21 * MIN);
    assert.equal(estimateNow(state, T0 + 21 * MIN)?.lastReading, 51);
  });

  it('learns efficiency and usable capacity from consecutive readings, so the next charge is closer', () => {
    // A worn pack (68 kWh usable of 75) charging at 88 %: the starting values are off by 10 %.
    const truth = { efficiency: 0.88, capacityKwh: 68 };
    const first = charge(initialEstimate(startingValues(VIN_3)), new Car(40, 7680, truth.efficiency, truth.capacityKwh), 240, 60);
    const learned: Learned = first.state.learned;
    assert.ok(Math.abs(learned.efficiency - truth.efficiency) < 0.01, `efficiency ${learned.efficiency}`);
    assert.ok(Math.abs(learned.capacityKwh - truth.capacityKwh) < 3, `capacity ${learned.capacityKwh}`);
    const second = charge(initialEstimate(learned), new Car(30, 7680, truth.efficiency, truth.capacityKwh), 240, 60, T0 + 86_400_000);
    const fresh = charge(initialEstimate(startingValues(VIN_3)), new Car(30, 7680, truth.efficiency, truth.capacityKwh), 240, 60, T0 + 86_400_000);
    assert.ok(second.worst < fresh.worst, `learned ${second.worst} vs starting values ${fresh.worst}`);
    assert.ok(second.worst < 1.2, `worst error with learned values: ${second.worst}`);
  });

  it('learns nothing from a reading away from the Wall Connector or a new session', () => {
    let state = initialEstimate(startingValues(VIN_3));
    state = onReading(state, data(50, 1), T0).state;
    const away = onReading(state, data(70, 15), T0 + 60 * MIN);
    assert.equal(away.learnedChanged, false, 'no Wall Connector power: nothing to compare with');
    state = onPower(initialEstimate(startingValues(VIN_3)), 7000, T0);
    state = onReading(state, data(50, 10), T0).state;
    for (let minute = 1; minute <= 60; minute++) state = onPower(state, 7000, T0 + minute * MIN);
    const restarted = onReading(state, data(58, 0.5), T0 + 60 * MIN);
    assert.equal(restarted.learnedChanged, false, 'energy added went down: a new session starts, nothing compared across');
  });
});
