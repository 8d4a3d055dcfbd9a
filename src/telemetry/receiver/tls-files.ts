import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { errorMessage, UserError } from '../../core/errors.js';

/** The receiver's TLS material as read from disk, checked to load together. */
export interface TlsFiles {
  cert: string;
  key: string;
  clientCa: string;
}

export interface TlsPaths {
  cert: string;
  key: string;
  clientCa: string;
}

/** Bounds what a misconfigured path can make the daemon read (a PEM chain is a few kilobytes). */
const MAX_PEM_BYTES = 1_000_000;

async function readPem(path: string, what: string, fix: string): Promise<string> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_PEM_BYTES) throw new Error(`${bytes.length} bytes is not a PEM file`);
    text = bytes.toString('utf8');
  } catch (error) {
    throw new UserError(`cannot read ${what} ${path}: ${errorMessage(error)}`, fix);
  }
  if (!text.includes('-----BEGIN')) throw new UserError(`${what} ${path} is not a PEM file`, fix);
  return text;
}

/** Reads the three files and checks that the certificate and key belong together. */
export async function readTlsFiles(paths: TlsPaths): Promise<TlsFiles> {
  const cert = await readPem(
    paths.cert,
    'telemetry.receiver.cert',
    'point it at the full chain of the certificate for telemetry.hostname, e.g. /etc/letsencrypt/live/<host>/fullchain.pem',
  );
  const key = await readPem(
    paths.key,
    'telemetry.receiver.key',
    "point it at that certificate's private key, e.g. /etc/letsencrypt/live/<host>/privkey.pem, readable by teslahub",
  );
  const clientCa = await readPem(
    paths.clientCa,
    'telemetry.receiver.client_ca',
    "remove the key to trust Tesla's CA (shipped with teslahub), or point it at a PEM file of CA certificates",
  );
  try {
    createSecureContext({ cert, key, ca: clientCa });
  } catch (error) {
    throw new UserError(
      `telemetry.receiver.cert and key do not load together: ${errorMessage(error)}`,
      "use the key that belongs to the certificate (Let's Encrypt: fullchain.pem with privkey.pem of the same live/<host> folder)",
    );
  }
  return { cert, key, clientCa };
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM file, in order (the leaf first in a full chain); unreadable blocks are skipped. */
export function certificatesOf(pem: string): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const block of pem.match(PEM_BLOCK) ?? []) {
    try {
      out.push(new X509Certificate(block));
    } catch {
      // Not a certificate: left out, and a chain missing it shows as incomplete.
    }
  }
  return out;
}
