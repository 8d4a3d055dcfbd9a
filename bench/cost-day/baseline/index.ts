import type { TokenEndpointResponse } from 'openid-client';
import { toTokenSet } from '../../../src/auth/token-exchange.js';
import { Logger, MemorySink } from '../../../src/core/logger.js';
import { FleetClient } from '../../../src/fleet/client.js';
import { BillingMeter } from '../../../src/fleet/meter.js';
import { emptyCounts } from '../../../src/fleet/pricing.js';
import { listProducts } from '../../../src/fleet/products.js';
import { RegionResolver } from '../../../src/fleet/region.js';
import type { AccessTokenSource } from '../../../src/fleet/token-source.js';
import { at, bool, num } from '../../../src/model/read.js';
import type { PolicyContext, RunningPolicy } from '../policy.js';
import { HaEnergySite } from './energy-coordinators.js';
import { HaVehicleCoordinator } from './vehicle-coordinator.js';

/**
 * The baseline: Home Assistant's tesla_fleet polling policy on the
 * daemon's own Fleet client, transport and meter, so the two policies differ only in when they
 * call and what they call, never in how HTTP, errors or billing are handled.
 */
export async function startBaseline(context: PolicyContext): Promise<RunningPolicy> {
  const { sim, clock, transport, dir } = context;
  const sink = new MemorySink();
  const log = new Logger({ level: 'warn', format: 'pretty', sink, clock });
  const warn = (line: string): void => log.warn(line);
  const counts = emptyCounts();
  const region = await RegionResolver.open(dir, { region: 'auto', apiBaseUrl: sim.regionBaseUrl('na'), tokenRegion: () => undefined }, log, clock);
  // The simulator's tokens outlive the simulated day, so a fixed token is all Home Assistant's
  // OAuth session would amount to here (token refreshes are never billed).
  const issued = toTokenSet(sim.issueTokens() as unknown as TokenEndpointResponse, clock.now());
  const token = issued.access_token;
  // location_data is asked for when the token's scopes include vehicle_location.
  const scopes = issued.scopes;
  const tokens: AccessTokenSource = { accessToken: async () => token, rejected: () => undefined };
  const fleet = new FleetClient({
    transport,
    tokens,
    region,
    meter: new BillingMeter({ sink: { record: (category) => void (counts[category] += 1) }, stateCallBilled: context.stateCallBilled }),
    clock,
    log,
    userAgent: 'ha-tesla-fleet-baseline/bench',
  });

  // Products, then one coordinator per car and the energy coordinators per site.
  const vehicles = new Map<string, HaVehicleCoordinator>();
  const sites: HaEnergySite[] = [];
  const products = await listProducts(fleet);
  if (!products.ok) throw new Error(`baseline could not list products: ${products.error.message}`);
  for (const summary of products.value.vehicles) {
    const vehicle = new HaVehicleCoordinator(summary.vin, { fleet, clock, withLocation: scopes.includes('vehicle_location'), warn });
    vehicles.set(summary.vin, vehicle);
    await vehicle.coordinator.firstRefresh();
  }
  for (const summary of products.value.energySites) {
    const components = summary.components;
    const battery = bool(at(components, 'battery')) === true;
    const solar = bool(at(components, 'solar')) === true;
    const connectors = at(components, 'wall_connectors');
    // A site with neither battery, solar nor Wall Connectors is not set up.
    if (!battery && !solar && !(Array.isArray(connectors) && connectors.length > 0)) continue;
    const site = new HaEnergySite(summary.energy_site_id, { fleet, clock, warn });
    if (await site.setUp(battery || solar)) sites.push(site);
  }

  return {
    view: {
      dataAt: (vin) => vehicles.get(vin)?.dataAt,
      batteryLevel: (vin) => num(at(vehicles.get(vin)?.data, 'charge_state.battery_level')) ?? undefined,
      wallConnectorAt: (vin) => {
        let best: number | undefined;
        for (const site of sites) {
          const seen = site.wallConnectorAt.get(vin);
          if (seen !== undefined && (best === undefined || seen > best)) best = seen;
        }
        return best;
      },
    },
    meterCounts: () => ({ ...counts }),
    warnings: () => sink.lines.slice(),
    stop: async () => {
      for (const vehicle of vehicles.values()) vehicle.coordinator.stop();
      for (const site of sites) site.stop();
    },
  };
}
