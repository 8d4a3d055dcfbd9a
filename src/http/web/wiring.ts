import { randomBytes } from 'node:crypto';
import type { AuthSetup } from '../../auth/setup.js';
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import type { DaemonEvents } from '../../core/daemon-events.js';
import type { EventBus } from '../../core/events.js';
import type { HealthRegistry } from '../../core/health.js';
import type { Service } from '../../core/lifecycle.js';
import type { Logger } from '../../core/logger.js';
import type { HttpTransport } from '../../fleet/transport.js';
import type { DeviceRegistry } from '../../model/device-registry.js';
import type { DeviceNaming } from '../../model/naming.js';
import type { Topics } from '../../mqtt/topics.js';
import type { BudgetStatus } from '../../poller/budget.js';
import type { Decision } from '../../poller/vehicle-policy.js';
import type { UsageLedger } from '../../storage/usage-ledger.js';
import { type CommandRunner, commandRoute } from '../routes/command.js';
import { entitiesRoute } from '../routes/entities.js';
import { assetRoutes, homeRoute, recheckRoute } from '../routes/home.js';
import { eventsRoute, metricsRoute, statusRoute } from '../routes/web-api.js';
import { basicAuthHandler } from '../security/basic-auth.js';
import { CsrfGuard } from '../security/csrf.js';
import { hostGuardHandler, securityHeadersHandler } from '../security/host-guard.js';
import type { Handler } from '../server.js';
import { SseChannel } from '../sse.js';
import { EventLog } from './event-log.js';
import { LiveUpdates } from './live.js';
import { OnboardingChecks } from './onboarding-checks.js';
import type { AutomationsProvider, PairingProvider, StreamingProvider } from './providers.js';
import { regionsToCheck } from './registration-check.js';
import type { WebDeps } from './status-model.js';

export interface WebInput {
  config: Config;
  clock: Clock;
  log: Logger;
  version: string;
  demo: boolean;
  bus: EventBus<DaemonEvents>;
  health: HealthRegistry;
  registry: DeviceRegistry;
  naming: DeviceNaming;
  topics: Topics;
  ledger: UsageLedger;
  budget: () => BudgetStatus;
  poller: { vehicleDecision(vin: string): Decision | undefined };
  router: CommandRunner;
  auth: AuthSetup;
  /** HTTP out (the public key check at the domain, registration); the daemon's transport. */
  transport: HttpTransport;
  mqttConnected: () => boolean;
  /** Virtual key pairing per car, once the signing part offers it. */
  pairing?: PairingProvider | undefined;
  /** The configured automations, once the automation engine offers them. */
  automations?: AutomationsProvider | undefined;
  /** Fleet Telemetry's built-in receiver, when it runs. */
  streaming?: StreamingProvider | undefined;
}

export interface Web {
  /** First in the chain: headers, password or host check, CSRF. */
  security: Handler[];
  /** The page, its assets and the JSON API, after the daemon's other routes. */
  routes: Handler[];
  /** Start before the HTTP server (it listens to the bus), stop after it. */
  service: Service;
  deps: WebDeps;
}

/** Host names the page answers to without a password: the configured ones and those in its own URLs. */
export function allowedHosts(config: Config): string[] {
  const names = [...config.http.allowed_hosts];
  if (config.tesla.domain) names.push(config.tesla.domain);
  if (config.tesla.redirect_uri) names.push(new URL(config.tesla.redirect_uri).hostname);
  names.push(config.http.host);
  return names;
}

/**
 * The web room, wired: security first (headers, then a password or the host check, then CSRF
 * on every state-changing request), then the page and API routes (README, "HTTP"). main.ts puts
 * `security` first and `routes` last in the HTTP server's chain and the service in the lifecycle.
 */
export function createWeb(input: WebInput): Web {
  const { config, clock, log } = input;
  const events = new EventLog({ bus: input.bus, clock });
  const onboarding = new OnboardingChecks({
    privateKeyPath: config.tesla.private_key,
    domain: config.tesla.domain,
    oauth: input.auth.oauth,
    regions: regionsToCheck(config.tesla.region, config.tesla.api_base_url),
    transport: input.transport,
    clock,
    log: log.child('onboarding'),
  });
  const deps: WebDeps = {
    clock,
    version: input.version,
    demo: input.demo,
    tokens: input.auth.tokens,
    health: input.health,
    registry: input.registry,
    naming: input.naming,
    topics: input.topics,
    ledger: input.ledger,
    budget: input.budget,
    poller: input.poller,
    polling: config.polling,
    wantedScopes: config.tesla.scopes,
    appConfigured: input.auth.settings !== undefined,
    domain: config.tesla.domain,
    onboarding,
    events,
    pairing: input.pairing,
    automations: input.automations,
    streaming: input.streaming,
  };
  const channel = new SseChannel(clock);
  const live = new LiveUpdates({ ...deps, bus: input.bus, channel, log: log.child('web') });
  const csrf = new CsrfGuard({ secret: randomBytes(32), nonce: () => randomBytes(18).toString('base64url') });
  const { username, password } = config.http;
  const security: Handler[] = [
    securityHeadersHandler(),
    username !== undefined && password !== undefined ? basicAuthHandler({ username, password }) : hostGuardHandler(allowedHosts(config)),
    csrf.handler(),
  ];
  const routes: Handler[] = [
    homeRoute(deps, csrf),
    ...assetRoutes(),
    entitiesRoute(input.registry, input.naming, input.topics),
    statusRoute(deps),
    eventsRoute(channel, live),
    metricsRoute(deps, () => ({ sseClients: channel.size, mqttConnected: input.mqttConnected(), memory: process.memoryUsage() })),
    commandRoute(input.router),
    recheckRoute(deps),
  ];
  const service: Service = {
    name: 'web',
    start: async () => {
      await events.start();
      await live.start();
    },
    stop: async () => {
      await live.stop();
      await events.stop();
    },
  };
  return { security, routes, service, deps };
}
