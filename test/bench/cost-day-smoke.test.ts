import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReport, runBench } from '../../bench/cost-day/bench.js';
import { carDay, step } from '../../bench/cost-day/days.js';

/** Three simulated hours with something to pay for: the car wakes, drives, and charges at home. */
const SMOKE_DAY = carDay({
  key: 'smoke',
  title: 'smoke — short night drive and a home charge',
  date: { year: 2026, month: 6, day: 10 },
  car: { vin: '5YJ3BENCHP0000009', label: 'Smoke Model 3', newer: true },
  start: { batteryLevel: 50 },
  startLine: '00:00 asleep at home, 50 %',
  steps: [
    step('00:20', 'owner gets in (5 min)', { type: 'user_present', duration: '5m' }),
    step('00:25', 'drives (30 min, 15 mi)', { type: 'drive', duration: '30m', miles: 15, to: { lat: 37.48, lon: -122.21 } }),
    step('01:10', 'plugs in at home', { type: 'plug_in', charger: 'home' }),
  ],
});

describe('bench cost-day (smoke)', () => {
  it('runs the three policies through a short day, bills them, and ends with one JSON line', async () => {
    const results = await runBench({ plans: [SMOKE_DAY], hours: 3, jobs: 2, variants: [{ stateCallBilled: false, dataKeepsAwake: false }] });
    assert.equal(results.length, 3);
    for (const result of results.filter((r) => r.policy !== 'streaming')) {
      assert.ok(result.counts.data > 0, `${result.policy} paid for no data`);
      assert.ok(result.usd > 0);
      assert.equal(result.meterAgrees, true, `${result.policy}'s meter disagrees with the simulator`);
      assert.equal(result.wakes, 0, `${result.policy} woke the car`);
      assert.equal(result.billedByActivity.unknown, 0, 'every billed request is matched to the car state it was sent in');
      assert.ok((result.car?.drivingAges.length ?? 0) >= 29, 'the drive was sampled each minute');
      assert.ok((result.car?.chargingBatteryAges.length ?? 0) > 60, 'the charge was sampled each minute');
    }
    const streaming = results.find((r) => r.policy === 'streaming');
    assert.equal(streaming?.counts.data, 0, 'no vehicle_data while the car streams');
    assert.ok((streaming?.counts.signal ?? 0) > 0, 'streamed values are billed as signals');
    assert.equal(streaming?.meterAgrees, true, "the streaming daemon's ledger counts the signals Tesla bills");
    assert.equal(streaming?.wakes, 0);
    // The car streamed here yesterday (the saved registry says so): it is not polled before it connects.
    assert.equal(streaming?.stateCalls, 0, 'no state calls while the car sleeps');
    assert.ok((streaming?.car?.chargingBatteryAges.length ?? 0) > 60, 'the charge was sampled each minute');
    const baseline = results.find((r) => r.policy === 'baseline');
    // Home Assistant's cycle: one state call every 600 s, from the first at midnight.
    assert.equal(baseline?.stateCalls, 3 * 6);

    const lines = renderReport([SMOKE_DAY], results);
    const json = JSON.parse(lines.at(-1) ?? '') as Record<string, unknown>;
    assert.equal(typeof json.ratio, 'number');
    assert.equal(json.wakes_by_polling, 0);
    assert.equal(typeof json.teslahub_charging_staleness_p95_s, 'number');
    assert.equal(typeof json.baseline_charging_staleness_p95_s, 'number');
    assert.equal(typeof (json.requirements as Record<string, unknown>).ratio_at_least_3, 'boolean');
    assert.equal(typeof json.streaming_ratio, 'number');
    assert.equal(typeof json.streaming_charging_staleness_p95_s, 'number');
    assert.equal(json.streaming_path, 'builtin', 'the streaming day ran through the built-in receiver');
    // The home charge, minute by minute: teslahub's shown level (estimate between readings) against the truth.
    const ours = results.find((r) => r.policy === 'teslahub')?.car?.homeChargingBatteryErrors ?? [];
    assert.ok(ours.length > 60, `charging minutes at home sampled: ${ours.length}`);
    assert.ok(Math.max(...ours) <= 2, `teslahub's shown level within 2 points of the truth: max ${Math.max(...ours)}`);
    assert.equal(typeof json.teslahub_home_charging_battery_error_p95, 'number');
    assert.equal(typeof json.baseline_home_charging_battery_error_p95, 'number');
    assert.equal((json.requirements as Record<string, unknown>).home_charging_battery_error_p95_at_most_2, true);
    assert.ok(
      lines.some((line) => line.includes('smoke — short night drive')),
      'the day table is printed',
    );
  });
});
