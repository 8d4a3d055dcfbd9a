import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, type Simulator } from '../simulator/index.js';
import { testPki } from '../simulator/telemetry/pki.js';

/** The made-up names of the demo's streaming set-up (never looked up in DNS: the cars dial loopback). */
export const DEMO_TELEMETRY_HOST = 'telemetry.teslahub-demo.invalid';
export const DEMO_DOMAIN = 'teslahub-demo.invalid';

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Demo mode's streaming: a throwaway CA in the data folder (demo-telemetry/, new at every start)
 * issues the receiver's certificate and the demo cars' client certificates; the built-in receiver
 * listens on a loopback port, the app's domain is registered with the simulator, and the
 * simulator's cars stream to the receiver over the real wire once the daemon has configured them.
 * Only when config.yaml does not set telemetry up itself.
 */
export async function prepareDemoStreaming(
  loaded: LoadedConfig,
  publicPem: string,
  clock: Clock,
  log: Logger,
): Promise<{ fetchPublicKey: (domain: string) => Promise<string | undefined>; start: (simulator: Simulator) => Promise<void> } | undefined> {
  if (loaded.config.telemetry.enabled) return undefined;
  const dir = join(loaded.config.data_dir, 'demo-telemetry');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pki = testPki(clock.now(), [DEMO_TELEMETRY_HOST]);
  const files = { cert: join(dir, 'fullchain.pem'), key: join(dir, 'privkey.pem'), ca: join(dir, 'car-ca.pem') };
  await writeFile(files.cert, pki.server.cert + pki.ca.cert);
  await writeFile(files.key, pki.server.key, { mode: 0o600 });
  await writeFile(files.ca, pki.ca.cert);
  const port = await freeLoopbackPort();
  const domain = loaded.config.tesla.domain ?? DEMO_DOMAIN;
  const telemetry = loaded.config.telemetry;
  loaded.config = {
    ...loaded.config,
    tesla: { ...loaded.config.tesla, domain },
    telemetry: {
      ...telemetry,
      enabled: true,
      source: 'builtin',
      hostname: DEMO_TELEMETRY_HOST,
      port,
      receiver: { ...telemetry.receiver, listen: `127.0.0.1:${port}`, cert: files.cert, key: files.key, client_ca: files.ca },
    },
  };
  return {
    fetchPublicKey: async (asked) => (asked === domain ? publicPem : undefined),
    start: async (simulator) => {
      await registerDemoDomain(simulator, domain);
      simulator.telemetry.streamDirect({ hostname: DEMO_TELEMETRY_HOST, port, address: '127.0.0.1', certificate: (vin) => pki.car(vin) });
      log.info(`demo: the cars stream to the built-in receiver on 127.0.0.1:${port} (mutual TLS with a throwaway CA in ${dir})`);
    },
  };
}

/** Registers the app's domain with the simulator as `teslahub register` does with Tesla. */
async function registerDemoDomain(simulator: Simulator, domain: string): Promise<void> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: DEMO_CLIENT_ID,
    client_secret: DEMO_CLIENT_SECRET,
    audience: simulator.regionBaseUrl('na'),
  });
  const token = ((await (await fetch(`${simulator.authBaseUrl}/oauth2/v3/token`, { method: 'POST', body: form })).json()) as { access_token?: string })
    .access_token;
  const answer = await fetch(`${simulator.regionBaseUrl('na')}/api/1/partner_accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token ?? ''}`, 'content-type': 'application/json' },
    body: JSON.stringify({ domain }),
  });
  if (answer.status !== 200) throw new Error(`the simulator refused the demo domain: ${answer.status}`);
}
