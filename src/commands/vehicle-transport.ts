import type { FleetClient } from '../fleet/client.js';
import type { FleetResult } from '../fleet/errors.js';
import { type CommandResult, sendVehicleCommand } from '../fleet/vehicles.js';
import type { VehicleCommandName } from '../model/actions.js';

/**
 * How a vehicle command reaches the car. REST sends Tesla's command endpoint as it is; the
 * Vehicle Command Protocol (signed commands) implements the same interface.
 */
export interface VehicleCommandTransport {
  send(vin: string, command: VehicleCommandName, body: Record<string, unknown>): Promise<FleetResult<CommandResult>>;
}

export class RestCommandTransport implements VehicleCommandTransport {
  private readonly fleet: FleetClient;

  constructor(fleet: FleetClient) {
    this.fleet = fleet;
  }

  send(vin: string, command: VehicleCommandName, body: Record<string, unknown>): Promise<FleetResult<CommandResult>> {
    return sendVehicleCommand(this.fleet, vin, command, body);
  }
}
