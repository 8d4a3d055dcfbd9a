import type { LoadedConfig } from './config/load.js';
import type { Clock } from './core/clock.js';
import type { DaemonEvents } from './core/daemon-events.js';
import { EventBus } from './core/events.js';
import { HealthRegistry } from './core/health.js';
import { Lifecycle, type Service } from './core/lifecycle.js';
import type { Logger } from './core/logger.js';
import { healthzRoute } from './http/routes/healthz.js';
import { publicKeyRoute } from './http/routes/public-key.js';
import { HttpServer } from './http/server.js';
import { type MqttConnect, MqttConnection } from './mqtt/connection.js';
import { EmbeddedBroker } from './mqtt/embedded-broker.js';
import { StatePublisher } from './mqtt/publisher.js';
import { Topics } from './mqtt/topics.js';
import type { JsonStore } from './storage/json-store.js';
import { openTokenStore, type TokenFile } from './storage/token-store.js';

export interface DaemonDeps {
  loaded: LoadedConfig;
  /** Demo mode: defaults, the built-in simulator, and an embedded broker that moves off a taken port. */
  demo: boolean;
  clock: Clock;
  log: Logger;
  mqttConnect?: MqttConnect;
}

export interface Daemon {
  lifecycle: Lifecycle;
  bus: EventBus<DaemonEvents>;
  health: HealthRegistry;
  http: HttpServer;
  mqtt: MqttConnection;
  publisher: StatePublisher;
  topics: Topics;
  broker: EmbeddedBroker | undefined;
  tokens(): JsonStore<TokenFile>;
}

/**
 * The composition root: the only place that builds real infrastructure and wires the rooms
 * together. Start order follows ARCHITECTURE.md (storage, http, mqtt); stop is the reverse.
 */
export function createDaemon(deps: DaemonDeps): Daemon {
  const { loaded, clock, log } = deps;
  const { config } = loaded;
  for (const secret of loaded.secrets) log.redactor.add(secret);

  const lifecycle = new Lifecycle({ clock, log: log.child('lifecycle') });
  const bus = new EventBus<DaemonEvents>((error, type) => log.error('event listener failed', { event: String(type), error }));
  const health = new HealthRegistry();
  const topics = new Topics(config.mqtt.base_topic, config.mqtt.discovery.prefix);

  let tokenStore: JsonStore<TokenFile> | undefined;
  const storage: Service = {
    name: 'storage',
    start: async () => {
      tokenStore = await openTokenStore(config.data_dir, log.child('storage'), clock);
      const account = tokenStore.data.account;
      if (account) {
        log.redactor.add(account.access_token);
        log.redactor.add(account.refresh_token);
      }
    },
    stop: async () => undefined,
  };
  const tokens = (): JsonStore<TokenFile> => {
    if (!tokenStore) throw new Error('token store used before storage started');
    return tokenStore;
  };

  const http = new HttpServer({
    host: config.http.host,
    port: config.http.port,
    log: log.child('http'),
    handlers: [healthzRoute(health), publicKeyRoute(config.tesla.private_key)],
  });

  const broker = config.mqtt.url
    ? undefined
    : new EmbeddedBroker({
        host: config.mqtt.embedded.host,
        port: config.mqtt.embedded.port,
        log: log.child('broker'),
        fallbackToFreePort: deps.demo,
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
    const account = tokenStore?.data.account;
    return account
      ? { ok: true, reason: 'a Tesla account is connected' }
      : {
          ok: false,
          reason: 'no Tesla account is connected',
          fix: `open http://${config.http.host}:${http.port}/ and click "Connect Tesla account", or run "teslahub login"`,
        };
  });

  lifecycle.add(storage).add(http);
  if (broker) lifecycle.add(broker);
  lifecycle.add(publisher).add(mqtt);

  return { lifecycle, bus, health, http, mqtt, publisher, topics, broker, tokens };
}
