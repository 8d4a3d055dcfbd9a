import { z } from 'zod';
import type { FleetClient } from './client.js';
import { decode } from './decode.js';
import type { FleetResult } from './errors.js';

const vehicleSummary = z
  .object({
    vin: z.string(),
    id: z.union([z.number(), z.string()]).optional(),
    display_name: z.string().nullable().optional(),
    state: z.string().nullable().optional(),
    command_signing: z.string().nullable().optional(),
  })
  .passthrough();

const energySiteSummary = z
  .object({
    energy_site_id: z.union([z.number(), z.string()]).transform((id) => String(id)),
    site_name: z.string().nullable().optional(),
    resource_type: z.string().optional(),
    components: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

export type VehicleSummary = z.infer<typeof vehicleSummary>;
export type EnergySiteSummary = z.infer<typeof energySiteSummary>;

export interface Products {
  vehicles: VehicleSummary[];
  energySites: EnergySiteSummary[];
}

/** GET /api/1/products: the account's vehicles and energy sites (free of charge). */
export async function listProducts(client: FleetClient): Promise<FleetResult<Products>> {
  const result = decode(await client.call({ method: 'GET', path: '/api/1/products' }), z.array(z.record(z.string(), z.unknown())), 'products');
  if (!result.ok) return result;
  const vehicles: VehicleSummary[] = [];
  const energySites: EnergySiteSummary[] = [];
  for (const product of result.value) {
    if ('vin' in product) {
      const parsed = vehicleSummary.safeParse(product);
      if (parsed.success) vehicles.push(parsed.data);
    } else if ('energy_site_id' in product) {
      const parsed = energySiteSummary.safeParse(product);
      if (parsed.success) energySites.push(parsed.data);
    }
  }
  return { ok: true, value: { vehicles, energySites }, status: result.status };
}
