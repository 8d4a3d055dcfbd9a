import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { ownValue, setOwn } from '../core/own.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { JsonStore } from '../storage/json-store.js';
import { type EstimateState, estimateNow, initialEstimate, onPower, onReading, startingValues } from './battery-estimate.js';
import type { BatteryFile } from './battery-store.js';

export interface BatteryEstimatorDeps {
  registry: DeviceRegistry;
  clock: Clock;
  log: Logger;
  /** Where learned values are kept; without it they are learned again after each restart. */
  store?: JsonStore<BatteryFile> | undefined;
}

/**
 * Keeps each car's battery estimate (battery-estimate.ts) in step with its Wall Connector
 * readings and its vehicle_data, and puts the value to show on the car's source for the entity
 * table: an estimate while it charges at home between readings, nothing when the reading stands.
 */
export class BatteryEstimator {
  private readonly cars = new Map<string, EstimateState>();
  private readonly deps: BatteryEstimatorDeps;

  constructor(deps: BatteryEstimatorDeps) {
    this.deps = deps;
  }

  /** The Wall Connector's power for this car (every energy live poll). */
  power(vin: string, watts: number): void {
    const now = this.deps.clock.now();
    const state = onPower(this.state(vin), watts, now);
    this.cars.set(vin, state);
    this.show(vin, state, now);
  }

  /** A real reading arrived (already on the car's source): it stands, and the session teaches. */
  reading(vin: string, data: Record<string, unknown>): void {
    const now = this.deps.clock.now();
    const { state, learnedChanged } = onReading(this.state(vin), data, now);
    this.cars.set(vin, state);
    this.show(vin, state, now);
    if (learnedChanged) this.save(vin, state);
  }

  /** Forget a car's estimate (it streams now, or estimates were turned off): the reading stands. */
  clear(vin: string): void {
    this.cars.delete(vin);
    if (this.deps.registry.vehicle(vin)?.batteryEstimate) this.deps.registry.updateVehicle(vin, (v) => void (v.batteryEstimate = undefined));
  }

  private state(vin: string): EstimateState {
    const known = this.cars.get(vin);
    if (known) return known;
    const saved = this.deps.store ? ownValue(this.deps.store.data.cars, vin) : undefined;
    return initialEstimate(saved ? { ...saved } : startingValues(vin));
  }

  private show(vin: string, state: EstimateState, now: number): void {
    const estimate = estimateNow(state, now);
    const current = this.deps.registry.vehicle(vin);
    if (!current || (estimate === undefined && current.batteryEstimate === undefined)) return;
    if (
      estimate &&
      current.batteryEstimate &&
      estimate.level === current.batteryEstimate.level &&
      estimate.lastReadingAt === current.batteryEstimate.lastReadingAt
    )
      return;
    this.deps.registry.updateVehicle(vin, (v) => void (v.batteryEstimate = estimate));
  }

  private save(vin: string, state: EstimateState): void {
    const store = this.deps.store;
    if (!store) return;
    store
      .update((draft) => setOwn(draft.cars, vin, { ...state.learned }))
      .catch((error: unknown) => {
        this.deps.log.warn(`could not save what the battery estimate learned for ${vin}: ${errorMessage(error)}`);
      });
  }
}
