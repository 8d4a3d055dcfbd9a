import { isRegion, type BillingCategory, type Region } from '../types.js';

/** What a request is, from its method and path alone: region, target device and billing category. */
export interface RequestInfo {
  region?: Region;
  /** The path after the region prefix (`/api/1/...`), when there is one. */
  apiPath?: string;
  vehicleTag?: string;
  siteId?: string;
  category: BillingCategory | null;
}

const VEHICLE = /^\/api\/1\/vehicles\/([^/]+)(?:\/(.*))?$/;
const SITE = /^\/api\/1\/energy_sites\/([^/]+)(?:\/.*)?$/;

/**
 * Tesla's billing categories: vehicle_data is data, wake_up a wake,
 * command/* and signed_command commands. The state call (GET /vehicles/{vin}) is data only when
 * `stateCallBilled`; everything else (auth, users, products, lists, energy, partner) is free.
 */
export function classify(method: string, path: string, stateCallBilled: boolean): RequestInfo {
  const prefix = /^\/([a-z]{2})(\/.*)?$/.exec(path);
  if (!prefix || !isRegion(prefix[1])) return { category: null };
  const region = prefix[1];
  const apiPath = prefix[2] ?? '/';
  const info: RequestInfo = { region, apiPath, category: null };
  const vehicle = VEHICLE.exec(apiPath);
  if (vehicle?.[1] && vehicle[1] !== 'fleet_status' && !vehicle[1].startsWith('fleet_telemetry_config')) {
    info.vehicleTag = decodeURIComponent(vehicle[1]);
    const rest = vehicle[2];
    if (rest === 'vehicle_data') info.category = 'data';
    else if (rest === 'wake_up') info.category = 'wake';
    else if (rest === 'signed_command' || rest?.startsWith('command/')) info.category = 'command';
    else if (rest === undefined && method === 'GET' && stateCallBilled) info.category = 'data';
  }
  const site = SITE.exec(apiPath);
  if (site?.[1]) info.siteId = decodeURIComponent(site[1]);
  return info;
}
