import { createHash, createHmac } from 'node:crypto';
import { add, bigIntToBytes, bytesToBigInt, decodePoint, encodePoint, G, multiply, multiplyGenerator, N, SCALAR_BYTES } from './p256.js';

/**
 * Schnorr signatures over P-256 with SHA-256 as Tesla uses them for `Tesla.SS256` tokens
 * (fleet-telemetry.md §2.4): deterministic nonce (RFC 6979, HMAC-SHA256), challenge
 * c = SHA256(LV(G) ‖ LV(V) ‖ LV(A) ‖ LV(message)), r = k − a·c mod n, signature V.x ‖ V.y ‖ r.
 */
export const SIGNATURE_BYTES = 96;

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

function lengthValue(value: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(value.length);
  return Buffer.concat([length, value]);
}

function challenge(nonce: Buffer, publicKey: Buffer, message: Uint8Array): bigint {
  return bytesToBigInt(sha256(Buffer.concat([lengthValue(encodePoint(G)), lengthValue(nonce), lengthValue(publicKey), lengthValue(message)])));
}

/** RFC 6979 §3.2 for qlen = hlen = 256: the nonce is a function of the key and the digest only. */
export function deterministicNonce(privateScalar: bigint, digest: Uint8Array): bigint {
  const hmac = (key: Buffer, ...parts: Uint8Array[]): Buffer => {
    const mac = createHmac('sha256', key);
    for (const part of parts) mac.update(part);
    return mac.digest();
  };
  const x = bigIntToBytes(privateScalar);
  const h = bigIntToBytes(bytesToBigInt(digest) % N);
  let v: Buffer = Buffer.alloc(32, 1);
  let k: Buffer = Buffer.alloc(32, 0);
  k = hmac(k, v, Buffer.from([0]), x, h);
  v = hmac(k, v);
  k = hmac(k, v, Buffer.from([1]), x, h);
  v = hmac(k, v);
  for (;;) {
    v = hmac(k, v);
    const candidate = bytesToBigInt(v);
    if (candidate >= 1n && candidate < N) return candidate;
    k = hmac(k, v, Buffer.from([0]));
    v = hmac(k, v);
  }
}

export function publicKeyOf(privateScalar: bigint): Buffer {
  return encodePoint(multiplyGenerator(privateScalar));
}

export function schnorrSign(privateScalar: bigint, message: Uint8Array): Buffer {
  if (privateScalar <= 0n || privateScalar >= N) throw new RangeError('the private scalar is out of range');
  const k = deterministicNonce(privateScalar, sha256(message));
  const nonce = encodePoint(multiplyGenerator(k));
  const c = challenge(nonce, publicKeyOf(privateScalar), message);
  const r = (((k - privateScalar * c) % N) + N) % N;
  return Buffer.concat([nonce.subarray(1), bigIntToBytes(r)]);
}

/** V == c·A + r·G, with every input checked (lengths, points on the curve, r < n). */
export function schnorrVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  const signer = decodePoint(publicKey);
  const nonceBytes = Buffer.concat([Buffer.from([4]), signature.subarray(0, 2 * SCALAR_BYTES)]);
  const nonce = decodePoint(nonceBytes);
  const r = bytesToBigInt(signature.subarray(2 * SCALAR_BYTES));
  if (!signer || !nonce || r >= N) return false;
  const c = challenge(nonceBytes, Buffer.from(publicKey), message);
  const expected = add(multiply(signer, c), multiply(G, r));
  return expected !== undefined && expected.x === nonce.x && expected.y === nonce.y;
}
