import * as oidc from 'openid-client';
import type { TokenSet } from '../storage/token-store.js';
import { accessTokenClaims } from './jwt.js';
import type { OAuthClient } from './oauth-client.js';

export type GrantOutcome =
  | { kind: 'ok'; tokens: TokenSet }
  /** Tesla refused the refresh token (used, expired, password changed): only a new login helps. */
  | { kind: 'login_required'; message: string }
  /** Anything else (network, Tesla down, a config problem); `fix` when the user must act. */
  | { kind: 'failed'; message: string; fix?: string };

const DEFAULT_LIFETIME_S = 8 * 3600;

/** Our stored form of a token response; scopes and account come from the access token itself. */
export function toTokenSet(response: oidc.TokenEndpointResponse, now: number): TokenSet {
  if (!response.refresh_token) {
    throw new Error('Tesla returned no refresh token (the scopes must include offline_access)');
  }
  const claims = accessTokenClaims(response.access_token);
  const lifetime = typeof response.expires_in === 'number' && response.expires_in > 0 ? response.expires_in : DEFAULT_LIFETIME_S;
  return {
    access_token: response.access_token,
    refresh_token: response.refresh_token,
    expires_at: now + lifetime * 1000,
    obtained_at: now,
    scopes: claims.scopes,
    sub: claims.sub ?? null,
    ou_code: claims.ouCode ?? null,
  };
}

/** Classifies an openid-client failure of a token request. */
export function grantFailure(error: unknown): Exclude<GrantOutcome, { kind: 'ok' }> {
  if (error instanceof oidc.ResponseBodyError) {
    const code = error.error;
    if (code === 'login_required' || code === 'invalid_grant' || code === 'invalid_token' || error.status === 401) {
      return { kind: 'login_required', message: `Tesla refused the refresh token (${code}${error.error_description ? `: ${error.error_description}` : ''})` };
    }
    if (code === 'invalid_client' || code === 'unauthorized_client') {
      return {
        kind: 'failed',
        message: `Tesla does not accept the app's credentials (${code})`,
        fix: 'check tesla.client_id and tesla.client_secret against your app on developer.tesla.com',
      };
    }
    return { kind: 'failed', message: `Tesla's token endpoint answered ${error.status} ${code}` };
  }
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return { kind: 'failed', message: `token request failed (${message}${cause})` };
}

/** One refresh_token grant. Does not persist anything; the caller must, before using the result. */
export async function refreshGrant(oauth: OAuthClient, refreshToken: string, now: () => number): Promise<GrantOutcome> {
  try {
    const response = await oidc.refreshTokenGrant(oauth.configuration(), refreshToken);
    return { kind: 'ok', tokens: toTokenSet(response, now()) };
  } catch (error) {
    return grantFailure(error);
  }
}
