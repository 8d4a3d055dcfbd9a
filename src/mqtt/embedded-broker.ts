import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { errnoCode, UserError } from '../core/errors.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import { type BrokerCredentials, embeddedBrokerHooks } from './embedded-broker-hooks.js';

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  log: Logger;
  /** Demo mode: when the port is taken, use the next free one instead of failing. */
  fallbackToFreePort: boolean;
  /** teslahub's own client id: its deliveries keep the retain flag (see embedded-broker-hooks.ts). */
  ownClientId: string;
  /** mqtt.username/password: every client must present them (required beyond loopback). */
  credentials?: BrokerCredentials | undefined;
}

const FALLBACK_ATTEMPTS = 20;

/**
 * An in-process MQTT 3.1.1 broker (aedes) for set-ups without one. It keeps retained messages in
 * memory only, which is fine: the daemon republishes all state on every start.
 */
export class EmbeddedBroker implements Service {
  readonly name = 'embedded-broker';
  private broker: Aedes | undefined;
  private server: Server | undefined;
  private boundPort: number | undefined;
  private readonly options: EmbeddedBrokerOptions;

  constructor(options: EmbeddedBrokerOptions) {
    this.options = options;
  }

  /** The port actually listened on. */
  get port(): number {
    return this.boundPort ?? this.options.port;
  }

  get url(): string {
    const host = this.options.host === '0.0.0.0' ? '127.0.0.1' : this.options.host;
    return `mqtt://${host}:${this.port}`;
  }

  async start(): Promise<void> {
    const { host, port, log, fallbackToFreePort } = this.options;
    const broker = await Aedes.createBroker(embeddedBrokerHooks({ ownClientId: this.options.ownClientId, credentials: this.options.credentials }));
    this.broker = broker;
    const attempts = fallbackToFreePort && port !== 0 ? FALLBACK_ATTEMPTS : 1;
    for (let i = 0; i < attempts; i++) {
      const candidate = port === 0 ? 0 : port + i;
      const server = createServer(broker.handle);
      const outcome = await listen(server, host, candidate);
      if (outcome === 'ok') {
        this.server = server;
        this.boundPort = (server.address() as AddressInfo).port;
        break;
      }
      if (outcome !== 'in_use') {
        await this.stop();
        throw outcome;
      }
      if (i === 0 && attempts > 1) log.warn(`MQTT port ${port} is already in use (another broker?); looking for a free port`);
    }
    if (!this.server) {
      await this.stop();
      throw new UserError(
        `MQTT port ${port} on ${host} is already in use, probably by another MQTT broker such as Mosquitto`,
        `use that broker with mqtt.url: mqtt://127.0.0.1:${port}, or move the embedded one with mqtt.embedded.port (TESLAHUB_MQTT__EMBEDDED__PORT)`,
      );
    }
    log.info(`no mqtt.url configured: started the embedded MQTT broker on ${this.url}`, {
      watch: `mosquitto_sub -h ${this.url.replace('mqtt://', '').split(':')[0]} -p ${this.port} -v -t '#'`,
    });
  }

  async stop(): Promise<void> {
    const { server, broker } = this;
    this.server = undefined;
    this.broker = undefined;
    // Closing the broker first disconnects its clients; server.close() would otherwise wait for them.
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function listen(server: Server, host: string, port: number): Promise<'ok' | 'in_use' | Error> {
  return new Promise((resolve) => {
    const onError = (error: Error): void => {
      if (errnoCode(error) === 'EADDRINUSE') resolve('in_use');
      else
        resolve(new UserError(`cannot start the embedded MQTT broker on ${host}:${port}: ${error.message}`, 'check mqtt.embedded.host and mqtt.embedded.port'));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve('ok');
    });
  });
}
