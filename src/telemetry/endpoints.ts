import { z } from 'zod';
import type { FleetClient } from '../fleet/client.js';
import { decode } from '../fleet/decode.js';
import type { FleetResult } from '../fleet/errors.js';

/** Tesla's Fleet Telemetry configuration endpoints, user token. */

export const SKIP_REASONS = ['missing_key', 'unsupported_hardware', 'unsupported_firmware', 'max_configs'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

const vinList = z
  .array(z.string())
  .nullish()
  .transform((list) => list ?? []);

const pushAnswer = z
  .object({
    updated_vehicles: z.number().int(),
    skipped_vehicles: z
      .object({ missing_key: vinList, unsupported_hardware: vinList, unsupported_firmware: vinList, max_configs: vinList })
      .partial()
      .passthrough()
      .nullish(),
  })
  .passthrough();

export interface PushResult {
  updated: number;
  /** Skipped VINs by reason; reasons Tesla adds later are kept under their own name. */
  skipped: Map<string, string>;
}

const configAnswer = z
  .object({
    synced: z.boolean(),
    config: z.record(z.string(), z.unknown()).nullable(),
    limit_reached: z.boolean().optional(),
    key_paired: z.boolean().optional(),
  })
  .passthrough();
export type CarTelemetryConfig = z.infer<typeof configAnswer>;

const deleteAnswer = z.object({ updated_vehicles: z.number().int() }).passthrough();

const path = (vin: string): string => `/api/1/vehicles/${encodeURIComponent(vin)}/fleet_telemetry_config`;

/** POST fleet_telemetry_config_jws: `{vins, token}`; a skipped car is named under its reason. */
export async function pushConfig(fleet: FleetClient, vins: readonly string[], token: string): Promise<FleetResult<PushResult>> {
  const result = decode(
    await fleet.call({ method: 'POST', path: '/api/1/vehicles/fleet_telemetry_config_jws', body: { vins, token } }),
    pushAnswer,
    'fleet_telemetry_config_jws',
  );
  if (!result.ok) return result;
  const skipped = new Map<string, string>();
  for (const [reason, list] of Object.entries(result.value.skipped_vehicles ?? {})) {
    if (!Array.isArray(list)) continue;
    for (const vin of list) if (typeof vin === 'string') skipped.set(vin, reason);
  }
  return { ok: true, status: result.status, value: { updated: result.value.updated_vehicles, skipped } };
}

/** GET the car's configuration: `synced`, the config (null: none, or refused over the app limit), key pairing. */
export async function readConfig(fleet: FleetClient, vin: string): Promise<FleetResult<CarTelemetryConfig>> {
  return decode(await fleet.call({ method: 'GET', path: path(vin), device: vin }), configAnswer, 'fleet_telemetry_config');
}

export async function deleteConfig(fleet: FleetClient, vin: string): Promise<FleetResult<{ updated: number }>> {
  const result = decode(await fleet.call({ method: 'DELETE', path: path(vin), device: vin }), deleteAnswer, 'fleet_telemetry_config (delete)');
  return result.ok ? { ok: true, status: result.status, value: { updated: result.value.updated_vehicles } } : result;
}
