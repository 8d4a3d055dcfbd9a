import type { Clock } from '../core/clock.js';
import type { DaemonEvents, DeviceRef } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { KeyedSerial } from '../core/serial.js';
import type { FleetClient } from '../fleet/client.js';
import { sendEnergyCommand } from '../fleet/energy.js';
import { describeFleetError, type FleetError } from '../fleet/errors.js';
import { getVehicleState, wakeUp } from '../fleet/vehicles.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { VehicleConnection } from '../model/sources.js';
import type { DeviceAction, VehicleStep } from '../model/actions.js';
import type { BatteryControl } from './battery-control.js';
import { applyEnergyCommand, applyVehicleCommand } from './optimistic.js';
import type { VehicleCommandTransport } from './vehicle-transport.js';

export type CommandOutcome = { ok: true; detail?: string } | { ok: false; error: string; possibleSuccess?: boolean };

export interface ExecutorDeps {
  fleet: FleetClient;
  registry: DeviceRegistry;
  transport: VehicleCommandTransport;
  battery: BatteryControl;
  clock: Clock;
  log: Logger;
  bus: EventBus<DaemonEvents>;
  wake: { attempts: number; intervalMs: number };
  /** vehicles[].wake_for_commands: may a command wake this car? */
  mayWake: (vin: string) => boolean;
}

/** Tesla's "no" that still means the car is where it was asked to be. */
const HARMLESS_REFUSALS = new Set(['already_set', 'not_charging', 'requested']);

/**
 * Carries out device actions. Vehicle commands run one at a time per car: the car's state is
 * checked with the cheap call first (a cached "online" may be stale), a sleeping car is woken
 * with bounded attempts (each wake logged and announced with who asked), and the state after a
 * success is shown at once and confirmed by a refresh.
 */
export class CommandExecutor {
  private readonly serial = new KeyedSerial();
  private readonly waking = new Map<string, Promise<CommandOutcome>>();
  private readonly deps: ExecutorDeps;

  constructor(deps: ExecutorDeps) {
    this.deps = deps;
  }

  execute(device: DeviceRef, action: DeviceAction, who: string): Promise<CommandOutcome> {
    switch (action.kind) {
      case 'vehicle':
      case 'wake':
        return this.serial.run(device.id, () => this.vehicle(device.id, action, who));
      case 'energy':
        return this.energy(device.id, action);
      case 'battery_control':
        return this.deps.battery.set(device.id, action.mode, action.durationS).then((r) => (r.ok ? { ok: true, detail: r.detail } : r));
    }
  }

  /**
   * Wakes a car on someone's behalf; shared by commands, the bridge's wake request and
   * automations. One wake is in flight per car whoever asks: a second caller while it runs gets
   * the same outcome, so simultaneous requests cost one billed wake_up.
   */
  ensureAwake(vin: string, who: string): Promise<CommandOutcome> {
    const inFlight = this.waking.get(vin);
    if (inFlight) return inFlight;
    const waking = this.checkAndWake(vin, who).finally(() => this.waking.delete(vin));
    this.waking.set(vin, waking);
    return waking;
  }

  private async checkAndWake(vin: string, who: string): Promise<CommandOutcome> {
    const state = await getVehicleState(this.deps.fleet, vin);
    if (!state.ok) return fail(state.error, 'could not check whether the car is awake');
    this.setConnection(vin, state.value.state);
    if (state.value.state === 'online') return { ok: true };
    if (!this.deps.mayWake(vin)) {
      return {
        ok: false,
        error: `the car is ${state.value.state} and may not be woken for commands (fix: set wake_for_commands: true for it under vehicles: in config.yaml)`,
      };
    }
    const { attempts, intervalMs } = this.deps.wake;
    this.deps.log.info(`waking ${vin} for ${who}`);
    this.deps.bus.emit('bridge.event', { type: 'vehicle_wake', device: `vehicle.${vin}`, who, at: new Date(this.deps.clock.now()).toISOString() });
    const woke = await wakeUp(this.deps.fleet, vin);
    if (!woke.ok) return fail(woke.error, 'wake_up failed');
    if (woke.value.state === 'online') return this.awake(vin);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      await this.deps.clock.sleep(intervalMs);
      const check = await getVehicleState(this.deps.fleet, vin);
      if (check.ok && check.value.state === 'online') return this.awake(vin);
    }
    return { ok: false, error: `the car did not wake up within ${Math.round((attempts * intervalMs) / 1000)} s (${attempts} checks)` };
  }

  private awake(vin: string): CommandOutcome {
    this.setConnection(vin, 'online');
    return { ok: true, detail: 'woke the car' };
  }

  private async vehicle(vin: string, action: Extract<DeviceAction, { kind: 'vehicle' | 'wake' }>, who: string): Promise<CommandOutcome> {
    const awake = await this.ensureAwake(vin, who);
    if (!awake.ok || action.kind === 'wake') return awake;
    const sequence: VehicleStep[] = [...(action.steps ?? []), { command: action.command, body: action.body }];
    for (const step of sequence) {
      const outcome = await this.sendStep(vin, step, who);
      if (!outcome.ok) return outcome;
    }
    if (this.deps.registry.vehicle(vin)?.data) {
      this.deps.registry.updateVehicle(vin, (v) => {
        if (v.data) applyVehicleCommand(v.data, action);
      });
    }
    this.deps.bus.emit('device.refresh', { kind: 'vehicle', id: vin, reason: `confirm ${action.command}` });
    return { ok: true };
  }

  private async sendStep(vin: string, step: VehicleStep, who: string): Promise<CommandOutcome> {
    let result = await this.deps.transport.send(vin, step.command, step.body);
    if (!result.ok && result.error.kind === 'asleep') {
      // It fell asleep between the check and the command: wake once more, send once more.
      const awake = await this.ensureAwake(vin, who);
      if (!awake.ok) return awake;
      result = await this.deps.transport.send(vin, step.command, step.body);
    }
    if (!result.ok) return fail(result.error, `${step.command} failed`);
    if (result.value.result) return { ok: true };
    const reason = result.value.reason ?? '';
    if (HARMLESS_REFUSALS.has(reason)) return { ok: true, detail: reason };
    return { ok: false, error: `the car refused ${step.command}: ${reason || 'no reason given'}` };
  }

  private async energy(siteId: string, action: Extract<DeviceAction, { kind: 'energy' }>): Promise<CommandOutcome> {
    const result = await sendEnergyCommand(this.deps.fleet, siteId, action.command, action.body);
    if (!result.ok) return fail(result.error, `${action.command} failed`);
    if (this.deps.registry.site(siteId)?.info) {
      this.deps.registry.updateSite(siteId, (site) => {
        if (site.info) applyEnergyCommand(site.info, action);
      });
    }
    this.deps.bus.emit('device.refresh', { kind: 'energy_site', id: siteId, reason: `confirm ${action.command}` });
    return { ok: true };
  }

  private setConnection(vin: string, state: string): void {
    const connection: VehicleConnection = state === 'online' || state === 'asleep' || state === 'offline' ? state : 'unknown';
    if (this.deps.registry.vehicle(vin)?.connection === connection) return;
    if (this.deps.registry.vehicle(vin)) this.deps.registry.updateVehicle(vin, (v) => void (v.connection = connection));
  }
}

function fail(error: FleetError, what: string): CommandOutcome {
  return { ok: false, error: `${what}: ${describeFleetError(error)}`, ...(error.kind === 'possibleSuccess' ? { possibleSuccess: true } : {}) };
}
