import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { SystemClock } from '../../../src/core/clock.js';
import { Logger, MemorySink } from '../../../src/core/logger.js';
import { createHttpTransport, type HttpTransport } from '../../../src/fleet/transport.js';
import { createDaemon, type Daemon } from '../../../src/main.js';
import { PUBLIC_KEY_URL_PATH, writeKeyPair } from '../../../src/signing/keys.js';
import { Simulator } from '../../../src/simulator/index.js';
import { simulatorTeslaLines } from '../../support/tesla-world.js';
import { tempDir } from '../../support/tmp.js';

/** The app's domain in these tests; its HTTPS requests are answered by the daemon itself. */
export const WEB_DOMAIN = 'tesla.example.test';

export interface WebWorld {
  sim: Simulator;
  daemon: Daemon;
  sink: MemorySink;
  dir: string;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The daemon (in-process, real HTTP) with the simulator behind it, an embedded MQTT broker, a
 * key pair and tesla.domain set. "https://tesla.example.test/…" is served by the daemon itself,
 * both for the daemon's own check of its hosted public key and for the simulator's partner
 * registration, as if this server were exposed as the domain.
 */
export async function startWebWorld(options: { polling?: boolean; httpLines?: string[]; withKey?: boolean } = {}): Promise<WebWorld> {
  const clock = new SystemClock();
  let daemonBase = '';
  const sim = new Simulator({
    clock,
    rateLimits: false,
    fetchPublicKey: async (domain) => {
      if (domain !== WEB_DOMAIN) return undefined;
      const response = await fetch(`${daemonBase}${PUBLIC_KEY_URL_PATH}`);
      return response.ok ? response.text() : undefined;
    },
  });
  await sim.start();
  const { dir, cleanup } = await tempDir('teslahub-web-');
  const undici = createHttpTransport();
  let daemon: Daemon | undefined;
  try {
    const privateKey = join(dir, 'keys', 'private-key.pem');
    if (options.withKey !== false) await writeKeyPair(privateKey, false);
    const file = join(dir, 'config.yaml');
    await writeFile(
      file,
      [
        'log_level: debug',
        ...simulatorTeslaLines(sim),
        `  domain: ${WEB_DOMAIN}`,
        `  private_key: ${privateKey}`,
        'mqtt:',
        '  embedded:',
        '    port: 0',
        'http:',
        '  port: 0',
        ...(options.httpLines ?? []),
        'polling:',
        `  enabled: ${options.polling !== false}`,
        '',
      ].join('\n'),
    );
    const loaded = loadConfig({ file, cwd: dir, env: {} });
    if (!loaded.ok) throw new Error(`test config invalid: ${JSON.stringify(loaded.issues)}`);
    const sink = new MemorySink();
    const log = new Logger({ level: 'debug', format: 'pretty', sink, clock });
    const prefix = `https://${WEB_DOMAIN}/`;
    const transport: HttpTransport = (request) =>
      undici.transport(request.url.startsWith(prefix) ? { ...request, url: `${daemonBase}/${request.url.slice(prefix.length)}` } : request);
    daemon = await createDaemon({ loaded: loaded.loaded, demo: false, clock, log, transport });
    await daemon.lifecycle.start();
    daemonBase = `http://127.0.0.1:${daemon.http.port}`;
    const started = daemon;
    return {
      sim,
      daemon: started,
      sink,
      dir,
      baseUrl: daemonBase,
      close: async () => {
        await started.lifecycle.stop();
        await undici.close();
        await sim.stop();
        await cleanup();
      },
    };
  } catch (error) {
    await daemon?.lifecycle.stop();
    await undici.close();
    await sim.stop();
    await cleanup();
    throw error;
  }
}

/** The page's CSRF cookie and token, as a browser holds them after loading GET /. */
export async function pageSession(baseUrl: string, headers: Record<string, string> = {}): Promise<{ cookie: string; token: string; html: string }> {
  const response = await fetch(`${baseUrl}/`, { headers });
  const html = await response.text();
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const token = /<meta name="csrf-token" content="([^"]+)">/.exec(html)?.[1] ?? '';
  return { cookie, token, html };
}
