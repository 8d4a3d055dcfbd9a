import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { RegionResolver } from '../fleet/region.js';
import type { JsonStore } from '../storage/json-store.js';
import type { TokenFile } from '../storage/token-store.js';
import { LoginFlow } from './login-flow.js';
import { OAuthClient } from './oauth-client.js';
import { type OAuthFetch, tokenRequests } from './oauth-fetch.js';
import { type OAuthClientSettings, oauthServer } from './oauth-server.js';
import { DetachedRefresher, InProcessRefresher, type TokenRefresher } from './refresher.js';
import { TokenManager } from './token-manager.js';

export interface AuthSetup {
  /** Undefined until tesla.client_id and tesla.client_secret are configured. */
  settings: OAuthClientSettings | undefined;
  oauth: OAuthClient | undefined;
  login: LoginFlow | undefined;
  tokens: TokenManager;
  redirectUri: () => string;
}

export interface AuthSetupDeps {
  config: Config;
  store: JsonStore<TokenFile>;
  region: RegionResolver;
  clock: Clock;
  log: Logger;
  bus: EventBus<DaemonEvents>;
  /** The web server's port once it listens (http.port may be 0). */
  httpPort: () => number;
  /** [node, bin/teslahub.js] to refresh tokens in a detached worker; in-process when absent. */
  selfCommand?: readonly string[] | undefined;
  /** openid-client's HTTP; by default tokenRequests(). */
  fetch?: OAuthFetch | undefined;
}

export function defaultRedirectUri(port: number): string {
  return `http://localhost:${port}/auth/callback`;
}

export const LOGIN_HINT = 'open the teslahub web page and click "Connect Tesla account", or run "teslahub login"';

export function createAuth(deps: AuthSetupDeps): AuthSetup {
  const { config, clock, log } = deps;
  const { tesla } = config;
  const settings: OAuthClientSettings | undefined =
    tesla.client_id && tesla.client_secret
      ? { server: oauthServer(tesla.auth_base_url, tesla.region), clientId: tesla.client_id, clientSecret: tesla.client_secret }
      : undefined;
  const oauth = settings ? new OAuthClient(settings, clock, { fetch: deps.fetch ?? tokenRequests() }) : undefined;
  const redirectUri = (): string => tesla.redirect_uri ?? defaultRedirectUri(deps.httpPort());
  let refresher: TokenRefresher | undefined;
  if (settings && oauth) {
    refresher = deps.selfCommand
      ? new DetachedRefresher({ command: deps.selfCommand, settings, dataDir: config.data_dir, store: deps.store, clock, log: log.child('refresh') })
      : new InProcessRefresher(oauth, deps.store, clock);
  }
  const tokens = new TokenManager({
    store: deps.store,
    refresher,
    dataDir: config.data_dir,
    clock,
    log: log.child('tokens'),
    bus: deps.bus,
    addSecret: (secret) => log.redactor.add(secret),
    loginHint: LOGIN_HINT,
  });
  const login = oauth ? new LoginFlow({ oauth, redirectUri, scopes: tesla.scopes, audience: () => deps.region.baseUrl(), clock }) : undefined;
  return { settings, oauth, login, tokens, redirectUri };
}
