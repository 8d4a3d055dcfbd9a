import type { Clock, Timer } from '../core/clock.js';
import { Backoff } from '../core/backoff.js';
import type { Logger } from '../core/logger.js';
import type { FleetClient } from '../fleet/client.js';
import { describeFleetError, type FleetError } from '../fleet/errors.js';
import { getVehicleData, getVehicleState, type VehicleDataEndpoint } from '../fleet/vehicles.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { VehicleConnection } from '../model/sources.js';
import { nextVehiclePoll, type VehicleCadence, type VehicleDecision } from './vehicle-policy.js';

export interface VehicleRunnerDeps {
  vin: string;
  /** false: poll only when refresh() is called. */
  automatic: boolean;
  fleet: FleetClient;
  registry: DeviceRegistry;
  clock: Clock;
  log: Logger;
  cadence: VehicleCadence;
  endpoints: () => VehicleDataEndpoint[];
}

const BASE_ENDPOINTS: VehicleDataEndpoint[] = ['charge_state', 'climate_state', 'drive_state', 'vehicle_state', 'vehicle_config', 'gui_settings'];

export function vehicleEndpoints(withLocation: boolean): VehicleDataEndpoint[] {
  return withLocation ? [...BASE_ENDPOINTS, 'location_data'] : BASE_ENDPOINTS;
}

/** Runs one car's polling: one call in flight at a time, decisions from the pure policy. */
export class VehicleRunner {
  private timer: Timer | undefined;
  private running = false;
  private stopped = false;
  private stateAt: number | undefined;
  private lastDecision: VehicleDecision | undefined;
  private readonly backoff = new Backoff({ initialMs: 30_000, maxMs: 30 * 60_000 });
  private readonly deps: VehicleRunnerDeps;

  constructor(deps: VehicleRunnerDeps) {
    this.deps = deps;
  }

  get decision(): VehicleDecision | undefined {
    return this.lastDecision;
  }

  start(): void {
    if (this.deps.automatic) this.schedule(this.deps.clock.now());
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Fresh data now (someone asked): vehicle_data if the car is online, else the state call. */
  refresh(): void {
    if (this.stopped) return;
    this.timer?.cancel();
    void this.run(true);
  }

  private schedule(at: number): void {
    if (this.stopped || !this.deps.automatic) return;
    this.timer?.cancel();
    this.timer = this.deps.clock.setTimeout(() => void this.run(false), Math.max(0, at - this.deps.clock.now()));
  }

  private async run(forced: boolean): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    const { vin, registry, clock, cadence } = this.deps;
    try {
      const source = registry.vehicle(vin);
      const observation = { connection: source?.connection ?? 'unknown', data: source?.data, dataAt: source?.dataAt, stateAt: this.stateAt } as const;
      const decision = forced ? { action: observation.connection === 'online' ? 'data' : 'state', at: clock.now(), reason: 'refresh requested' } as VehicleDecision : nextVehiclePoll(observation, clock.now(), cadence);
      if (!forced && decision.at > clock.now()) {
        this.lastDecision = decision;
        this.schedule(decision.at);
        return;
      }
      const error = decision.action === 'data' ? await this.pollData() : await this.pollState();
      if (error) {
        const wait = error.kind === 'rateLimited' && error.retryAfterS !== undefined ? error.retryAfterS * 1000 : this.backoff.next();
        this.deps.log.warn(`polling ${vin} failed: ${describeFleetError(error)}; next try in ${Math.round(wait / 1000)} s`);
        this.schedule(clock.now() + wait);
        return;
      }
      this.backoff.reset();
      const source2 = registry.vehicle(vin);
      const next = nextVehiclePoll({ connection: source2?.connection ?? 'unknown', data: source2?.data, dataAt: source2?.dataAt, stateAt: this.stateAt }, clock.now(), cadence);
      this.lastDecision = next;
      this.deps.log.debug(`next poll of ${vin}: ${next.action} at ${new Date(next.at).toISOString()}`, { reason: next.reason });
      this.schedule(next.at);
    } finally {
      this.running = false;
    }
  }

  private async pollState(): Promise<FleetError | undefined> {
    const { vin, fleet, registry, clock } = this.deps;
    const result = await getVehicleState(fleet, vin);
    this.stateAt = clock.now();
    if (!result.ok) return result.error;
    const connection = toConnection(result.value.state);
    if (registry.vehicle(vin)?.connection !== connection) registry.updateVehicle(vin, (v) => void (v.connection = connection));
    // Just came online: its data is worth fetching at once.
    if (connection === 'online') return this.pollData();
    return undefined;
  }

  private async pollData(): Promise<FleetError | undefined> {
    const { vin, fleet, registry, clock } = this.deps;
    const result = await getVehicleData(fleet, vin, this.deps.endpoints());
    if (!result.ok) {
      if (result.error.kind === 'asleep') {
        registry.updateVehicle(vin, (v) => void (v.connection = 'asleep'));
        this.stateAt = clock.now();
        return undefined;
      }
      return result.error;
    }
    registry.updateVehicle(vin, (v) => {
      v.data = result.value as Record<string, unknown>;
      v.dataAt = clock.now();
      v.connection = 'online';
    });
    return undefined;
  }
}

export function toConnection(state: string): VehicleConnection {
  return state === 'online' || state === 'asleep' || state === 'offline' ? state : 'unknown';
}
