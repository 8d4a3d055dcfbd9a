import type { Simulator, Vehicle } from '../../src/simulator/index.js';
import type { PolicyView } from './policy.js';

/** What the car was doing, from the simulator's truth (not from what a policy believes). */
export type CarActivity = 'asleep' | 'idle' | 'charging' | 'driving';

export function carActivity(vehicle: Vehicle): CarActivity {
  if (vehicle.status !== 'online') return 'asleep';
  if (vehicle.state.trip) return 'driving';
  const charging = vehicle.state.chargingState;
  return charging === 'Charging' || charging === 'Starting' ? 'charging' : 'idle';
}

const MINUTE_MS = 60_000;
/** The requirement: asleep within 15 minutes of the car's own last activity. */
export const SLEEP_DEADLINE_MS = 15 * MINUTE_MS;

export interface KeptAwakeStretch {
  /** First kept-awake minute. */
  from: number;
  minutes: number;
  /** The car's own last activity before it. */
  ownActivityAt: number;
}

export interface SleepFailure {
  /** The car's own last activity. */
  ownActivityAt: number;
  /** When it was first seen asleep afterwards, if it was before its next own activity. */
  asleepAt: number | undefined;
}

export interface CarObservation {
  awakeMinutes: number;
  keptAwakeMinutes: number;
  keptAwake: KeptAwakeStretch[];
  /** Idle periods long enough for the 15-minute rule to apply, and those where the car was still awake. */
  sleepChecks: number;
  sleepFailures: SleepFailure[];
  /** Ages in seconds at each charging minute: of the battery level (vehicle_data) ... */
  chargingBatteryAges: number[];
  /** ... and of the freshest charging power: vehicle_data or a Wall Connector reading naming the car. */
  chargingPowerAgesWithWc: number[];
  /** Ages in seconds at each driving minute (vehicle_data). */
  drivingAges: number[];
  /** At each minute charging on a Wall Connector: |battery level the policy shows − the simulator's truth|, in points. */
  homeChargingBatteryErrors: number[];
}

/**
 * Samples one car each simulated minute. "Own activity" is what the car does by itself: any
 * minute with a sleep blocker (driving, charging, someone inside, sentry, an open door, climate,
 * an update) and every scripted event that touches it (a door, plugging in, a drive starting).
 * A blocker that ends between two samples counts up to the first sample without it, so the car is
 * credited with the whole minute. Awake minutes more than `sleepAfter` past its own activity
 * with no blocker are minutes the car could only be awake because a policy's calls kept it so
 * (pre-2021 S/X, or `dataKeepsAwake`); polling never wakes a car without being counted as a wake.
 */
export class CarObserver {
  readonly vin: string;
  private readonly sim: Simulator;
  private readonly view: PolicyView;
  private readonly runStart: number;
  private readonly events: number[];
  private lastOwn: number;
  private wasBlocked = false;
  private lastSample: number | undefined;
  private asleepSinceOwn = false;
  private judged = false;
  private pendingFailure: SleepFailure | undefined;
  private stretch: KeptAwakeStretch | undefined;
  readonly result: CarObservation = {
    awakeMinutes: 0,
    keptAwakeMinutes: 0,
    keptAwake: [],
    sleepChecks: 0,
    sleepFailures: [],
    chargingBatteryAges: [],
    chargingPowerAgesWithWc: [],
    drivingAges: [],
    homeChargingBatteryErrors: [],
  };

  constructor(options: { vin: string; sim: Simulator; view: PolicyView; runStart: number; ownEvents: readonly number[] }) {
    this.vin = options.vin;
    this.sim = options.sim;
    this.view = options.view;
    this.runStart = options.runStart;
    this.events = [...options.ownEvents].sort((a, b) => a - b);
    // Whatever the car did before the run is unknown; the run's start is its first "activity".
    this.lastOwn = options.runStart;
  }

  sample(now: number): void {
    this.sim.world.advanceTo(now);
    const vehicle = this.sim.world.requireVehicle(this.vin);
    const blocked = vehicle.sleepBlockers(now).length > 0;
    const awake = vehicle.status === 'online';
    const before = this.lastOwn;
    for (const at of this.events) if (at <= now && (this.lastSample === undefined || at > this.lastSample)) this.lastOwn = Math.max(this.lastOwn, at);
    if (blocked || this.wasBlocked) this.lastOwn = now;
    if (this.lastOwn !== before) this.newActivity();
    this.wasBlocked = blocked;
    this.lastSample = now;

    if (awake) this.result.awakeMinutes += 1;
    this.judgeSleep(now, awake, vehicle.state.sleepAfterMs);
    this.countKeptAwake(now, awake && !blocked && now - this.lastOwn > vehicle.state.sleepAfterMs);
    this.staleness(now, vehicle);
  }

  /** Call after the last sample: closes an open stretch. */
  finish(): CarObservation {
    this.closeStretch();
    if (this.pendingFailure) this.result.sleepFailures.push(this.pendingFailure);
    this.pendingFailure = undefined;
    return this.result;
  }

  private newActivity(): void {
    this.closeStretch();
    if (this.pendingFailure) this.result.sleepFailures.push(this.pendingFailure);
    this.pendingFailure = undefined;
    this.asleepSinceOwn = false;
    this.judged = false;
  }

  private judgeSleep(now: number, awake: boolean, sleepAfterMs: number): void {
    if (!awake) {
      this.asleepSinceOwn = true;
      if (this.pendingFailure && this.pendingFailure.asleepAt === undefined) this.pendingFailure.asleepAt = now;
    }
    // Only where the car's own timer could have put it to sleep in time does the rule apply.
    if (this.judged || now - this.lastOwn < SLEEP_DEADLINE_MS || sleepAfterMs > SLEEP_DEADLINE_MS) return;
    this.judged = true;
    this.result.sleepChecks += 1;
    if (!this.asleepSinceOwn) this.pendingFailure = { ownActivityAt: this.lastOwn, asleepAt: undefined };
  }

  private countKeptAwake(now: number, kept: boolean): void {
    if (!kept) {
      this.closeStretch();
      return;
    }
    this.result.keptAwakeMinutes += 1;
    if (this.stretch) this.stretch.minutes += 1;
    else this.stretch = { from: now, minutes: 1, ownActivityAt: this.lastOwn };
  }

  private closeStretch(): void {
    if (this.stretch) this.result.keptAwake.push(this.stretch);
    this.stretch = undefined;
  }

  private staleness(now: number, vehicle: Vehicle): void {
    // No reading yet counts as one taken at the start of the run (the same for both policies;
    // a daemon that has run for days would hold an older one, so this flatters both equally).
    const dataAt = this.view.dataAt(this.vin) ?? this.runStart;
    const batteryAge = (now - dataAt) / 1000;
    if (vehicle.state.trip) this.result.drivingAges.push(batteryAge);
    if (vehicle.state.chargingState !== 'Charging') return;
    this.result.chargingBatteryAges.push(batteryAge);
    const shown = this.view.batteryLevel?.(this.vin);
    if (vehicle.state.plug?.wallConnectorDin !== undefined && shown !== undefined)
      this.result.homeChargingBatteryErrors.push(Math.abs(shown - vehicle.levelPercent));
    const wallConnectorAt = this.view.wallConnectorAt(this.vin);
    const powerAt = wallConnectorAt !== undefined && wallConnectorAt > dataAt ? wallConnectorAt : dataAt;
    this.result.chargingPowerAgesWithWc.push((now - powerAt) / 1000);
  }
}
