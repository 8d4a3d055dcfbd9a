import { createHash, randomBytes } from 'node:crypto';

/**
 * Deterministic pseudo-randomness for the world (same scenario and clock, same numbers) and
 * unpredictable randomness for secrets (codes, tokens).
 */

/** A 32-bit integer hash of integers (a murmur-style finaliser over each input). */
export function hash32(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const value of values) {
    h = Math.imul(h ^ (value | 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    h = Math.imul(h, 0x297a2d39);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** A number in [0, 1) fixed by its inputs. */
export function unitHash(...values: number[]): number {
  return hash32(...values) / 0x1_0000_0000;
}

/** Smooth noise in [−1, 1]: random values at integer x, interpolated with a smoothstep. */
export function valueNoise(seed: number, x: number): number {
  const i = Math.floor(x);
  const f = x - i;
  const a = unitHash(seed, i) * 2 - 1;
  const b = unitHash(seed, i + 1) * 2 - 1;
  const s = f * f * (3 - 2 * f);
  return a + (b - a) * s;
}

/** A stable small integer from text (scenario seeds per device). */
export function textSeed(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** A UUID-shaped identifier derived from text, so ids are stable across runs of a scenario. */
export function stableUuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Unguessable URL-safe text for codes and tokens. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
