import type { TokenManager } from '../auth/token-manager.js';
import type { Config } from '../config/schema.js';
import type { Base } from '../core/base.js';
import type { Service } from '../core/lifecycle.js';
import type { FleetClient } from '../fleet/client.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import { descriptorFor } from '../model/tables.js';
import { BatteryControl } from './battery-control.js';
import { CommandExecutor } from './executor.js';
import { CommandRouter } from './router.js';
import { createVehicleCommands, type VehicleCommands } from './vehicle-commands.js';

export interface CommandsInput {
  config: Config;
  fleet: FleetClient;
  tokens: TokenManager;
  registry: DeviceRegistry;
  naming: DeviceNaming;
}

export interface Commands {
  vehicleCommands: VehicleCommands;
  executor: CommandExecutor;
  router: CommandRouter;
  /** The battery's saved settings. */
  services: Service[];
}

/** Everything between "someone asked" and Tesla: validation, wake, signing or REST, the battery's own rules. */
export async function createCommands(base: Base, input: CommandsInput): Promise<Commands> {
  const { config, fleet, registry, naming } = input;
  const { clock, log, bus } = base;
  const vehicleCommands = await createVehicleCommands({ config, fleet, clock, log: log.child('signing'), health: base.health, bus });
  const battery = await BatteryControl.open(config.data_dir, { fleet, registry, clock, log: log.child('battery-control') });
  const executor = new CommandExecutor({
    fleet,
    registry,
    transport: vehicleCommands.transport,
    battery,
    clock,
    log: log.child('commands'),
    bus,
    wake: { attempts: config.polling.vehicle.wake_attempts, intervalMs: config.polling.vehicle.wake_interval * 1000 },
    mayWake: (vin) => naming.mayWake(vin),
  });
  const router = new CommandRouter({
    registry,
    executor,
    bus,
    log: log.child('commands'),
    clock,
    lookup: descriptorFor,
    resolveDevice: (kind, topicId) => naming.resolve(kind, topicId),
    policy: (ref) => naming.policy(ref),
    grantedScopes: () => {
      const state = input.tokens.state();
      return state.kind === 'ok' ? state.scopes : [];
    },
  });
  return { vehicleCommands, executor, router, services: [battery] };
}
