import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../src/core/clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { FleetClient } from '../../src/fleet/client.js';
import { BillingMeter } from '../../src/fleet/meter.js';
import { RegionResolver } from '../../src/fleet/region.js';
import { createHttpTransport } from '../../src/fleet/transport.js';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, type Simulator } from '../../src/simulator/index.js';

/** Not a real certificate: neither side parses it beyond the PEM markers. */
export const TEST_CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUTESTTESTTESTTESTTESTTESTTESTwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n';
export const DOMAIN = 'teslahub.example.com';

export interface FleetKey {
  privateKey: KeyObject;
  privatePem: string;
  publicPem: string;
}

export function newFleetKey(): FleetKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKey,
    privatePem: privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Writes the key pair and the CA file where a config in `dir` expects them. */
export async function writeKeyFiles(dir: string, key: FleetKey): Promise<{ privateKeyPath: string; caPath: string }> {
  await mkdir(join(dir, 'keys'), { recursive: true });
  const privateKeyPath = join(dir, 'keys', 'private-key.pem');
  await writeFile(privateKeyPath, key.privatePem, { mode: 0o600 });
  await writeFile(join(dir, 'keys', 'com.tesla.3p.public-key.pem'), key.publicPem);
  const caPath = join(dir, 'telemetry-ca.pem');
  await writeFile(caPath, TEST_CA);
  return { privateKeyPath, caPath };
}

/** Registers the demo app's domain in North America the way Tesla does it: a partner token, then partner_accounts. */
export async function registerPartner(sim: Simulator): Promise<void> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: DEMO_CLIENT_ID,
    client_secret: DEMO_CLIENT_SECRET,
    audience: sim.regionBaseUrl('na'),
  });
  const token = ((await (await fetch(`${sim.authBaseUrl}/oauth2/v3/token`, { method: 'POST', body: form })).json()) as { access_token: string }).access_token;
  const answer = await fetch(`${sim.regionBaseUrl('na')}/api/1/partner_accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ domain: DOMAIN }),
  });
  if (answer.status !== 200) throw new Error(`partner registration failed: ${answer.status} ${await answer.text()}`);
}

/** A Fleet client against the simulator with a fixed user token (no refreshes in these tests). */
export async function simFleet(sim: Simulator, clock: Clock, dataDir: string): Promise<{ fleet: FleetClient; close: () => Promise<void>; log: Logger }> {
  const log = new Logger({ level: 'debug', format: 'pretty', sink: new MemorySink(), clock });
  const token = String(sim.issueTokens().access_token);
  const region = await RegionResolver.open(dataDir, { region: 'na', apiBaseUrl: sim.regionBaseUrl('na'), tokenRegion: () => undefined }, log, clock);
  const undici = createHttpTransport();
  const fleet = new FleetClient({
    transport: undici.transport,
    tokens: { accessToken: async () => token, rejected: () => undefined },
    region,
    meter: new BillingMeter({ sink: { record: () => undefined } }),
    clock,
    log,
  });
  return { fleet, close: undici.close, log };
}
