import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../src/core/clock.js';
import { testPki } from '../../src/simulator/telemetry/pki.js';
import { freePort } from '../support/net.js';
import { DOMAIN, type FleetKey } from './sim-fleet.js';

export const TELEMETRY_HOST = 'telemetry.example.com';

/**
 * The files and config lines of a daemon whose built-in receiver listens on a free loopback port,
 * with a test CA that issues the server certificate and the cars' client certificates (made at
 * test time from the real clock, which OpenSSL checks validity against).
 */
export async function builtinReceiverSetup(dir: string, key: FleetKey, realClock: Clock, extra: string[] = []) {
  const pki = testPki(realClock.now(), [TELEMETRY_HOST, '127.0.0.1']);
  const port = await freePort();
  const paths = { cert: join(dir, 'fullchain.pem'), key: join(dir, 'privkey.pem'), ca: join(dir, 'car-ca.pem'), privateKey: join(dir, 'private-key.pem') };
  await writeFile(paths.cert, pki.server.cert + pki.ca.cert);
  await writeFile(paths.key, pki.server.key, { mode: 0o600 });
  await writeFile(paths.ca, pki.ca.cert);
  await writeFile(paths.privateKey, key.privatePem, { mode: 0o600 });
  await writeFile(join(dir, 'com.tesla.3p.public-key.pem'), key.publicPem);
  const teslaLines = [`  domain: ${DOMAIN}`, `  private_key: ${paths.privateKey}`];
  const configLines = [
    'telemetry:',
    '  enabled: true',
    '  source: builtin',
    `  hostname: ${TELEMETRY_HOST}`,
    `  port: ${port}`,
    // No telemetry.ca: the cars are told to trust the chain that issued receiver.cert (the test CA).
    '  check_interval: 1m',
    '  receiver:',
    `    listen: "127.0.0.1:${port}"`,
    `    cert: ${paths.cert}`,
    `    key: ${paths.key}`,
    `    client_ca: ${paths.ca}`,
    ...extra,
  ];
  return {
    pki,
    port,
    paths,
    teslaLines,
    configLines,
    streamOptions: { hostname: TELEMETRY_HOST, port, address: '127.0.0.1', certificate: (vin: string) => pki.car(vin) },
  };
}
