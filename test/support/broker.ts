import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { delimiter, join } from 'node:path';
import { Aedes } from 'aedes';
import { freePort } from './net.js';
import { tempDir } from './tmp.js';

/**
 * A real MQTT broker for one test suite: Mosquitto on its own free port, or, only where the
 * binary is missing and CI is not set, an in-process aedes. It can be stopped and started again
 * on the same port, to test reconnects.
 */
export interface TestBroker {
  readonly kind: 'mosquitto' | 'aedes';
  readonly port: number;
  readonly url: string;
  /** True while the broker accepts connections. */
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the broker and removes its files. */
  close(): Promise<void>;
}

export function findMosquitto(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'mosquitto');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Starts a broker. With `port`, it listens there (for a broker that comes up after the daemon). */
export async function startBroker(options: { port?: number; autostart?: boolean } = {}): Promise<TestBroker> {
  const binary = findMosquitto();
  let broker: TestBroker;
  if (binary) {
    broker = await MosquittoBroker.create(binary, options.port);
  } else {
    if (process.env.CI) throw new Error('mosquitto is not installed, and CI must test against it (fix: apt-get install -y mosquitto)');
    process.emitWarning('mosquitto not found: falling back to the in-process aedes broker (install mosquitto for the real thing)');
    broker = new AedesBroker(options.port ?? (await freePort()));
  }
  if (options.autostart !== false) await broker.start();
  return broker;
}

class MosquittoBroker implements TestBroker {
  readonly kind = 'mosquitto' as const;
  private child: ChildProcess | undefined;
  private currentPort: number;
  private readonly fixedPort: boolean;
  private readonly binary: string;
  private readonly dir: string;
  private readonly cleanup: () => Promise<void>;

  private constructor(binary: string, port: number, fixedPort: boolean, dir: string, cleanup: () => Promise<void>) {
    this.binary = binary;
    this.currentPort = port;
    this.fixedPort = fixedPort;
    this.dir = dir;
    this.cleanup = cleanup;
  }

  static async create(binary: string, port: number | undefined): Promise<MosquittoBroker> {
    const { dir, cleanup } = await tempDir('teslahub-mosquitto-');
    return new MosquittoBroker(binary, port ?? (await freePort()), port !== undefined, dir, cleanup);
  }

  get port(): number {
    return this.currentPort;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.currentPort}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  async start(): Promise<void> {
    if (this.child) return;
    for (let attempt = 0; attempt < 5; attempt++) {
      const outcome = await this.launch();
      if (outcome === 'ok') return;
      // Someone took the port between choosing and binding it: pick another, unless it was given.
      if (this.fixedPort) await new Promise((resolve) => setTimeout(resolve, 200));
      else this.currentPort = await freePort();
    }
    throw new Error(`mosquitto did not start on port ${this.currentPort}`);
  }

  private async launch(): Promise<'ok' | 'retry'> {
    const config = join(this.dir, 'mosquitto.conf');
    await writeFile(
      config,
      [
        `listener ${this.currentPort} 127.0.0.1`,
        'allow_anonymous true',
        'persistence false',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        'log_type notice',
        'log_type information',
        '',
      ].join('\n'),
    );
    const child = spawn(this.binary, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output: string | undefined = '';
    const ready = await new Promise<boolean>((resolve) => {
      const onData = (chunk: Buffer): void => {
        // Drained for the broker's whole life (a full pipe would block it), kept only until ready.
        if (output === undefined) return;
        output += chunk.toString();
        if (/running/.test(output)) {
          output = undefined;
          resolve(true);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', () => resolve(false));
      setTimeout(() => resolve(false), 5000);
    });
    if (!ready) {
      child.kill('SIGKILL');
      return 'retry';
    }
    this.child = child;
    return 'ok';
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async close(): Promise<void> {
    await this.stop();
    await this.cleanup();
  }
}

class AedesBroker implements TestBroker {
  readonly kind = 'aedes' as const;
  readonly port: number;
  private broker: Aedes | undefined;
  private server: Server | undefined;

  constructor(port: number) {
    this.port = port;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.broker = broker;
    this.server = server;
  }

  async stop(): Promise<void> {
    const { broker, server } = this;
    this.broker = undefined;
    this.server = undefined;
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  close(): Promise<void> {
    return this.stop();
  }
}
