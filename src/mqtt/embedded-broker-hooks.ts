import { timingSafeEqual } from 'node:crypto';
import type { AedesOptions, AuthenticateError } from 'aedes';

export interface BrokerCredentials {
  username: string;
  password: string;
}

const BAD_USERNAME_OR_PASSWORD = 4;

/**
 * The embedded broker's rules, as aedes hooks.
 *
 * Retained publishes: MQTT 3.1.1 makes a broker clear the retain flag on live deliveries, so the
 * daemon could not tell a retained `/set` from a fresh one and would run it (MQTT 5 has
 * retain-as-published for that, which teslahub asks for on other brokers). aedes sees the flag
 * when the publish arrives; the payload buffer travels with every copy it delivers, so the
 * delivery to teslahub's own client keeps the flag, as retain-as-published would. The copy
 * replayed on subscribe is flagged anyway.
 *
 * Credentials: when the config names them, every client must present them.
 */
export function embeddedBrokerHooks(options: { ownClientId: string; credentials?: BrokerCredentials | undefined }): AedesOptions {
  const retainedPayloads = new WeakSet<Buffer>();
  const { ownClientId, credentials } = options;
  return {
    authorizePublish: (_client, packet, callback) => {
      // aedes' own default: clients do not publish as the broker.
      if (packet.topic.startsWith('$SYS/')) return callback(new Error('$SYS/ topics are reserved for the broker'));
      if (packet.retain && Buffer.isBuffer(packet.payload)) retainedPayloads.add(packet.payload);
      callback(null);
    },
    authorizeForward: (client, packet) => {
      if (client.id !== ownClientId || packet.retain || !Buffer.isBuffer(packet.payload) || !retainedPayloads.has(packet.payload)) return packet;
      return { ...packet, retain: true };
    },
    ...(credentials
      ? {
          authenticate: (_client, username, password, done) => {
            if (username === credentials.username && password !== undefined && sameSecret(password, credentials.password)) return done(null, true);
            done(Object.assign(new Error('bad user name or password'), { returnCode: BAD_USERNAME_OR_PASSWORD }) as AuthenticateError, false);
          },
        }
      : {}),
  };
}

function sameSecret(given: Buffer, expected: string): boolean {
  const want = Buffer.from(expected, 'utf8');
  return given.length === want.length && timingSafeEqual(given, want);
}
