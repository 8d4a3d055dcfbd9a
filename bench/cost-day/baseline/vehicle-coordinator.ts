import type { Clock } from '../../../src/core/clock.js';
import type { FleetClient } from '../../../src/fleet/client.js';
import type { FleetError } from '../../../src/fleet/errors.js';
import { getVehicleData, getVehicleState, type VehicleData, type VehicleDataEndpoint } from '../../../src/fleet/vehicles.js';
import { isPre2021ModelSX } from '../../../src/model/vin.js';
import { at, bool, str } from '../../../src/model/read.js';
import { Coordinator } from './coordinator.js';

/** The vehicle coordinator runs every 600 s. */
export const VEHICLE_INTERVAL_MS = 600_000;
/** The quiet window a pre-2021 S/X is given to fall asleep. */
export const PRE2021_QUIET_INTERVAL_MS = 15 * 60_000;
/** Inactive longer than this → enter the quiet window. */
const QUIET_AFTER_MS = 900_000;
/** Inactive longer than this → the car did not sleep in the window; start counting again. */
const RESTART_AFTER_MS = 1_200_000;

/** The endpoints Home Assistant asks for, plus location_data when the token has vehicle_location. */
const ENDPOINTS: VehicleDataEndpoint[] = ['charge_state', 'climate_state', 'drive_state', 'vehicle_state', 'vehicle_config'];

/**
 * Home Assistant tesla_fleet's vehicle coordinator, built from the documented behaviour only,
 * not from its code. Each cycle: the state call; vehicle_data only when
 * that says `online`. It never wakes a car ("HA never wakes a vehicle to poll it"; a wake
 * happens only before a command, and the bench sends none).
 */
export class HaVehicleCoordinator {
  readonly vin: string;
  readonly coordinator: Coordinator;
  /** The cached state (`online`, `asleep`, `offline`) as the last reply said. */
  state = 'unknown';
  data: VehicleData | undefined;
  dataAt: number | undefined;
  /** Starts at coordinator creation. */
  private lastActive: number;
  private readonly pre2021: boolean;
  private readonly deps: { fleet: FleetClient; clock: Clock; withLocation: boolean; warn: (line: string) => void };

  constructor(vin: string, deps: { fleet: FleetClient; clock: Clock; withLocation: boolean; warn: (line: string) => void }) {
    this.vin = vin;
    this.deps = deps;
    this.pre2021 = isPre2021ModelSX(vin);
    this.lastActive = deps.clock.now();
    this.coordinator = new Coordinator({ clock: deps.clock, intervalMs: VEHICLE_INTERVAL_MS, update: () => this.update() });
  }

  private async update(): Promise<void> {
    const { fleet, clock } = this.deps;
    const state = await getVehicleState(fleet, this.vin);
    if (!state.ok) return this.failed(state.error);
    this.state = state.value.state;
    // The state call is the "free" check before paying for vehicle_data.
    if (this.state !== 'online') return;
    const endpoints = this.deps.withLocation ? [...ENDPOINTS, 'location_data' as const] : ENDPOINTS;
    const data = await getVehicleData(fleet, this.vin, endpoints);
    if (!data.ok) return this.failed(data.error);
    const now = clock.now();
    this.data = data.value;
    this.dataAt = now;
    // After every successful vehicle_data the interval is first reset to 600 s.
    this.coordinator.intervalMs = VEHICLE_INTERVAL_MS;
    if (this.pre2021 && (data.value.state ?? 'online') === 'online') this.pre2021Rule(data.value, now);
  }

  /** Active → reset; else > 20 min → reset; else > 15 min → quiet window. */
  private pre2021Rule(data: VehicleData, now: number): void {
    const active =
      str(at(data, 'charge_state.charging_state')) === 'Charging' ||
      bool(at(data, 'vehicle_state.is_user_present')) === true ||
      bool(at(data, 'vehicle_state.sentry_mode')) === true;
    if (active) {
      this.lastActive = now;
      return;
    }
    const elapsed = now - this.lastActive;
    if (elapsed > RESTART_AFTER_MS) this.lastActive = now;
    else if (elapsed > QUIET_AFTER_MS) this.coordinator.intervalMs = PRE2021_QUIET_INTERVAL_MS;
  }

  /** 408 → cached state asleep, old data kept; 429 → warn, keep data, no backoff. */
  private failed(error: FleetError): void {
    switch (error.kind) {
      case 'asleep':
        this.state = 'asleep';
        return;
      case 'rateLimited':
        this.deps.warn(`baseline: ${this.vin} rate limited (${error.message}); keeping old data`);
        return;
      default:
        this.deps.warn(`baseline: ${this.vin} update failed: ${error.kind}: ${error.message}`);
    }
  }
}
