import { registerAccountHealth } from './auth/account-health.js';
import { createAuth } from './auth/setup.js';
import { createAutomations } from './automations/index.js';
import { createCommands } from './commands/create-commands.js';
import { loadConfig } from './config/load.js';
import type { Base } from './core/base.js';
import type { DaemonEvents } from './core/daemon-events.js';
import { EventBus } from './core/events.js';
import { HealthRegistry } from './core/health.js';
import { Lifecycle } from './core/lifecycle.js';
import { createFleet, openRegion } from './fleet/create-fleet.js';
import { mountDaemonRoutes } from './http/daemon-routes.js';
import { HttpServer } from './http/server.js';
import { pairingProvider } from './http/web/pairing-provider.js';
import { createWeb } from './http/web/wiring.js';
import { DeviceRegistry } from './model/device-registry.js';
import { DeviceNaming } from './model/naming.js';
import { createMqtt } from './mqtt/create-mqtt.js';
import { createPublishing } from './mqtt/create-publishing.js';
import { Topics } from './mqtt/topics.js';
import { createPolling } from './poller/create-polling.js';
import { openStorage } from './storage/open-storage.js';
import { createTelemetry } from './telemetry/create-telemetry.js';
import { VERSION } from './version.js';
import type { Daemon, DaemonDeps } from './daemon.js';

export type { Daemon, DaemonDeps };

/**
 * The composition root (docs/architecture.md#the-composition-root): each room's factory, called in dependency order.
 * Only here and in cli/ is real infrastructure built. Services start in the lifecycle's order and stop in reverse.
 */
export async function createDaemon(deps: DaemonDeps): Promise<Daemon> {
  const { loaded, clock, log, demo } = deps;
  const { config } = loaded;
  for (const secret of loaded.secrets) log.redactor.add(secret);
  const bus = new EventBus<DaemonEvents>((error, type) => log.error('event listener failed', { event: String(type), error }));
  const base: Base = { clock, log, bus, health: new HealthRegistry() };
  const topics = new Topics(config.mqtt.base_topic, config.mqtt.discovery.prefix);

  const storage = await openStorage(base, config.data_dir);
  const region = await openRegion(base, config, storage.tokens);
  const registry = await DeviceRegistry.open(config.data_dir, bus, log.child('storage'), clock);
  const naming = new DeviceNaming(config);
  const http = new HttpServer({ host: config.http.host, port: config.http.port, log: log.child('http') });
  const { selfCommand } = deps;
  const auth = createAuth({ config, store: storage.tokens, region, clock, log: log.child('auth'), bus, httpPort: () => http.port, selfCommand });
  registerAccountHealth(base.health, auth, clock);
  const fleet = createFleet(base, { config, tokens: auth.tokens, region, meter: storage.ledger, transport: deps.transport });
  const mqtt = await createMqtt(base, { config, topics, demo, connect: deps.mqttConnect });
  const commands = await createCommands(base, { config, fleet: fleet.client, tokens: auth.tokens, registry, naming });
  const { tokens } = auth;
  const ledger = storage.ledger;
  const telemetry = await createTelemetry(base, { config, configDir: loaded.dir, registry, naming, fleet, auth, region, meter: ledger, mqttUrl: mqtt.url });
  const streaming = telemetry && ((vin: string) => telemetry.streaming(vin));
  const polling = await createPolling(base, { config, fleet: fleet.client, tokens, registry, naming, ledger, streaming });
  const file = loaded.file;
  const automations = createAutomations({
    automations: config.automations,
    registry,
    naming,
    topics,
    bus,
    clock,
    log: log.child('automations'),
    mqtt: mqtt.connection,
    commands: commands.router,
    budgetMode: () => polling.budget.mode,
    // reload_automations reads the same file (and environment) the daemon started from.
    readConfig: file ? () => loadConfig({ file, cwd: loaded.dir, env: process.env }) : undefined,
  });
  const bridge = {
    wake: (vin: string, who: string) => commands.executor.ensureAwake(vin, who),
    budget: () => polling.budget.status,
    telemetry: telemetry && (() => telemetry.info()),
    requests: { reload_automations: () => automations.reload() },
  };
  const publishing = createPublishing(base, { config, demo, mqtt, topics, registry, naming, tokens, ledger, router: commands.router, bridge });
  const web = createWeb({
    config,
    clock,
    log: log.child('web'),
    version: VERSION,
    demo,
    bus,
    health: base.health,
    registry,
    naming,
    topics,
    ledger,
    auth,
    transport: fleet.transport,
    budget: () => polling.budget.status,
    poller: polling.poller,
    router: commands.router,
    mqttConnected: () => mqtt.connection.connected,
    pairing: pairingProvider(commands.vehicleCommands),
    automations,
    streaming: { receiver: () => telemetry?.receiverStatus(), card: () => telemetry?.card() },
  });
  mountDaemonRoutes(http, { config, health: base.health, auth, web, log });

  // Publishers listen before the registry announces its saved devices; the poller comes last.
  const lifecycle = new Lifecycle({ clock, log: log.child('lifecycle') });
  const services = [storage.ledger, commands.vehicleCommands.service, tokens, fleet.regionDiscovery, web.service, http, ...mqtt.services];
  services.push(...publishing.services, mqtt.connection, registry, ...commands.services, publishing.commands, ...automations.services);
  services.push(...(telemetry ? [telemetry] : []), polling.budget, ...fleet.httpClient, polling.poller);
  for (const service of services) lifecycle.add(service);

  const { router, vehicleCommands } = commands;
  const parts = { lifecycle, bus, registry, auth, tokens, region, ledger, http, router, vehicleCommands, telemetry };
  return { ...parts, fleet: fleet.client, mqtt: mqtt.connection, broker: mqtt.broker };
}
