import type { Config } from '../config/schema.js';
import type { Base } from '../core/base.js';
import type { Service } from '../core/lifecycle.js';
import { DEFAULT_BROKER_URL, tlsForUrl } from './broker-url.js';
import { type MqttConnect, MqttConnection } from './connection.js';
import type { EmbeddedBroker } from './embedded-broker.js';
import { StatePublisher } from './publisher.js';
import type { Topics } from './topics.js';

export interface MqttInput {
  config: Config;
  topics: Topics;
  /** Demo mode: the embedded broker moves off a taken port. */
  demo: boolean;
  connect?: MqttConnect | undefined;
}

export interface Mqtt {
  connection: MqttConnection;
  publisher: StatePublisher;
  broker: EmbeddedBroker | undefined;
  /** The broker teslahub talks to; the embedded broker's port is known only once it listens. */
  url: () => string;
  /** In start order: the embedded broker (if any) before the state publisher. */
  services: Service[];
}

/** teslahub's own broker connection: the configured broker, or an embedded one when `mqtt.url` is not set. */
export async function createMqtt(base: Base, input: MqttInput): Promise<Mqtt> {
  const { mqtt } = input.config;
  const broker = mqtt.url ? undefined : await embeddedBroker(base, input);
  const url = (): string => mqtt.url ?? broker?.url ?? DEFAULT_BROKER_URL;
  const tls = tlsForUrl(mqtt.url, { ca: mqtt.ca, cert: mqtt.cert, key: mqtt.key, rejectUnauthorized: mqtt.reject_unauthorized });
  const connection = new MqttConnection({
    get url() {
      return url();
    },
    clientId: mqtt.client_id,
    // aedes speaks MQTT 3.1.1 only.
    protocolVersion: broker ? 4 : mqtt.protocol_version,
    username: mqtt.username,
    password: mqtt.password,
    ...(tls ? { tls } : {}),
    topics: input.topics,
    log: base.log.child('mqtt'),
    clock: base.clock,
    bus: base.bus,
    ...(input.connect ? { connect: input.connect } : {}),
  });
  registerMqttHealth(base, connection);
  const publisher = new StatePublisher(connection, base.bus);
  return { connection, publisher, broker, url, services: broker ? [broker, publisher] : [publisher] };
}

/** The embedded broker (aedes), loaded only when no broker is configured. */
async function embeddedBroker(base: Base, input: MqttInput): Promise<EmbeddedBroker> {
  const { mqtt } = input.config;
  const { EmbeddedBroker } = await import('./embedded-broker.js');
  return new EmbeddedBroker({
    host: mqtt.embedded.host,
    port: mqtt.embedded.port,
    log: base.log.child('broker'),
    fallbackToFreePort: input.demo,
    ownClientId: mqtt.client_id,
    credentials: mqtt.username !== undefined && mqtt.password !== undefined ? { username: mqtt.username, password: mqtt.password } : undefined,
  });
}

function registerMqttHealth(base: Base, connection: MqttConnection): void {
  base.health.register('mqtt', () =>
    connection.connected
      ? { ok: true, reason: `connected to ${connection.url}` }
      : {
          ok: false,
          reason: connection.problem ?? `not connected to the MQTT broker at ${connection.url} yet`,
          fix: 'check that the broker runs and that mqtt.url, mqtt.username and mqtt.password are right',
        },
  );
}
