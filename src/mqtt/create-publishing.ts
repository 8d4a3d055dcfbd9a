import type { TokenManager } from '../auth/token-manager.js';
import type { Config } from '../config/schema.js';
import type { Base } from '../core/base.js';
import type { Service } from '../core/lifecycle.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import { ENTITY_TABLES } from '../model/tables.js';
import type { UsageLedger } from '../storage/usage-ledger.js';
import { VERSION } from '../version.js';
import { Bridge } from './bridge.js';
import { BridgeReport, type BridgeReportDeps } from './bridge-report.js';
import { BridgeRequests, type BridgeRequestsDeps } from './bridge-requests.js';
import { type CommandRunner, MqttCommands } from './command-topics.js';
import type { Mqtt } from './create-mqtt.js';
import { EntityPublisher } from './entity-publisher.js';
import type { Topics } from './topics.js';

export interface PublishingInput {
  config: Config;
  demo: boolean;
  mqtt: Mqtt;
  topics: Topics;
  registry: DeviceRegistry;
  naming: DeviceNaming;
  tokens: TokenManager;
  ledger: UsageLedger;
  /** Carries out what arrives on `/set` topics. */
  router: CommandRunner<unknown>;
  /** What the bridge reports and answers for other rooms. */
  bridge: Pick<BridgeReportDeps, 'budget' | 'telemetry'> & Pick<BridgeRequestsDeps, 'wake' | 'requests'>;
}

export interface Publishing {
  /** Discovery, states and availability, then `bridge/*`: listening before the registry announces devices. */
  services: Service[];
  /** The `/set` topics: subscribed once the registry knows its devices. */
  commands: Service;
}

/** Devices and the daemon itself on MQTT: discovery, entity states, availability, `bridge/*`, commands on `/set`. */
export function createPublishing(base: Base, input: PublishingInput): Publishing {
  const { config, mqtt, topics, registry, naming, tokens } = input;
  const { clock, bus, log } = base;
  const entities = new EntityPublisher({
    publisher: mqtt.publisher,
    connection: mqtt.connection,
    topics,
    registry,
    naming,
    tables: ENTITY_TABLES,
    bus,
    clock,
    log: log.child('entities'),
    discovery: {
      enabled: config.mqtt.discovery.enabled,
      origin: { name: 'teslahub', sw_version: VERSION, support_url: 'https://github.com/teslahub/teslahub' },
    },
    devicesAvailable: () => tokens.state().kind === 'ok',
  });
  const report = new BridgeReport({
    clock,
    ledger: input.ledger,
    tokens,
    registry,
    naming,
    health: base.health,
    wantedScopes: config.tesla.scopes,
    budgetUsd: config.budget.monthly_usd,
    budget: input.bridge.budget,
    telemetry: input.bridge.telemetry,
    version: VERSION,
    demo: input.demo,
    roundMs: config.polling.energy.live * 1000,
  });
  const bridge = new Bridge({ connection: mqtt.connection, publisher: mqtt.publisher, entities, topics, bus, clock, report });
  const { wake, requests } = input.bridge;
  const bridgeRequests = new BridgeRequests({ connection: mqtt.connection, topics, bus, registry, naming, wake, ...(requests ? { requests } : {}) });
  const commands = new MqttCommands({ connection: mqtt.connection, topics, router: input.router, log: log.child('commands') });
  return { services: [entities, bridge, bridgeRequests], commands };
}
