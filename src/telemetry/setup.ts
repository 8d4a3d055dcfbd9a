import type { OAuthClient } from '../auth/oauth-client.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { FleetClient } from '../fleet/client.js';
import type { UsageSink } from '../fleet/meter.js';
import type { HttpTransport } from '../fleet/transport.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import { TelemetryConfigurator } from './configurator.js';
import { parseListen, type TelemetryConfig } from './config-schema.js';
import { TelemetryFeed } from './feed.js';
import type { TelemetryInput } from './input.js';
import { BuiltinInput } from './receiver/builtin-input.js';
import { receiverPaths } from './receiver/paths.js';
import { PartnerErrors } from './partner-errors.js';
import { TelemetryService } from './service.js';
import { openTelemetryStore } from './store.js';
import { TelemetryUpkeep } from './upkeep.js';
import { configuredFields, heartbeatSeconds, setupProblems } from './vehicle-config.js';

export interface TelemetrySetupDeps {
  config: Config;
  /** The config file's folder (for a relative telemetry.ca). */
  configDir: string;
  registry: DeviceRegistry;
  naming: DeviceNaming;
  bus: EventBus<DaemonEvents>;
  clock: Clock;
  log: Logger;
  fleet: FleetClient;
  transport: HttpTransport;
  /** The app's OAuth client (for the partner token); undefined when not configured. */
  oauth: OAuthClient | undefined;
  baseUrl: () => string;
  meter: UsageSink;
  /** teslahub's own broker URL, read at start (the embedded broker's port is known only then). */
  mqttUrl: () => string;
}

/** With no heartbeat field left in the configuration, a broken stream is noticed this late. */
const NO_HEARTBEAT_S = 3600;

/** Builds the Fleet Telemetry service (`telemetry.enabled`); create-telemetry.ts loads this module only then. */
export async function buildTelemetry(deps: TelemetrySetupDeps): Promise<TelemetryService> {
  const { config, log } = deps;
  const telemetry = config.telemetry;
  const store = await openTelemetryStore(config.data_dir, log, deps.clock);
  const problems = setupProblems(telemetry, config.tesla.domain);
  const configurator =
    problems.length === 0
      ? new TelemetryConfigurator({
          fleet: deps.fleet,
          config: telemetry,
          domain: config.tesla.domain,
          configDir: deps.configDir,
          privateKeyPath: config.tesla.private_key,
          store,
          errors:
            deps.oauth && config.tesla.domain
              ? new PartnerErrors({ oauth: deps.oauth, transport: deps.transport, baseUrl: deps.baseUrl, domain: config.tesla.domain, clock: deps.clock })
              : undefined,
          clock: deps.clock,
        })
      : undefined;
  if (problems.length > 0) log.warn(`Fleet Telemetry is enabled but not set up: ${problems.join('; ')}`);
  const heartbeat = heartbeatSeconds(configuredFields(telemetry));
  if (heartbeat === undefined)
    log.warn(`no streamed field has a resend interval: a broken stream of a connected car is noticed only after ${NO_HEARTBEAT_S * 2} s`);
  const feed = telemetry.source === 'builtin' ? builtinInput(deps, telemetry) : mqttInput(deps, telemetry);
  const topicId = (vin: string): string => deps.naming.topicId({ kind: 'vehicle', id: vin });
  return new TelemetryService({
    config: telemetry,
    feed,
    upkeep: (report) =>
      new TelemetryUpkeep({
        configurator,
        setupProblem: problems.length > 0 ? `streaming is not set up: ${problems.join('; ')}` : undefined,
        store,
        config: telemetry,
        vins: () =>
          deps.registry
            .vehicles()
            .map((v) => v.vin)
            .filter((vin) => deps.naming.usesVehicle(vin)),
        clock: deps.clock,
        log,
        report,
      }),
    registry: deps.registry,
    bus: deps.bus,
    clock: deps.clock,
    log,
    meter: deps.meter,
    topicId,
    heartbeatMs: (heartbeat ?? NO_HEARTBEAT_S) * 1000,
  });
}

function builtinInput(deps: TelemetrySetupDeps, telemetry: TelemetryConfig): TelemetryInput {
  // Validated by the schema; the fallback is never used.
  const listen = parseListen(telemetry.receiver.listen) ?? { host: '0.0.0.0', port: 4443 };
  return new BuiltinInput({
    host: listen.host,
    port: listen.port,
    files: receiverPaths(telemetry, deps.configDir),
    limits: telemetry.receiver.limits,
    accepts: (vin) => deps.registry.vehicle(vin) !== undefined && deps.naming.usesVehicle(vin),
    clock: deps.clock,
    log: deps.log.child('receiver'),
  });
}

function mqttInput(deps: TelemetrySetupDeps, telemetry: TelemetryConfig): TelemetryInput {
  const { config, log } = deps;
  const own = telemetry.mqtt.url === undefined;
  return new TelemetryFeed({
    url: () => telemetry.mqtt.url ?? deps.mqttUrl(),
    clientId: telemetry.mqtt.client_id,
    username: own ? config.mqtt.username : telemetry.mqtt.username,
    password: own ? config.mqtt.password : telemetry.mqtt.password,
    tls: tlsFor(own ? config.mqtt.url : telemetry.mqtt.url, own ? config.mqtt : undefined),
    baseTopic: config.mqtt.base_topic,
    discoveryPrefix: config.mqtt.discovery.prefix,
    clock: deps.clock,
    log: log.child('feed'),
  });
}

/** TLS for an mqtts/wss/tls URL: teslahub's own certificates on its own broker, system CAs elsewhere. */
function tlsFor(
  url: string | undefined,
  own: Config['mqtt'] | undefined,
): { ca?: string | undefined; cert?: string | undefined; key?: string | undefined; rejectUnauthorized: boolean } | undefined {
  // No URL: the embedded broker, plain MQTT on loopback.
  if (url === undefined) return undefined;
  const scheme = new URL(url).protocol;
  if (!['mqtts:', 'wss:', 'tls:'].includes(scheme)) return undefined;
  return own ? { ca: own.ca, cert: own.cert, key: own.key, rejectUnauthorized: own.reject_unauthorized } : { rejectUnauthorized: true };
}
