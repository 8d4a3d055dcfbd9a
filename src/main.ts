import { createAuth, LOGIN_HINT } from './auth/setup.js';
import type { TokenManager } from './auth/token-manager.js';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { createAutomations } from './automations/index.js';
import type { Clock } from './core/clock.js';
import type { DaemonEvents } from './core/daemon-events.js';
import { EventBus } from './core/events.js';
import { HealthRegistry } from './core/health.js';
import { Lifecycle } from './core/lifecycle.js';
import type { Logger } from './core/logger.js';
import { FleetClient } from './fleet/client.js';
import { BillingMeter } from './fleet/meter.js';
import type { TelemetryService } from './telemetry/service.js';
import { RegionResolver, regionFromCode } from './fleet/region.js';
import { discoverRegion } from './fleet/region-discovery.js';
import { createHttpTransport, type HttpTransport } from './fleet/transport.js';
import { authRoutes } from './http/routes/auth.js';
import { healthzRoute } from './http/routes/healthz.js';
import { createWeb } from './http/web/wiring.js';
import { publicKeyRoute } from './http/routes/public-key.js';
import { HttpServer } from './http/server.js';
import { type MqttConnect, MqttConnection } from './mqtt/connection.js';
import type { EmbeddedBroker } from './mqtt/embedded-broker.js';
import { StatePublisher } from './mqtt/publisher.js';
import { Topics } from './mqtt/topics.js';
import { prepareDataDir } from './storage/data-dir.js';
import { openTokenStore } from './storage/token-store.js';
import { BatteryControl } from './commands/battery-control.js';
import { CommandExecutor } from './commands/executor.js';
import { CommandRouter } from './commands/router.js';
import { createVehicleCommands, type VehicleCommands } from './commands/vehicle-commands.js';
import type { EntityDescriptor } from './model/descriptors.js';
import { DeviceRegistry } from './model/device-registry.js';
import { DeviceNaming } from './model/naming.js';
import { descriptorFor, ENTITY_TABLES } from './model/tables.js';
import { Bridge } from './mqtt/bridge.js';
import { EntityPublisher } from './mqtt/entity-publisher.js';
import { Budget } from './poller/budget.js';
import { Poller } from './poller/poller.js';
import { UsageLedger } from './storage/usage-ledger.js';
import { VERSION } from './version.js';
import type { AuthSetup } from './auth/setup.js';

export interface DaemonDeps {
  loaded: LoadedConfig;
  /** Demo mode: defaults, the built-in simulator, and an embedded broker that moves off a taken port. */
  demo: boolean;
  clock: Clock;
  log: Logger;
  mqttConnect?: MqttConnect;
  /** HTTP to Tesla; Node's http/https unless a test supplies another. */
  transport?: HttpTransport;
  /** [node, bin/teslahub.js]: lets token refreshes run in a detached worker process. */
  selfCommand?: readonly string[] | undefined;
}

export interface Daemon {
  lifecycle: Lifecycle;
  registry: DeviceRegistry;
  router: CommandRouter;
  executor: CommandExecutor;
  poller: Poller;
  budget: Budget;
  bus: EventBus<DaemonEvents>;
  health: HealthRegistry;
  http: HttpServer;
  mqtt: MqttConnection;
  publisher: StatePublisher;
  topics: Topics;
  broker: EmbeddedBroker | undefined;
  auth: AuthSetup;
  tokens: TokenManager;
  fleet: FleetClient;
  region: RegionResolver;
  ledger: UsageLedger;
  /** Fleet Telemetry (streaming), when telemetry.enabled. */
  telemetry: TelemetryService | undefined;
  /** Signed (Vehicle Command Protocol) and REST vehicle commands: sessions, pairing status. */
  vehicleCommands: VehicleCommands;
}

/**
 * The composition root: the only place that builds real infrastructure and wires the rooms
 * together. Files are read first (config, then storage); services start in ARCHITECTURE.md's
 * order (tokens, http, mqtt) and stop in reverse.
 */
export async function createDaemon(deps: DaemonDeps): Promise<Daemon> {
  const { loaded, clock, log } = deps;
  const { config } = loaded;
  for (const secret of loaded.secrets) log.redactor.add(secret);

  const lifecycle = new Lifecycle({ clock, log: log.child('lifecycle') });
  const bus = new EventBus<DaemonEvents>((error, type) => log.error('event listener failed', { event: String(type), error }));
  const health = new HealthRegistry();
  const topics = new Topics(config.mqtt.base_topic, config.mqtt.discovery.prefix);

  const storageLog = log.child('storage');
  await prepareDataDir(config.data_dir, storageLog);
  const tokenStore = await openTokenStore(config.data_dir, storageLog, clock);
  const ledger = await UsageLedger.open(config.data_dir, storageLog, clock);
  const region = await RegionResolver.open(
    config.data_dir,
    {
      region: config.tesla.region,
      apiBaseUrl: config.tesla.api_base_url,
      tokenRegion: () => regionFromCode(tokenStore.data.account?.ou_code),
    },
    log.child('region'),
    clock,
  );

  const registry = await DeviceRegistry.open(config.data_dir, bus, storageLog, clock);
  const naming = new DeviceNaming(config);

  let httpServer: HttpServer | undefined;
  const auth = createAuth({
    config,
    store: tokenStore,
    region,
    clock,
    log: log.child('auth'),
    bus,
    httpPort: () => httpServer?.port ?? config.http.port,
    selfCommand: deps.selfCommand,
  });

  let closeTransport: (() => Promise<void>) | undefined;
  let transport = deps.transport;
  if (!transport) {
    const undici = createHttpTransport();
    transport = undici.transport;
    closeTransport = undici.close;
  }
  const fleet = new FleetClient({
    transport,
    tokens: auth.tokens,
    region,
    meter: new BillingMeter({ sink: ledger, stateCallBilled: config.polling.vehicle.state_call_billed }),
    clock,
    log: log.child('fleet'),
    userAgent: `teslahub/${VERSION}`,
  });

  // The page reads parts built below; it calls them only once requests arrive, after start.
  const web = createWeb({
    config, clock, log: log.child('web'), version: VERSION, demo: deps.demo, bus, health, registry, naming, topics, ledger, auth, transport,
    budget: () => budget.status,
    poller: { vehicleDecision: (vin) => poller.vehicleDecision(vin) },
    router: { run: (request) => router.run(request) },
    mqttConnected: () => mqtt.connected,
    pairing: {
      vehicle: (vin) => {
        const mode = vehicleCommands.transport.mode(vin);
        return { ...vehicleCommands.pairing.state(vin), ...(mode === undefined ? {} : { mode }) };
      },
    },
    automations: { list: () => automations.list() },
  });
  const http = new HttpServer({
    host: config.http.host,
    port: config.http.port,
    log: log.child('http'),
    handlers: [
      ...web.security,
      healthzRoute(health),
      publicKeyRoute(config.tesla.private_key),
      ...authRoutes(auth.login, auth.tokens, log.child('auth')),
      ...web.routes,
    ],
  });
  httpServer = http;

  // The embedded broker (aedes) is loaded only when no broker is configured.
  const broker = config.mqtt.url
    ? undefined
    : new (await import('./mqtt/embedded-broker.js')).EmbeddedBroker({
        host: config.mqtt.embedded.host,
        port: config.mqtt.embedded.port,
        log: log.child('broker'),
        fallbackToFreePort: deps.demo,
        ownClientId: config.mqtt.client_id,
        credentials: config.mqtt.username !== undefined && config.mqtt.password !== undefined ? { username: config.mqtt.username, password: config.mqtt.password } : undefined,
      });

  // The embedded broker's port is only known once it listens, so the URL is read at start.
  const mqtt = new MqttConnection({
    get url() {
      return config.mqtt.url ?? broker?.url ?? 'mqtt://127.0.0.1:1883';
    },
    clientId: config.mqtt.client_id,
    // aedes speaks MQTT 3.1.1 only.
    protocolVersion: broker ? 4 : config.mqtt.protocol_version,
    username: config.mqtt.username,
    password: config.mqtt.password,
    ...(config.mqtt.url?.startsWith('mqtts:') || config.mqtt.url?.startsWith('wss:') || config.mqtt.url?.startsWith('tls:')
      ? { tls: { ca: config.mqtt.ca, cert: config.mqtt.cert, key: config.mqtt.key, rejectUnauthorized: config.mqtt.reject_unauthorized } }
      : {}),
    topics,
    log: log.child('mqtt'),
    clock,
    bus,
    ...(deps.mqttConnect ? { connect: deps.mqttConnect } : {}),
  });
  const publisher = new StatePublisher(mqtt, bus);

  health.register('mqtt', () =>
    mqtt.connected
      ? { ok: true, reason: `connected to ${mqtt.url}` }
      : {
          ok: false,
          reason: mqtt.problem ?? `not connected to the MQTT broker at ${mqtt.url} yet`,
          fix: 'check that the broker runs and that mqtt.url, mqtt.username and mqtt.password are right',
        },
  );
  health.register('account', () => {
    const state = auth.tokens.state();
    switch (state.kind) {
      case 'ok':
        return auth.tokens.refreshProblem && clock.now() >= state.expiresAt
          ? { ok: false, reason: `the Tesla token expired and cannot be refreshed: ${auth.tokens.refreshProblem}` }
          : { ok: true, reason: `Tesla account connected; token valid until ${new Date(state.expiresAt).toISOString()}` };
      case 'login_required':
        return { ok: false, reason: `Tesla needs a new login: ${state.reason}`, fix: LOGIN_HINT };
      case 'logged_out':
        return auth.settings
          ? { ok: false, reason: 'no Tesla account is connected', fix: LOGIN_HINT }
          : { ok: false, reason: 'the Tesla app is not configured', fix: 'set tesla.client_id and tesla.client_secret in config.yaml, then connect the account' };
    }
  });

  // The account's region, asked once after each login and at start while it is only a guess;
  // in the background, so start-up never waits on Tesla.
  const regionDiscovery = {
    name: 'region-discovery',
    start: async () => {
      bus.on(regionDiscovery, 'auth.tokens', (event) => {
        if (event.via === 'login') void discoverRegion(fleet, region, log.child('region'));
      });
      if (auth.tokens.state().kind === 'ok' && !region.known) void discoverRegion(fleet, region, log.child('region'));
    },
    stop: async () => bus.removeOwner(regionDiscovery),
  };

  const vehicleCommands = await createVehicleCommands({ config, fleet, clock, log: log.child('signing'), health, bus });
  const battery = await BatteryControl.open(config.data_dir, { fleet, registry, clock, log: log.child('battery-control') });
  const executor = new CommandExecutor({
    fleet,
    registry,
    transport: vehicleCommands.transport,
    battery,
    clock,
    log: log.child('commands'),
    bus,
    wake: { attempts: config.polling.vehicle.wake_attempts, intervalMs: config.polling.vehicle.wake_interval * 1000 },
    mayWake: (vin) => naming.mayWake(vin),
  });
  const grantedScopes = (): readonly string[] => {
    const state = auth.tokens.state();
    return state.kind === 'ok' ? state.scopes : [];
  };
  const router = new CommandRouter({
    connection: mqtt,
    topics,
    registry,
    executor,
    bus,
    log: log.child('commands'),
    clock,
    // The router hands each row the source of its own kind; the tables are typed per kind.
    lookup: (kind, key) => descriptorFor(kind, key) as unknown as EntityDescriptor<unknown> | undefined,
    resolveDevice: (kind, topicId) => naming.resolve(kind, topicId),
    policy: (ref) => naming.policy(ref),
    grantedScopes,
  });
  const entities = new EntityPublisher({
    publisher,
    connection: mqtt,
    topics,
    registry,
    naming,
    tables: ENTITY_TABLES,
    bus,
    clock,
    log: log.child('entities'),
    discovery: { enabled: config.mqtt.discovery.enabled, origin: { name: 'teslahub', sw_version: VERSION, support_url: 'https://github.com/teslahub/teslahub' } },
    devicesAvailable: () => auth.tokens.state().kind === 'ok',
  });
  const automations = createAutomations({
    automations: config.automations,
    registry,
    naming,
    topics,
    bus,
    clock,
    log: log.child('automations'),
    mqtt,
    commands: router,
    budgetMode: () => budget.mode,
    // reload_automations reads the same file (and environment) the daemon started from.
    readConfig: loaded.file ? () => loadConfig({ file: loaded.file as string, cwd: loaded.dir, env: process.env }) : undefined,
  });
  // Fleet Telemetry's code is loaded only when it is enabled; off, the streaming facts saved while it was on are dropped.
  const telemetry = config.telemetry.enabled ? await (await import('./telemetry/setup.js')).createTelemetry({
    config, configDir: loaded.dir, registry, naming, bus, clock, log: log.child('telemetry'), fleet, transport, oauth: auth.oauth,
    baseUrl: () => region.baseUrl(), meter: ledger, mqttUrl: () => config.mqtt.url ?? broker?.url ?? 'mqtt://127.0.0.1:1883',
  }) : forgetStreams(registry);
  const bridge = new Bridge({
    telemetry: telemetry ? () => telemetry.info() : undefined,
    requests: { reload_automations: () => automations.reload() },
    connection: mqtt,
    publisher,
    entities,
    topics,
    bus,
    clock,
    log: log.child('bridge'),
    ledger,
    tokens: auth.tokens,
    registry,
    naming,
    executor,
    health,
    wantedScopes: config.tesla.scopes,
    budgetUsd: config.budget.monthly_usd,
    budget: () => budget.status,
    version: VERSION,
    demo: deps.demo,
    roundMs: config.polling.energy.live * 1000,
  });
  const budget = new Budget({ ledger, clock, log: log.child('budget'), bus, budgetUsd: config.budget.monthly_usd, onLimit: config.budget.on_limit });
  const poller = new Poller({ fleet, registry, naming, tokens: auth.tokens, bus, clock, log: log.child('poller'), polling: config.polling, budget: () => budget.mode, ...(telemetry ? { streaming: (vin: string) => telemetry.streaming(vin) } : {}) });

  // Publishers listen before the registry announces its saved devices; the poller comes last.
  lifecycle.add(ledger).add(vehicleCommands.service).add(auth.tokens).add(regionDiscovery).add(web.service).add(http);
  if (broker) lifecycle.add(broker);
  lifecycle.add(publisher).add(entities).add(bridge).add(mqtt).add(registry).add(battery).add(router);
  for (const service of automations.services) lifecycle.add(service);
  if (telemetry) lifecycle.add(telemetry);
  lifecycle.add(budget);
  // The HTTP client closes after the poller stopped, so requests it aborts find their runners stopped (no warning each).
  if (closeTransport) {
    const close = closeTransport;
    lifecycle.add({ name: 'http-client', start: async () => undefined, stop: close });
  }
  lifecycle.add(poller);

  return { lifecycle, bus, health, http, mqtt, publisher, topics, broker, auth, tokens: auth.tokens, fleet, region, ledger, telemetry, vehicleCommands, registry, router, executor, poller, budget };
}

/** Streaming is off: what was saved about it would show a stale data source (as telemetry/setup.ts does). */
function forgetStreams(registry: DeviceRegistry): undefined {
  for (const vehicle of registry.vehicles()) if (vehicle.stream) registry.updateVehicle(vehicle.vin, (v) => void delete v.stream);
  return undefined;
}
