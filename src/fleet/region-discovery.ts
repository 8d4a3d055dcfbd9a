import { z } from 'zod';
import type { Logger } from '../core/logger.js';
import type { FleetClient } from './client.js';
import { decode } from './decode.js';
import { describeFleetError, type FleetError } from './errors.js';
import type { RegionResolver } from './region.js';

const userRegion = z.object({ region: z.string(), fleet_api_base_url: z.string().url() }).passthrough();

/**
 * Asks Tesla which region the account lives in (GET users/region), starting with the best guess
 * and trying the other regions when the app is not registered there (412). The answer is
 * remembered, so this runs once per account. Returns the error that stopped it, if any.
 */
export async function discoverRegion(client: FleetClient, region: RegionResolver, log: Logger): Promise<FleetError | undefined> {
  let last: FleetError | undefined;
  for (const baseUrl of region.candidates()) {
    const result = decode(await client.call({ method: 'GET', path: '/api/1/users/region', baseUrl }), userRegion, 'users/region');
    if (result.ok) {
      await region.remember(result.value.fleet_api_base_url, `users/region says ${result.value.region}`);
      return undefined;
    }
    last = result.error;
    if (result.error.kind !== 'notRegistered' && result.error.kind !== 'wrongRegion') break;
  }
  if (last) log.warn(`could not find the account's Fleet API region: ${describeFleetError(last)}`);
  return last;
}
