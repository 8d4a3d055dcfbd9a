import { createECDH } from 'node:crypto';

/**
 * The few P-256 operations Tesla's Schnorr signatures need. Scalar multiplication of the
 * generator goes through node:crypto (constant time, used when signing with the private key);
 * point addition and multiplication of an arbitrary point exist only for verifying, which works
 * on public values, so plain BigInt arithmetic is fine there.
 */
export const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
export const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const A = P - 3n;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const GX = 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n;
const GY = 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n;

export interface Point {
  x: bigint;
  y: bigint;
}

export const G: Point = { x: GX, y: GY };
export const SCALAR_BYTES = 32;

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

export function bigIntToBytes(value: bigint, length = SCALAR_BYTES): Buffer {
  const out = Buffer.alloc(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i -= 1) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest !== 0n) throw new RangeError(`value does not fit in ${length} bytes`);
  return out;
}

/** 0x04 ‖ X ‖ Y, the uncompressed form Tesla hashes and hosts. */
export function encodePoint(point: Point): Buffer {
  return Buffer.concat([Buffer.from([4]), bigIntToBytes(point.x), bigIntToBytes(point.y)]);
}

export function decodePoint(bytes: Uint8Array): Point | undefined {
  if (bytes.length !== 65 || bytes[0] !== 4) return undefined;
  const point = { x: bytesToBigInt(bytes.subarray(1, 33)), y: bytesToBigInt(bytes.subarray(33)) };
  return isOnCurve(point) ? point : undefined;
}

const mod = (value: bigint, m: bigint): bigint => ((value % m) + m) % m;

export function isOnCurve(point: Point): boolean {
  const { x, y } = point;
  if (x <= 0n || x >= P || y <= 0n || y >= P) return false;
  return mod(y * y - (x * x * x + A * x + B), P) === 0n;
}

function inverse(value: bigint, m: bigint): bigint {
  // Fermat: m is prime.
  return power(mod(value, m), m - 2n, m);
}

function power(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = base;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

/** Affine addition; `undefined` is the point at infinity. */
export function add(p: Point | undefined, q: Point | undefined): Point | undefined {
  if (!p) return q;
  if (!q) return p;
  if (p.x === q.x) {
    if (mod(p.y + q.y, P) === 0n) return undefined;
    const slope = mod(3n * p.x * p.x + A, P) * inverse(2n * p.y, P);
    return finish(p, q, mod(slope, P));
  }
  const slope = mod(q.y - p.y, P) * inverse(q.x - p.x, P);
  return finish(p, q, mod(slope, P));
}

function finish(p: Point, q: Point, slope: bigint): Point {
  const x = mod(slope * slope - p.x - q.x, P);
  return { x, y: mod(slope * (p.x - x) - p.y, P) };
}

/** Double-and-add on public values (verification only). */
export function multiply(point: Point, scalar: bigint): Point | undefined {
  let result: Point | undefined;
  let addend: Point | undefined = point;
  let k = mod(scalar, N);
  while (k > 0n) {
    if (k & 1n) result = add(result, addend);
    addend = add(addend, addend);
    k >>= 1n;
  }
  return result;
}

/** k·G through OpenSSL, for secret scalars. */
export function multiplyGenerator(scalar: bigint): Point {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(bigIntToBytes(scalar));
  const point = decodePoint(ecdh.getPublicKey());
  if (!point) throw new Error('OpenSSL returned a point off the curve');
  return point;
}
