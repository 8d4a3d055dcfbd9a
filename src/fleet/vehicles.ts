import { z } from 'zod';
import type { FleetClient } from './client.js';
import { decode } from './decode.js';
import type { FleetResult } from './errors.js';

export const VEHICLE_DATA_ENDPOINTS = [
  'charge_state',
  'climate_state',
  'closures_state',
  'drive_state',
  'gui_settings',
  'location_data',
  'charge_schedule_data',
  'preconditioning_schedule_data',
  'vehicle_config',
  'vehicle_state',
] as const;
export type VehicleDataEndpoint = (typeof VEHICLE_DATA_ENDPOINTS)[number];

const vehicleState = z.object({ vin: z.string(), state: z.string() }).passthrough();
export type VehicleStateSummary = z.infer<typeof vehicleState>;

/** The nested objects of vehicle_data, kept as records; entity descriptors read the fields they need. */
const section = z.record(z.string(), z.unknown());
const vehicleData = z
  .object({
    vin: z.string().optional(),
    state: z.string().optional(),
    charge_state: section.optional(),
    climate_state: section.optional(),
    drive_state: section.optional(),
    vehicle_state: section.optional(),
    vehicle_config: section.optional(),
    gui_settings: section.optional(),
  })
  .passthrough();
export type VehicleData = z.infer<typeof vehicleData>;

const commandResult = z.object({ result: z.boolean(), reason: z.string().nullable().optional() }).passthrough();
export type CommandResult = z.infer<typeof commandResult>;

const path = (vin: string): string => `/api/1/vehicles/${encodeURIComponent(vin)}`;

/** GET /vehicles/{vin}: online, asleep or offline, without waking the car (free by Home Assistant's reading). */
export async function getVehicleState(client: FleetClient, vin: string): Promise<FleetResult<VehicleStateSummary>> {
  return decode(await client.call({ method: 'GET', path: path(vin), device: vin }), vehicleState, 'vehicle state');
}

/** GET vehicle_data (billed as data; 408 when the car sleeps). */
export async function getVehicleData(client: FleetClient, vin: string, endpoints: readonly VehicleDataEndpoint[]): Promise<FleetResult<VehicleData>> {
  return decode(
    await client.call({ method: 'GET', path: `${path(vin)}/vehicle_data`, query: { endpoints: endpoints.join(';') }, device: vin }),
    vehicleData,
    'vehicle_data',
  );
}

/** POST wake_up (billed as a wake). Only ever on behalf of a person or an automation. */
export async function wakeUp(client: FleetClient, vin: string): Promise<FleetResult<VehicleStateSummary>> {
  return decode(await client.call({ method: 'POST', path: `${path(vin)}/wake_up`, device: vin }), vehicleState, 'wake_up');
}

/** POST command/<name> (REST, unsigned; billed as a command). */
export async function sendVehicleCommand(client: FleetClient, vin: string, name: string, body?: Record<string, unknown>): Promise<FleetResult<CommandResult>> {
  return decode(
    await client.call({ method: 'POST', path: `${path(vin)}/command/${encodeURIComponent(name)}`, body: body ?? {}, device: vin, command: true }),
    commandResult,
    `command ${name}`,
  );
}
