import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errnoCode, errorMessage, UserError } from '../core/errors.js';
import { ensureDirectory, PUBLIC_FILE_MODE, readFileIfExists, SECRET_FILE_MODE, writeFileDurable } from '../storage/durable-file.js';

/** The name Tesla fetches the key under; we store it under the same name. */
export const PUBLIC_KEY_FILE = 'com.tesla.3p.public-key.pem';
export const PUBLIC_KEY_URL_PATH = `/.well-known/appspecific/${PUBLIC_KEY_FILE}`;

export function publicKeyPathFor(privateKeyPath: string): string {
  return join(dirname(privateKeyPath), PUBLIC_KEY_FILE);
}

export function publicKeyUrl(domain: string): string {
  return `https://${domain}${PUBLIC_KEY_URL_PATH}`;
}

export function pairingLink(domain: string): string {
  return `https://tesla.com/_ak/${domain}`;
}

export interface KeyPairPem {
  privatePem: string;
  publicPem: string;
}

/** A fresh P-256 (prime256v1) pair: SEC1 private key as Tesla's tooling writes it, SPKI public key. */
export function generateKeyPair(): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privatePem: privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Writes a new key pair; refuses to replace an existing key unless `force`, because the old one is paired to cars. */
export async function writeKeyPair(privateKeyPath: string, force: boolean): Promise<{ privateKeyPath: string; publicKeyPath: string }> {
  const publicKeyPath = publicKeyPathFor(privateKeyPath);
  if (!force) {
    const existing = [privateKeyPath, publicKeyPath].filter((path) => existsSync(path));
    if (existing.length > 0) {
      throw new UserError(
        `a key already exists at ${existing.join(' and ')}; replacing it unpairs every car that trusts it`,
        'keep the existing key, or run "teslahub keys generate --force" and pair the new key again',
      );
    }
  }
  const pair = generateKeyPair();
  await ensureDirectory(dirname(privateKeyPath));
  // Private first: a public key on disk must always belong to the private key beside it.
  await writeFileDurable(privateKeyPath, pair.privatePem, SECRET_FILE_MODE);
  await writeFileDurable(publicKeyPath, pair.publicPem, PUBLIC_FILE_MODE);
  return { privateKeyPath, publicKeyPath };
}

/** Loads the private key and checks it is on the curve Tesla requires. */
export async function loadPrivateKey(privateKeyPath: string): Promise<KeyObject> {
  const pem = await readKeyFile(privateKeyPath);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new UserError(
      `${privateKeyPath} is not a readable private key (${errorMessage(error)})`,
      'run "teslahub keys generate --force" to make a new pair, then pair it with your cars again',
    );
  }
  assertP256(key, privateKeyPath);
  return key;
}

/**
 * The public key PEM to publish: the file beside the private key when present, otherwise derived
 * from the private key, so the two can never disagree in what we serve.
 */
export async function loadPublicKeyPem(privateKeyPath: string): Promise<string> {
  const privateKey = await loadPrivateKey(privateKeyPath);
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const stored = await readFileIfExists(publicKeyPathFor(privateKeyPath));
  if (stored !== undefined && normalisePem(stored) !== normalisePem(derived)) {
    throw new UserError(
      `${publicKeyPathFor(privateKeyPath)} does not belong to the private key ${privateKeyPath}`,
      `delete ${publicKeyPathFor(privateKeyPath)} (it is recreated from the private key) or restore the matching private key`,
    );
  }
  return derived;
}

async function readKeyFile(path: string): Promise<string> {
  try {
    const text = await readFileIfExists(path);
    if (text !== undefined) return text;
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${errorMessage(error)}`, `check that the daemon may read ${path} (${errnoCode(error) ?? 'error'})`);
  }
  throw new UserError(`no private key at ${path}`, 'run "teslahub keys generate" (or set tesla.private_key to where your key is)');
}

function assertP256(key: KeyObject, path: string): void {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new UserError(`${path} is not an EC P-256 (prime256v1) key, which Tesla requires`, 'run "teslahub keys generate --force" to make a P-256 pair');
  }
}

/** The public key as Tesla shows it: hex of the uncompressed EC point (04 || X || Y). */
export function publicKeyHex(publicPem: string): string {
  const jwk = createPublicKey(publicPem).export({ format: 'jwk' });
  if (!jwk.x || !jwk.y) throw new Error('not an EC public key');
  return `04${Buffer.from(jwk.x, 'base64url').toString('hex')}${Buffer.from(jwk.y, 'base64url').toString('hex')}`;
}

function normalisePem(pem: string): string {
  return pem.replace(/\s+/g, '');
}
