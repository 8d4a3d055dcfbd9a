import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyHistory, integrateLive, MAX_INTEGRATION_GAP_MS, sumDaySeries } from '../../src/model/energy-totals.js';

const MIN = 60_000;

describe('energy totals', () => {
  it('integrates live power into kWh counters, each flow in its own direction', () => {
    let t = integrateLive(undefined, { solar_power: 3000, grid_power: -1000, battery_power: 500, load_power: 2500 }, 0);
    assert.deepEqual(t.totals, {
      solar_energy: 0,
      grid_energy_imported: 0,
      grid_energy_exported: 0,
      battery_energy_charged: 0,
      battery_energy_discharged: 0,
      home_energy: 0,
    });
    t = integrateLive(t, { solar_power: 3000, grid_power: -1000, battery_power: 500, load_power: 2500 }, 10 * MIN);
    assert.equal(t.totals.solar_energy, 0.5, '3 kW for 10 minutes');
    assert.equal(t.totals.grid_energy_exported, 0.167);
    assert.equal(t.totals.grid_energy_imported, 0);
    assert.equal(t.totals.battery_energy_discharged, 0.083);
    assert.equal(t.totals.home_energy, 0.417);
    // Trapezoid: power rising linearly from 0 to 2 kW over 15 minutes is 0.25 kWh.
    let ramp = integrateLive(undefined, { solar_power: 0 }, 0);
    ramp = integrateLive(ramp, { solar_power: 2000 }, 15 * MIN);
    assert.equal(ramp.totals.solar_energy, 0.25);
  });

  it('does not bridge a gap longer than the limit, and never counts unknown power', () => {
    let t = integrateLive(undefined, { solar_power: 5000 }, 0);
    t = integrateLive(t, { solar_power: 5000 }, MAX_INTEGRATION_GAP_MS + 1);
    assert.equal(t.totals.solar_energy, 0);
    t = integrateLive(t, { solar_power: null }, MAX_INTEGRATION_GAP_MS + 2 * MIN);
    assert.equal(t.totals.solar_energy, 0);
  });

  it('grows with calendar_history within a day, never shrinking when Tesla revises a bucket', () => {
    let t = applyHistory(undefined, '2026-11-22', { solar_energy: 1000, home_energy: 4000 });
    assert.equal(t.totals.solar_energy, 1, 'today so far counts from the first reading');
    t = applyHistory(t, '2026-11-22', { solar_energy: 3500, home_energy: 3900 });
    assert.equal(t.totals.solar_energy, 3.5);
    assert.equal(t.totals.home_energy, 4, 'a revised-down bucket does not lower the counter');
  });

  it("carries yesterday's rest over midnight when its final figures are known", () => {
    let t = applyHistory(undefined, '2026-11-22', { solar_energy: 10_000 });
    t = applyHistory(t, '2026-11-23', { solar_energy: 200 }, { solar_energy: 12_000 });
    assert.equal(t.totals.solar_energy, 10 + 2 + 0.2);
    t = applyHistory(t, '2026-11-24', { solar_energy: 100 });
    assert.equal(t.totals.solar_energy, 12.3, 'without final figures only today is added');
  });

  it("sums a day series per counter from Tesla's field names", () => {
    const today = sumDaySeries([
      { total_solar_generation: 100, grid_energy_imported: 5, total_home_usage: 50 },
      { total_solar_generation: 200, total_battery_charge: 80, total_home_usage: 60 },
    ]);
    assert.deepEqual(today, {
      solar_energy: 300,
      grid_energy_imported: 5,
      grid_energy_exported: 0,
      battery_energy_charged: 80,
      battery_energy_discharged: 0,
      home_energy: 110,
    });
  });
});
