import { createAuth, type AuthSetup } from '../auth/setup.js';
import type { Config } from '../config/schema.js';
import { SystemClock } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import { EventBus } from '../core/events.js';
import { Logger, streamSink } from '../core/logger.js';
import { RegionResolver, regionFromCode } from '../fleet/region.js';
import type { JsonStore } from '../storage/json-store.js';
import { openTokenStore, type TokenFile } from '../storage/token-store.js';
import type { CliIO } from './io.js';

export interface AccountContext {
  clock: SystemClock;
  log: Logger;
  store: JsonStore<TokenFile>;
  region: RegionResolver;
  auth: AuthSetup;
}

/**
 * The account's files and OAuth set-up for a one-shot command. It never refreshes tokens on its
 * own: a daemon may be running and refreshing the same single-use refresh token.
 */
export async function openAccount(config: Config, io: CliIO, secrets: readonly string[]): Promise<AccountContext> {
  const clock = new SystemClock();
  const log = new Logger({ level: config.log_level === 'debug' ? 'debug' : 'warn', format: 'pretty', sink: streamSink(io.stderr), clock });
  for (const secret of secrets) log.redactor.add(secret);
  const store = await openTokenStore(config.data_dir, log, clock);
  const region = await RegionResolver.open(
    config.data_dir,
    { region: config.tesla.region, apiBaseUrl: config.tesla.api_base_url, tokenRegion: () => regionFromCode(store.data.account?.ou_code) },
    log,
    clock,
  );
  const auth = createAuth({
    config,
    store,
    region,
    clock,
    log,
    bus: new EventBus<DaemonEvents>(() => undefined),
    httpPort: () => config.http.port,
  });
  return { clock, log, store, region, auth };
}
