/**
 * Reads the claims of a JWT without verifying it. Tesla's documented way to learn the granted
 * scopes (`scp`), the region (`ou_code`) and the account (`sub`) is to decode the access token
 * the daemon itself received over TLS from Tesla's token endpoint.
 */
export function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface AccessTokenClaims {
  scopes: string[];
  sub: string | undefined;
  ouCode: string | undefined;
  expiresAt: number | undefined;
}

export function accessTokenClaims(token: string): AccessTokenClaims {
  const claims = decodeJwtClaims(token) ?? {};
  const scp = claims.scp;
  const scopes = Array.isArray(scp) ? scp.filter((s): s is string => typeof s === 'string') : typeof scp === 'string' ? scp.split(' ') : [];
  return {
    scopes,
    sub: typeof claims.sub === 'string' ? claims.sub : undefined,
    ouCode: typeof claims.ou_code === 'string' ? claims.ou_code : undefined,
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
  };
}
