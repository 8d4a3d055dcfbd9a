import type { KeyObject } from 'node:crypto';
import { publicKeyOf, scalarFromBytes, schnorrSign, schnorrVerify } from './schnorr.js';

/**
 * `Tesla.SS256` compact JWS: what Tesla's vehicle-command proxy makes of
 * a Fleet Telemetry config, so teslahub can push `fleet_telemetry_config_jws` itself.
 */
export const TELEMETRY_AUDIENCE = 'com.tesla.fleet.TelemetryClient';
const HEADER = { alg: 'Tesla.SS256', typ: 'JWT' };

/** JSON with object keys sorted at every level and no whitespace (what Go's encoder writes for maps). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function privateScalarOf(key: KeyObject): bigint {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || typeof jwk.d !== 'string') throw new Error('the fleet key is not a P-256 private key');
  return scalarFromBytes(Buffer.from(jwk.d, 'base64url'));
}

/** `iss`: standard base64 (with padding) of the 65-byte uncompressed public key. */
export function issuerOf(publicKey: Uint8Array): string {
  return Buffer.from(publicKey).toString('base64');
}

/** Signs claims as Tesla's signer does: `iss` and `aud` are always set here, whatever the caller passed. */
export function signTeslaJws(key: KeyObject, claims: Record<string, unknown>, audience = TELEMETRY_AUDIENCE): string {
  const scalar = privateScalarOf(key);
  const payload = { ...claims, aud: audience, iss: issuerOf(publicKeyOf(scalar)) };
  const input = `${Buffer.from(canonicalJson(HEADER)).toString('base64url')}.${Buffer.from(canonicalJson(payload)).toString('base64url')}`;
  return `${input}.${schnorrSign(scalar, Buffer.from(input, 'ascii')).toString('base64url')}`;
}

export type JwsCheck =
  | { ok: true; claims: Record<string, unknown>; publicKey: Buffer }
  | { ok: false; reason: 'malformed' | 'wrong_algorithm' | 'bad_signature' | 'unknown_key' | 'wrong_audience' | 'expired'; detail: string };

export interface JwsExpectations {
  /** Accept only tokens signed by one of these keys (65-byte uncompressed); default: the key `iss` names. */
  trustedKeys?: Uint8Array[];
  audience?: string;
  /** Unix seconds; with it, a token whose `exp` is past is refused. */
  nowS?: number;
}

function decodeJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The checks a receiver of a `Tesla.SS256` token makes (used by the simulator and by tests). */
export function verifyTeslaJws(token: string, expect: JwsExpectations = {}): JwsCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part)))
    return { ok: false, reason: 'malformed', detail: 'not three base64url segments' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const claims = decodeJson(payloadPart);
  if (!header || !claims) return { ok: false, reason: 'malformed', detail: 'header or claims are not JSON objects' };
  if (header.alg !== HEADER.alg) return { ok: false, reason: 'wrong_algorithm', detail: `alg is ${String(header.alg)}, expected ${HEADER.alg}` };
  const issuer = typeof claims.iss === 'string' ? Buffer.from(claims.iss, 'base64') : undefined;
  if (issuer?.length !== 65) return { ok: false, reason: 'malformed', detail: 'iss is not a base64 P-256 public key' };
  if (expect.trustedKeys && !expect.trustedKeys.some((key) => Buffer.from(key).equals(issuer))) {
    return { ok: false, reason: 'unknown_key', detail: 'signed by a key that is not the registered partner key' };
  }
  const signature = Buffer.from(signaturePart, 'base64url');
  if (!schnorrVerify(issuer, Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'), signature))
    return { ok: false, reason: 'bad_signature', detail: 'the Schnorr signature does not verify' };
  if (expect.audience !== undefined && claims.aud !== expect.audience)
    return { ok: false, reason: 'wrong_audience', detail: `aud is ${String(claims.aud)}, expected ${expect.audience}` };
  if (expect.nowS !== undefined && typeof claims.exp === 'number' && claims.exp <= expect.nowS)
    return { ok: false, reason: 'expired', detail: `exp ${claims.exp} is past` };
  return { ok: true, claims, publicKey: issuer };
}
