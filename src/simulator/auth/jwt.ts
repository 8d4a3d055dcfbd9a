import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';

/** RS256 JSON Web Tokens signed with a key pair made at start-up (node:crypto only). */

export type JwtClaims = Record<string, unknown>;

export type JwtCheck = { ok: true; claims: JwtClaims } | { ok: false; reason: 'malformed' | 'bad_signature' };

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export class JwtSigner {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    this.kid = createHash('sha256').update(der).digest('base64url').slice(0, 16);
  }

  sign(claims: JwtClaims): string {
    const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: this.kid })}.${encode(claims)}`;
    return `${input}.${sign('sha256', Buffer.from(input), this.privateKey).toString('base64url')}`;
  }

  /** Checks the signature only; expiry and audience are the caller's business. */
  verify(token: string): JwtCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'malformed' };
    const [header, payload, signature] = parts as [string, string, string];
    let claims: unknown;
    try {
      const head = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: unknown };
      if (head.alg !== 'RS256') return { ok: false, reason: 'malformed' };
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return { ok: false, reason: 'malformed' };
    const valid = verify('sha256', Buffer.from(`${header}.${payload}`), this.publicKey, Buffer.from(signature, 'base64url'));
    return valid ? { ok: true, claims: claims as JwtClaims } : { ok: false, reason: 'bad_signature' };
  }

  /** The JSON Web Key Set that lets anyone check our tokens. */
  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', alg: 'RS256' }] };
  }
}

/** Decodes the claims without checking anything (for logs and fault bodies). */
export function peekClaims(token: string): JwtClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}
