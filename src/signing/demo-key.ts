import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { loadPublicKeyPem, writeKeyPair } from './keys.js';

/**
 * The key demo mode signs with: the configured one when it exists, else a pair made once under
 * `<data_dir>/demo-keys/`. Demo mode pairs it with the simulated cars, which require signed
 * commands, so a newcomer's commands go through the whole Vehicle Command Protocol.
 */
export async function demoSigningKey(configuredPath: string, dataDir: string, log: Logger): Promise<{ privateKeyPath: string; publicPem: string }> {
  if (existsSync(configuredPath)) {
    try {
      return { privateKeyPath: configuredPath, publicPem: await loadPublicKeyPem(configuredPath) };
    } catch (error) {
      log.warn(`demo: the key at ${configuredPath} cannot be used (${errorMessage(error)}); using a demo key instead`);
    }
  }
  const path = join(dataDir, 'demo-keys', 'private-key.pem');
  if (!existsSync(path)) {
    await writeKeyPair(path, false);
    log.info(`demo: made a key pair for signed commands at ${path}`);
  }
  return { privateKeyPath: path, publicPem: await loadPublicKeyPem(path) };
}
