import { createHash, createHmac } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';

/**
 * Schnorr signatures over P-256 with SHA-256, as Tesla uses them for `Tesla.SS256` tokens
 * to sign partner tokens: deterministic nonce (RFC 6979, HMAC-SHA256),
 * challenge c = SHA256(LV(G) ‖ LV(V) ‖ LV(A) ‖ LV(message)), r = k − a·c mod n, signature V.x ‖ V.y ‖ r.
 * Curve arithmetic is @noble/curves'; only the hashing and the signature layout are ours.
 */
export const SIGNATURE_BYTES = 96;
const SCALAR_BYTES = 32;
const Point = p256.Point;
const ORDER = Point.Fn.ORDER;

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function scalarFromBytes(bytes: Uint8Array): bigint {
  return bytesToNumberBE(bytes);
}

export function scalarToBytes(scalar: bigint): Buffer {
  return Buffer.from(numberToBytesBE(scalar, SCALAR_BYTES));
}

function lengthValue(value: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(value.length);
  return Buffer.concat([length, value]);
}

function challenge(nonce: Uint8Array, publicKey: Uint8Array, message: Uint8Array): bigint {
  const generator = Point.BASE.toBytes(false);
  const digest = sha256(Buffer.concat([lengthValue(generator), lengthValue(nonce), lengthValue(publicKey), lengthValue(message)]));
  return Point.Fn.create(bytesToNumberBE(digest));
}

/** RFC 6979 section 3.2 for qlen = hlen = 256: the nonce is a function of the key and the digest only. */
export function deterministicNonce(privateScalar: bigint, digest: Uint8Array): bigint {
  const hmac = (key: Buffer, ...parts: Uint8Array[]): Buffer => {
    const mac = createHmac('sha256', key);
    for (const part of parts) mac.update(part);
    return mac.digest();
  };
  const x = scalarToBytes(privateScalar);
  const h = scalarToBytes(bytesToNumberBE(digest) % ORDER);
  let v: Buffer = Buffer.alloc(32, 1);
  let k: Buffer = Buffer.alloc(32, 0);
  k = hmac(k, v, Buffer.from([0]), x, h);
  v = hmac(k, v);
  k = hmac(k, v, Buffer.from([1]), x, h);
  v = hmac(k, v);
  for (;;) {
    v = hmac(k, v);
    const candidate = bytesToNumberBE(v);
    if (candidate >= 1n && candidate < ORDER) return candidate;
    k = hmac(k, v, Buffer.from([0]));
    v = hmac(k, v);
  }
}

/** 0x04 ‖ X ‖ Y, the uncompressed form Tesla hashes and hosts. */
export function publicKeyOf(privateScalar: bigint): Buffer {
  return Buffer.from(Point.BASE.multiply(privateScalar).toBytes(false));
}

export function schnorrSign(privateScalar: bigint, message: Uint8Array): Buffer {
  if (privateScalar <= 0n || privateScalar >= ORDER) throw new RangeError('the private scalar is out of range');
  const k = deterministicNonce(privateScalar, sha256(message));
  const nonce = Point.BASE.multiply(k).toBytes(false);
  const c = challenge(nonce, publicKeyOf(privateScalar), message);
  const r = Point.Fn.sub(k, Point.Fn.mul(privateScalar, c));
  return Buffer.concat([nonce.subarray(1), scalarToBytes(r)]);
}

function pointOf(bytes: Uint8Array): InstanceType<typeof Point> | undefined {
  if (bytes.length !== 65 || bytes[0] !== 4) return undefined;
  try {
    return Point.fromBytes(bytes);
  } catch {
    return undefined;
  }
}

/** V == c·A + r·G, with every input checked (lengths, points on the curve, r < n). */
export function schnorrVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SIGNATURE_BYTES) return false;
  const signer = pointOf(publicKey);
  const nonceBytes = Buffer.concat([Buffer.from([4]), signature.subarray(0, 2 * SCALAR_BYTES)]);
  const nonce = pointOf(nonceBytes);
  const r = bytesToNumberBE(signature.subarray(2 * SCALAR_BYTES));
  if (!signer || !nonce || r >= ORDER) return false;
  const c = challenge(nonceBytes, publicKey, message);
  const cA = c === 0n ? Point.ZERO : signer.multiplyUnsafe(c);
  const rG = r === 0n ? Point.ZERO : Point.BASE.multiplyUnsafe(r);
  return cA.add(rG).equals(nonce);
}
