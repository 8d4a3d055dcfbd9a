import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Clock } from '../../src/core/clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { createHttpTransport, type HttpTransport } from '../../src/fleet/transport.js';
import { createDaemon, type Daemon } from '../../src/main.js';
import type { MqttConnect } from '../../src/mqtt/connection.js';
import { Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { tempDir } from './tmp.js';

export const DEMO_CLIENT_ID = 'teslahub-demo';
export const DEMO_CLIENT_SECRET = 'teslahub-demo-secret';

/** The tesla: section that points a teslahub at the simulator with the demo app. */
export function simulatorTeslaLines(sim: Simulator): string[] {
  return [
    'tesla:',
    `  client_id: ${DEMO_CLIENT_ID}`,
    `  client_secret: ${DEMO_CLIENT_SECRET}`,
    `  auth_base_url: ${sim.authBaseUrl}`,
    `  api_base_url: ${sim.regionBaseUrl('na')}`,
  ];
}

/** A free embedded broker and web port, so parallel daemons never collide. */
export const FREE_PORT_LINES = ['mqtt:', '  embedded:', '    port: 0', 'http:', '  port: 0'];

export interface TeslaWorld {
  sim: Simulator;
  /** Daemon requests to the simulator not yet answered (for stepping a fake clock). */
  inFlight(): number;
  daemon: Daemon;
  sink: MemorySink;
  dir: string;
  dataDir: string;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real daemon, in-process, talking real HTTP to the simulator; an embedded MQTT broker on
 * a free port so /healthz can turn green. Logs go to memory at debug level, for assertions and
 * the secret scan.
 */
export async function startTeslaWorld(options: {
  clock: Clock;
  /** The simulated Tesla's own clock, when it must differ from the daemon's (as a real server's may). */
  simClock?: Clock;
  sim?: Omit<SimulatorOptions, 'clock'>;
  /** Extra lines inside the tesla: section (two-space indented). */
  teslaLines?: string[];
  /** Extra lines inside the mqtt: section (two-space indented), e.g. a broker url. */
  mqttLines?: string[];
  /** Automatic polling; off by default so tests of the client see only their own calls. */
  polling?: boolean;
  /** Extra top-level lines. */
  configLines?: string[];
  /** The daemon's MQTT connect, e.g. one that records what it publishes. */
  mqttConnect?: MqttConnect;
}): Promise<TeslaWorld> {
  const sim = new Simulator({ clock: options.simClock ?? options.clock, ...options.sim });
  await sim.start();
  try {
    return await startDaemon(sim, options);
  } catch (error) {
    await sim.stop();
    throw error;
  }
}

async function startDaemon(
  sim: Simulator,
  options: { clock: Clock; teslaLines?: string[]; mqttLines?: string[]; polling?: boolean; configLines?: string[]; mqttConnect?: MqttConnect },
): Promise<TeslaWorld> {
  const { dir, cleanup } = await tempDir('teslahub-world-');
  const file = join(dir, 'config.yaml');
  await writeFile(
    file,
    [
      'log_level: debug',
      ...simulatorTeslaLines(sim),
      ...(options.teslaLines ?? []),
      'mqtt:',
      ...(options.mqttLines ?? ['  embedded:', '    port: 0']),
      'http:',
      '  port: 0',
      'polling:',
      `  enabled: ${options.polling === true}`,
      ...(options.configLines ?? []),
      '',
    ].join('\n'),
  );
  const loaded = loadConfig({ file, cwd: dir, env: {} });
  if (!loaded.ok) {
    await cleanup();
    throw new Error(`test config invalid: ${JSON.stringify(loaded.issues)}`);
  }
  const sink = new MemorySink();
  const log = new Logger({ level: 'debug', format: 'pretty', sink, clock: options.clock });
  // A counting transport, so a test driving a fake clock knows when the daemon is quiet.
  const undici = createHttpTransport();
  let inFlight = 0;
  const transport: HttpTransport = async (request) => {
    inFlight += 1;
    try {
      return await undici.transport(request);
    } finally {
      inFlight -= 1;
    }
  };
  const daemon = await createDaemon({
    loaded: loaded.loaded,
    demo: false,
    clock: options.clock,
    log,
    transport,
    ...(options.mqttConnect ? { mqttConnect: options.mqttConnect } : {}),
  });
  await daemon.lifecycle.start();
  return {
    sim,
    inFlight: () => inFlight,
    daemon,
    sink,
    dir,
    dataDir: loaded.loaded.config.data_dir,
    baseUrl: `http://127.0.0.1:${daemon.http.port}`,
    close: async () => {
      await daemon.lifecycle.stop();
      await undici.close();
      await sim.stop();
      await cleanup();
    },
  };
}
