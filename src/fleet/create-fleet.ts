import type { TokenManager } from '../auth/token-manager.js';
import type { Config } from '../config/schema.js';
import type { Base } from '../core/base.js';
import type { Service } from '../core/lifecycle.js';
import type { JsonStore } from '../storage/json-store.js';
import type { TokenFile } from '../storage/token-store.js';
import { VERSION } from '../version.js';
import { FleetClient } from './client.js';
import { BillingMeter, type UsageSink } from './meter.js';
import { RegionResolver, regionFromCode } from './region.js';
import { discoverRegion } from './region-discovery.js';
import { createHttpTransport, type HttpTransport } from './transport.js';

export interface FleetInput {
  config: Config;
  tokens: TokenManager;
  region: RegionResolver;
  meter: UsageSink;
  /** HTTP to Tesla; Node's http/https unless a test supplies another. */
  transport?: HttpTransport | undefined;
}

export interface Fleet {
  client: FleetClient;
  transport: HttpTransport;
  regionDiscovery: Service;
  /** The HTTP client it owns, if any: it stops after the poller, so requests it aborts find their runners stopped. */
  httpClient: Service[];
}

/** The one gateway to Tesla's Fleet API, with its meter, its transport and the account's region. */
export function createFleet(base: Base, input: FleetInput): Fleet {
  const { config, tokens, region } = input;
  const { transport, close } = input.transport ? { transport: input.transport, close: undefined } : createHttpTransport();
  const client = new FleetClient({
    transport,
    tokens,
    region,
    meter: new BillingMeter({ sink: input.meter, stateCallBilled: config.polling.vehicle.state_call_billed }),
    clock: base.clock,
    log: base.log.child('fleet'),
    userAgent: `teslahub/${VERSION}`,
  });
  const httpClient: Service[] = close ? [{ name: 'http-client', start: async () => undefined, stop: close }] : [];
  return { client, transport, regionDiscovery: regionDiscovery(base, client, region, tokens), httpClient };
}

/**
 * The account's region, asked once after each login and at start while it is only a guess;
 * in the background, so start-up never waits on Tesla.
 */
function regionDiscovery(base: Base, client: FleetClient, region: RegionResolver, tokens: TokenManager): Service {
  const log = base.log.child('region');
  const service: Service = {
    name: 'region-discovery',
    start: async () => {
      base.bus.on(service, 'auth.tokens', (event) => {
        if (event.via === 'login') void discoverRegion(client, region, log);
      });
      if (tokens.state().kind === 'ok' && !region.known) void discoverRegion(client, region, log);
    },
    stop: async () => base.bus.removeOwner(service),
  };
  return service;
}

/** The account's region: configured, saved from an earlier discovery, or guessed from the token. */
export function openRegion(base: Base, config: Config, tokenStore: JsonStore<TokenFile>): Promise<RegionResolver> {
  const options = { region: config.tesla.region, apiBaseUrl: config.tesla.api_base_url, tokenRegion: () => regionFromCode(tokenStore.data.account?.ou_code) };
  return RegionResolver.open(config.data_dir, options, base.log.child('region'), base.clock);
}
