import { SCOPES } from '../scenario/schema.js';
import type { AuthServer } from '../auth/auth-server.js';
import type { JwtSigner } from '../auth/jwt.js';
import { basicAuth, bearerToken, formBody, redirect, reply, type SimContext } from './context.js';

/**
 * Tesla's OAuth server, under the same paths:
 *   GET  /oauth2/v3/authorize                                  consent given at once: 302 to the redirect URI
 *   POST /oauth2/v3/token                                      authorization_code, refresh_token, client_credentials
 *   GET  /oauth2/v3/thirdparty/.well-known/openid-configuration   (also …/v3/.well-known/… and …/v3/nts/.well-known/…)
 *   GET  /oauth2/v3/discovery/thirdparty/keys                  JWKS (also /oauth2/v3/discovery/keys)
 *   GET  /oauth2/v3/userinfo                                   bearer access token with openid
 */
export interface AuthRouteDeps {
  auth: AuthServer;
  signer: JwtSigner;
  url: () => string;
  issuer: () => string;
}

const DISCOVERY_PATHS = new Set([
  '/oauth2/v3/thirdparty/.well-known/openid-configuration',
  '/oauth2/v3/.well-known/openid-configuration',
  '/oauth2/v3/nts/.well-known/openid-configuration',
]);
const JWKS_PATHS = new Set(['/oauth2/v3/discovery/thirdparty/keys', '/oauth2/v3/discovery/keys']);

function allow(ctx: SimContext, method: string): boolean {
  if (ctx.method === method) return true;
  reply(ctx, 405, { error: 'method_not_allowed', error_description: `use ${method}` }, { allow: method });
  return false;
}

export function handleAuth(ctx: SimContext, deps: AuthRouteDeps): void {
  const base = deps.url();
  if (ctx.path === '/oauth2/v3/authorize') {
    if (!allow(ctx, 'GET')) return;
    const result = deps.auth.authorize(ctx.query);
    if ('redirect' in result) redirect(ctx, result.redirect);
    else reply(ctx, result.status, result.body);
    return;
  }
  if (ctx.path === '/oauth2/v3/token') {
    if (!allow(ctx, 'POST')) return;
    const answer = deps.auth.token(formBody(ctx), basicAuth(ctx));
    reply(ctx, answer.status, answer.body);
    return;
  }
  if (DISCOVERY_PATHS.has(ctx.path)) {
    if (!allow(ctx, 'GET')) return;
    reply(ctx, 200, {
      issuer: deps.issuer(),
      authorization_endpoint: `${base}/oauth2/v3/authorize`,
      token_endpoint: `${base}/oauth2/v3/token`,
      userinfo_endpoint: `${base}/oauth2/v3/userinfo`,
      jwks_uri: `${base}/oauth2/v3/discovery/thirdparty/keys`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'none'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: [...SCOPES],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'email', 'email_verified'],
    });
    return;
  }
  if (JWKS_PATHS.has(ctx.path)) {
    if (allow(ctx, 'GET')) reply(ctx, 200, deps.signer.jwks());
    return;
  }
  if (ctx.path === '/oauth2/v3/userinfo') {
    if (!allow(ctx, 'GET')) return;
    const check = deps.auth.checkAccessToken(bearerToken(ctx));
    if (check.kind !== 'user') {
      reply(
        ctx,
        401,
        { error: 'invalid_token', error_description: 'a valid user access token is required' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
      return;
    }
    if (!check.scopes.has('openid')) {
      reply(ctx, 403, { error: 'insufficient_scope', error_description: 'the token lacks openid' });
      return;
    }
    const { account } = check;
    reply(ctx, 200, { sub: account.id, email: account.email, email_verified: true, name: account.fullName, locale: 'en-US' });
    return;
  }
  reply(ctx, 404, { error: 'not_found', error_description: `nothing at ${ctx.path}` });
}
