import { createPublicKey, type KeyObject } from 'node:crypto';

/** Checks an app's hosted public key the way partner registration does. */

export const PUBLIC_KEY_PATH = '/.well-known/appspecific/com.tesla.3p.public-key.pem';

/** A lower-case host without scheme or path; a port is tolerated so a local daemon can be registered. */
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/;

export function isValidDomain(domain: string): boolean {
  return domain.length <= 253 && DOMAIN.test(domain);
}

/** The uncompressed EC point (04 ‖ X ‖ Y) in hex of a P-256 SPKI PEM, or an explanation of what is wrong. */
export function p256PointHex(pem: string): { ok: true; hex: string } | { ok: false; problem: string } {
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) {
    return { ok: false, problem: 'the public key is not a PEM "PUBLIC KEY" (SubjectPublicKeyInfo)' };
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    return { ok: false, problem: 'the public key PEM cannot be read' };
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    return { ok: false, problem: 'the public key is not an EC prime256v1 (P-256, secp256r1) key' };
  }
  const jwk = key.export({ format: 'jwk' });
  if (!jwk.x || !jwk.y) return { ok: false, problem: 'the public key has no EC point' };
  const hex = `04${Buffer.from(jwk.x, 'base64url').toString('hex')}${Buffer.from(jwk.y, 'base64url').toString('hex')}`;
  return { ok: true, hex };
}

/** Default key fetch: plain HTTP to the domain (a simulator talks to local servers, not the internet's TLS). */
export async function fetchPublicKeyOverHttp(domain: string): Promise<string | undefined> {
  try {
    const response = await fetch(`http://${domain}${PUBLIC_KEY_PATH}`, { signal: AbortSignal.timeout(5000), redirect: 'follow' });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}
