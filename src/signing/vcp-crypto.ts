import { createCipheriv, createDecipheriv, createECDH, createHash, createHmac, createPublicKey, type ECDH, type KeyObject, timingSafeEqual } from 'node:crypto';

/**
 * The protocol's cryptography on node:crypto:
 * ECDH P-256 with K = SHA-1(X)[0..16), HMAC-SHA256 sub-keys, AES-128-GCM and SHA-256.
 */

export class VcpCryptoError extends Error {
  override readonly name = 'VcpCryptoError';
}

export const PUBLIC_KEY_LENGTH = 65;
export const EPOCH_LENGTH = 16;
export const GCM_NONCE_LENGTH = 12;
export const GCM_TAG_LENGTH = 16;

/** The uncompressed point `04 || X || Y` of a P-256 key (public or private). */
export function publicKeyBytes(key: KeyObject): Uint8Array {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new VcpCryptoError('not a P-256 key');
  return Buffer.concat([Buffer.of(4), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

/** A public key from PEM or from the hex of its uncompressed point; throws VcpCryptoError otherwise. */
export function parsePublicKey(text: string): Uint8Array {
  const trimmed = text.trim();
  if (/^(04)?[0-9a-fA-F]{128}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.length === 128 ? `04${trimmed}` : trimmed, 'hex');
    assertValidPoint(bytes);
    return bytes;
  }
  try {
    return publicKeyBytes(createPublicKey(trimmed));
  } catch (error) {
    throw new VcpCryptoError(`not a P-256 public key (PEM or 130 hex digits): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Rejects anything but an uncompressed point on P-256 (off-curve points, the all-zero encoding). */
export function assertValidPoint(bytes: Uint8Array): void {
  if (bytes.length !== PUBLIC_KEY_LENGTH || bytes[0] !== 4)
    throw new VcpCryptoError(`a public key must be a 65-byte uncompressed point, got ${bytes.length} bytes`);
  try {
    createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: Buffer.from(bytes.subarray(1, 33)).toString('base64url'), y: Buffer.from(bytes.subarray(33)).toString('base64url') },
      format: 'jwk',
    });
  } catch {
    throw new VcpCryptoError('the public key is not a point on P-256');
  }
}

/** One side's private key, ready for key agreement. */
export class EcdhKey {
  readonly publicKey: Uint8Array;
  private readonly ecdh: ECDH;

  private constructor(ecdh: ECDH) {
    this.ecdh = ecdh;
    this.publicKey = ecdh.getPublicKey();
  }

  static fromKeyObject(key: KeyObject): EcdhKey {
    const jwk = key.export({ format: 'jwk' });
    if (key.type !== 'private' || jwk.crv !== 'P-256' || !jwk.d) throw new VcpCryptoError('the signing key must be a P-256 private key');
    return EcdhKey.fromScalar(Buffer.from(jwk.d, 'base64url'));
  }

  /** From the 32-byte private scalar; a zero or out-of-range scalar is refused. */
  static fromScalar(scalar: Uint8Array): EcdhKey {
    const ecdh = createECDH('prime256v1');
    try {
      ecdh.setPrivateKey(Buffer.from(scalar));
    } catch {
      throw new VcpCryptoError('the private scalar is not valid on P-256');
    }
    if (scalar.every((byte) => byte === 0)) throw new VcpCryptoError('the private scalar is zero');
    return new EcdhKey(ecdh);
  }

  /** K = SHA-1 of the 32-byte X coordinate (leading zeros kept), first 16 bytes. */
  sharedKey(peerPublicKey: Uint8Array): Buffer {
    if (peerPublicKey.length !== PUBLIC_KEY_LENGTH || peerPublicKey[0] !== 4) throw new VcpCryptoError('the peer key must be a 65-byte uncompressed point');
    let x: Buffer;
    try {
      x = this.ecdh.computeSecret(Buffer.from(peerPublicKey));
    } catch {
      throw new VcpCryptoError('the peer public key is not a point on P-256');
    }
    return createHash('sha1').update(x).digest().subarray(0, 16);
  }
}

export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function sessionInfoKey(sharedKey: Uint8Array): Buffer {
  return hmacSha256(sharedKey, Buffer.from('session info', 'ascii'));
}

export function commandHmacKey(sharedKey: Uint8Array): Buffer {
  return hmacSha256(sharedKey, Buffer.from('authenticated command', 'ascii'));
}

/** Constant-time equality; different lengths are simply unequal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function aesGcmEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): { ciphertext: Buffer; tag: Buffer } {
  if (nonce.length !== GCM_NONCE_LENGTH) throw new VcpCryptoError(`an AES-GCM nonce is ${GCM_NONCE_LENGTH} bytes, got ${nonce.length}`);
  const cipher = createCipheriv('aes-128-gcm', key, nonce, { authTagLength: GCM_TAG_LENGTH });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/** The plaintext, or undefined when the tag does not verify. */
export function aesGcmDecrypt(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Buffer | undefined {
  if (nonce.length !== GCM_NONCE_LENGTH || tag.length !== GCM_TAG_LENGTH) return undefined;
  const decipher = createDecipheriv('aes-128-gcm', key, nonce, { authTagLength: GCM_TAG_LENGTH });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}
