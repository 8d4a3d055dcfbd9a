import type { Clock, Timer } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { FleetClient } from '../fleet/client.js';
import { describeFleetError } from '../fleet/errors.js';
import { getVehicleData, getVehicleState, type VehicleDataEndpoint } from '../fleet/vehicles.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { VehicleConnection } from '../model/sources.js';
import { type Decision, decide, initialPolicyState, type Observation, type PolicyConfig, type PolicyState } from './vehicle-policy.js';

export interface VehicleRunnerDeps {
  vin: string;
  /** false: poll only when refresh() is called. */
  automatic: boolean;
  fleet: FleetClient;
  registry: DeviceRegistry;
  clock: Clock;
  log: Logger;
  /** Read at every decision: the budget can change it. */
  config: () => PolicyConfig;
  endpoints: () => VehicleDataEndpoint[];
  random?: () => number;
  /** A real reading arrived and is on the car's source (the battery estimate starts from it). */
  onData?: (data: Record<string, unknown>) => void;
}

const BASE_ENDPOINTS: VehicleDataEndpoint[] = ['charge_state', 'climate_state', 'drive_state', 'vehicle_state', 'vehicle_config', 'gui_settings'];

export function vehicleEndpoints(withLocation: boolean): VehicleDataEndpoint[] {
  return withLocation ? [...BASE_ENDPOINTS, 'location_data'] : BASE_ENDPOINTS;
}

export function toConnection(state: string): VehicleConnection {
  return state === 'online' || state === 'asleep' || state === 'offline' ? state : 'unknown';
}

/**
 * Carries out one car's polling policy: one call in flight at a time, every call and every
 * signal fed back into the pure policy, which says what to do next, when, and why.
 */
export class VehicleRunner {
  private state: PolicyState = initialPolicyState();
  private current: Decision | undefined;
  private timer: Timer | undefined;
  private busy = false;
  private queued: Observation | undefined;
  private stopped = false;
  /** Set while the car streams healthily (Fleet Telemetry): nothing is polled, and this says why. */
  private streamingReason: string | undefined;
  private readonly deps: VehicleRunnerDeps;

  constructor(deps: VehicleRunnerDeps) {
    this.deps = deps;
  }

  /** Whether the car streams its values (Fleet Telemetry) and is not polled. */
  get streaming(): boolean {
    return this.streamingReason !== undefined;
  }

  /** The policy's last decision: what comes next, when, and why (for logs and the web page). */
  get decision(): Decision | undefined {
    return this.current;
  }

  start(): void {
    if (!this.deps.automatic) return;
    // What products said about the car is free knowledge: start from it instead of a call.
    const known = this.deps.registry.vehicle(this.deps.vin)?.connection ?? 'unknown';
    if (known === 'unknown') this.observe({ kind: 'tick' });
    else this.observe({ kind: 'state', connection: known });
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /**
   * Fleet Telemetry's word on the car. While it streams healthily there is nothing to poll: no
   * vehicle_data and no state check (connectivity tells whether it is awake). When the stream is
   * known to be unusable the policy starts afresh from what is known about the car.
   */
  setStreaming(streaming: boolean, reason: string): void {
    if (streaming) {
      const was = this.streamingReason !== undefined;
      this.streamingReason = reason;
      if (was) return;
      this.timer?.cancel();
      this.queued = undefined;
      this.current = { state: this.state, action: 'none', at: this.deps.clock.now(), reason: `streaming (Fleet Telemetry): ${reason}` };
      this.deps.log.info(`${this.deps.vin}: streaming, so not polled (${reason})`);
      return;
    }
    if (this.streamingReason === undefined) return;
    this.streamingReason = undefined;
    this.state = initialPolicyState();
    this.deps.log.info(`${this.deps.vin}: polling again: ${reason}`);
    this.start();
  }

  /** Fresh data now (someone asked): bypasses the cadence, never wakes the car. */
  refresh(): void {
    if (this.streamingReason !== undefined) {
      this.deps.log.debug(`${this.deps.vin}: refresh not needed, the car streams its values`);
      return;
    }
    this.observe({ kind: 'refresh' });
  }

  /** The home Wall Connector's reading for this car (free): charge start and stop without vehicle_data. */
  wallConnector(powerW: number): void {
    if (this.deps.automatic) this.observe({ kind: 'wall_connector', powerW });
  }

  private observe(observation: Observation): void {
    if (this.stopped || this.streamingReason !== undefined) return;
    if (this.busy) {
      // One call in flight at a time: the newest signal waits for it and is decided after it.
      this.queued = observation;
      return;
    }
    const { clock, log, vin } = this.deps;
    const decision = decide(this.state, observation, clock.now(), this.deps.config(), (this.deps.random ?? Math.random)());
    this.state = decision.state;
    this.current = decision;
    log.debug(`${vin}: ${decision.action === 'none' ? 'wait' : decision.action} at ${new Date(decision.at).toISOString()}`, { reason: decision.reason });
    this.schedule(decision);
  }

  private schedule(decision: Decision): void {
    this.timer?.cancel();
    if (this.stopped) return;
    const manual = !this.deps.automatic;
    if (manual && decision.at > this.deps.clock.now()) return;
    this.timer = this.deps.clock.setTimeout(() => void this.run(decision.action), Math.max(0, decision.at - this.deps.clock.now()));
  }

  private async run(action: Decision['action']): Promise<void> {
    if (this.stopped || this.streamingReason !== undefined) return;
    if (action === 'none') {
      this.observe({ kind: 'tick' });
      return;
    }
    this.busy = true;
    let observation: Observation;
    try {
      observation = action === 'data' ? await this.pollData() : await this.pollState();
    } finally {
      this.busy = false;
    }
    // A stop during the request is quiet: its failure (an aborted request) is no news.
    if (this.stopped) return;
    if (observation.kind === 'error') {
      this.deps.log.warn(`polling ${this.deps.vin} failed: ${describeFleetError(observation.error)}`);
    }
    this.observe(observation);
    const queued = this.queued;
    this.queued = undefined;
    if (queued) this.observe(queued);
  }

  private async pollState(): Promise<Observation> {
    const { vin, fleet, registry } = this.deps;
    const result = await getVehicleState(fleet, vin);
    if (!result.ok) return { kind: 'error', error: result.error };
    const connection = toConnection(result.value.state);
    if (registry.vehicle(vin)?.connection !== connection) registry.updateVehicle(vin, (v) => void (v.connection = connection));
    return { kind: 'state', connection };
  }

  private async pollData(): Promise<Observation> {
    const { vin, fleet, registry, clock } = this.deps;
    const result = await getVehicleData(fleet, vin, this.deps.endpoints());
    if (!result.ok) {
      if (result.error.kind === 'asleep') {
        registry.updateVehicle(vin, (v) => void (v.connection = 'asleep'));
        return { kind: 'asleep' };
      }
      return { kind: 'error', error: result.error };
    }
    const data = result.value as Record<string, unknown>;
    registry.updateVehicle(vin, (v) => {
      v.data = data;
      v.dataAt = clock.now();
      v.connection = 'online';
      // A real reading always wins over an estimate.
      v.batteryEstimate = undefined;
    });
    this.deps.onData?.(data);
    return { kind: 'data', data };
  }
}
