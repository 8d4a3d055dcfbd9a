import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { SCOPES } from '../scenario/schema.js';
import { REGIONS, type Region } from '../types.js';
import { randomHex } from '../util/random.js';
import type { Account } from '../world/world.js';
import { type Client, redirectAllowed } from './clients.js';
import type { JwtSigner } from './jwt.js';
import { TokenMinter } from './token-minter.js';

/**
 * The logic of Tesla's OAuth server: authorization codes with PKCE, token
 * grants with refresh-token rotation, partner tokens, and checking access tokens for the Fleet
 * API. No HTTP here (auth-routes.ts does that); all time comes from the injected clock.
 */

export interface AuthServerOptions {
  clock: Pick<Clock, 'now'>;
  signer: JwtSigner;
  clients: Map<string, Client>;
  accounts: () => readonly Account[];
  issuer: () => string;
  regionBaseUrl: (region: Region) => string;
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  requirePkce: boolean;
}

/** An OAuth answer: a status and an OAuth-shaped JSON body. */
export interface OAuthAnswer {
  status: number;
  body: Record<string, unknown>;
}

export type TokenCheck =
  | { kind: 'user'; account: Account; clientId: string; scopes: ReadonlySet<string>; claims: Record<string, unknown> }
  | { kind: 'partner'; clientId: string; audience: string[]; scopes: ReadonlySet<string> }
  | { kind: 'error'; reason: 'missing' | 'expired' | 'invalid' };

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  challenge: string | undefined;
  nonce: string | undefined;
  accountId: string;
  expiresAt: number;
  used: boolean;
}

interface RefreshRecord {
  clientId: string;
  accountId: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

const CODE_LIFETIME_MS = 10 * 60_000;
export const LOGIN_REQUIRED = {
  error: 'login_required',
  error_description: 'The refresh_token is invalid. Generate a new refresh_token by forcing user to re-authenticate.',
};

const oauthError = (status: number, error: string, description: string): OAuthAnswer => ({ status, body: { error, error_description: description } });

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class AuthServer {
  private readonly options: AuthServerOptions;
  private readonly codes = new Map<string, CodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  /** Ids (jti) of user access tokens issued, and of those refused from now on (as after a password reset). */
  private readonly issuedAccess = new Map<string, string[]>();
  private readonly revokedAccess = new Set<string>();

  private readonly minter: TokenMinter;

  constructor(options: AuthServerOptions) {
    this.options = options;
    this.minter = new TokenMinter({
      clock: options.clock,
      signer: options.signer,
      issuer: options.issuer,
      regionBaseUrl: options.regionBaseUrl,
      lifetimeSeconds: options.accessTokenLifetimeSeconds,
    });
  }

  private get now(): number {
    return this.options.clock.now();
  }

  private account(idOrEmail?: string): Account | undefined {
    const accounts = this.options.accounts();
    if (idOrEmail === undefined) return accounts[0];
    return accounts.find((a) => a.id === idOrEmail || a.email === idOrEmail);
  }

  /** GET /oauth2/v3/authorize with consent given at once: the redirect URL, or an error never sent to an unchecked redirect URI. */
  authorize(query: Record<string, string>): { redirect: string } | OAuthAnswer {
    const client = this.options.clients.get(query.client_id ?? '');
    if (!client) return oauthError(400, 'invalid_client', `unknown client_id ${JSON.stringify(query.client_id ?? '')}`);
    const redirectUri = query.redirect_uri;
    if (!redirectUri || !redirectAllowed(client, redirectUri)) {
      return oauthError(400, 'invalid_redirect_url', `redirect_uri ${JSON.stringify(redirectUri ?? '')} is not allowed for this client`);
    }
    if (query.response_type !== 'code') return oauthError(400, 'unsupported_response_type', 'response_type must be code');
    const requested = (query.scope ?? '').split(/\s+/).filter(Boolean);
    if (!requested.includes('openid')) return oauthError(400, 'invalid_scope', 'scope must include openid');
    if (!query.state) return oauthError(400, 'invalid_request', 'state is required');
    const challenge = query.code_challenge;
    if (challenge !== undefined || this.options.requirePkce || client.clientSecret === undefined) {
      if (!challenge) return oauthError(400, 'invalid_request', 'code_challenge is required (PKCE with S256)');
      if (query.code_challenge_method !== 'S256') return oauthError(400, 'invalid_request', 'code_challenge_method must be S256');
    }
    const account = this.account(query.login_hint) ?? this.account();
    if (!account) return oauthError(400, 'invalid_request', 'the simulator has no account');
    const scopes = requested.filter((scope) => (SCOPES as readonly string[]).includes(scope) && (client.scopes as readonly string[]).includes(scope));
    this.forgetExpired();
    const code = `${account.region.toUpperCase()}_${randomHex(32)}`;
    this.codes.set(code, {
      clientId: client.clientId,
      redirectUri,
      scopes,
      challenge,
      nonce: query.nonce,
      accountId: account.id,
      expiresAt: this.now + CODE_LIFETIME_MS,
      used: false,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', query.state);
    target.searchParams.set('issuer', this.options.issuer());
    target.searchParams.set('locale', 'en-US');
    return { redirect: target.toString() };
  }

  /** POST /oauth2/v3/token. `basic` is the client_secret_basic pair from the Authorization header. */
  token(form: Record<string, string>, basic?: { clientId: string; clientSecret: string }): OAuthAnswer {
    if (basic && form.client_id !== undefined && form.client_id !== basic.clientId) {
      return oauthError(401, 'invalid_client', 'client_id in the form and in the Authorization header differ');
    }
    const clientId = basic?.clientId ?? form.client_id ?? '';
    const secret = basic?.clientSecret ?? form.client_secret;
    const client = this.options.clients.get(clientId);
    switch (form.grant_type) {
      case 'authorization_code':
        return this.codeGrant(form, client, secret);
      case 'refresh_token':
        return this.refreshGrant(form, client, secret);
      case 'client_credentials':
        return this.partnerGrant(form, client, secret);
      default:
        return oauthError(400, 'unsupported_grant_type', `grant_type ${JSON.stringify(form.grant_type ?? '')} is not supported`);
    }
  }

  private codeGrant(form: Record<string, string>, client: Client | undefined, secret: string | undefined): OAuthAnswer {
    if (!client) return oauthError(401, 'invalid_client', 'unknown client_id');
    if (client.clientSecret !== undefined && (secret === undefined || !sameSecret(secret, client.clientSecret))) {
      return oauthError(401, 'invalid_client', 'client authentication failed');
    }
    const record = this.codes.get(form.code ?? '');
    if (!record || record.used || record.expiresAt <= this.now || record.clientId !== client.clientId) {
      return oauthError(400, 'invalid_grant', 'The authorization code is invalid, expired or already used');
    }
    if (form.redirect_uri !== record.redirectUri) return oauthError(400, 'invalid_grant', 'redirect_uri does not match the one of the authorization request');
    if (record.challenge !== undefined) {
      const verifier = form.code_verifier;
      if (!verifier) return oauthError(400, 'invalid_grant', 'code_verifier is required');
      if (createHash('sha256').update(verifier).digest('base64url') !== record.challenge) {
        return oauthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
      }
    }
    if (form.audience !== undefined && this.regionOfAudience(form.audience) === undefined) {
      return oauthError(400, 'invalid_request', `audience ${form.audience} is not a Fleet API base URL of this server`);
    }
    record.used = true;
    const account = this.account(record.accountId);
    if (!account) return oauthError(400, 'invalid_grant', 'the account no longer exists');
    return { status: 200, body: this.issueUserTokens(account, client.clientId, record.scopes, record.nonce) };
  }

  private refreshGrant(form: Record<string, string>, client: Client | undefined, secret: string | undefined): OAuthAnswer {
    if (!client) return oauthError(401, 'invalid_client', 'unknown client_id');
    if (secret !== undefined && client.clientSecret !== undefined && !sameSecret(secret, client.clientSecret)) {
      return oauthError(401, 'invalid_client', 'client authentication failed');
    }
    const record = this.refreshTokens.get(form.refresh_token ?? '');
    if (!record || record.used || record.expiresAt <= this.now || record.clientId !== client.clientId) {
      return { status: 401, body: { ...LOGIN_REQUIRED } };
    }
    // Rotation: this refresh token is spent; the answer carries its successor.
    record.used = true;
    const account = this.account(record.accountId);
    if (!account) return { status: 401, body: { ...LOGIN_REQUIRED } };
    return { status: 200, body: this.issueUserTokens(account, client.clientId, record.scopes, undefined) };
  }

  private partnerGrant(form: Record<string, string>, client: Client | undefined, secret: string | undefined): OAuthAnswer {
    if (!client) return oauthError(401, 'invalid_client', 'unknown client_id');
    if (client.clientSecret === undefined) return oauthError(401, 'unauthorized_client', 'a public (open source) app cannot get partner tokens');
    if (secret === undefined || !sameSecret(secret, client.clientSecret)) return oauthError(401, 'invalid_client', 'client authentication failed');
    const audience = form.audience;
    if (!audience) return oauthError(400, 'invalid_request', 'audience is required: the Fleet API base URL of the region');
    const region = this.regionOfAudience(audience);
    if (!region) return oauthError(400, 'invalid_request', `audience ${audience} is not a Fleet API base URL of this server`);
    const requested = form.scope?.split(/\s+/).filter(Boolean);
    const scopes = (requested ?? client.scopes.filter((s) => s !== 'offline_access')).filter((s) => (client.scopes as readonly string[]).includes(s));
    const accessToken = this.minter.partner(client.clientId, region, scopes);
    const lifetime = this.minter.lifetimeSeconds;
    return { status: 200, body: { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' } };
  }

  /** Access, refresh and ID token for an account (also the simulator's shortcut for tests). */
  issueUserTokens(account: Account, clientId: string, scopes: string[], nonce: string | undefined): Record<string, unknown> {
    const { accessToken, idToken, jti } = this.minter.user(account, clientId, scopes, nonce);
    const issued = this.issuedAccess.get(account.id) ?? [];
    issued.push(jti);
    this.issuedAccess.set(account.id, issued);
    const lifetime = this.minter.lifetimeSeconds;
    const body: Record<string, unknown> = { access_token: accessToken, id_token: idToken, expires_in: lifetime, token_type: 'Bearer' };
    this.forgetExpired();
    if (scopes.includes('offline_access')) {
      const refreshToken = `${account.region.toUpperCase()}_${randomHex(32)}`;
      this.refreshTokens.set(refreshToken, {
        clientId,
        accountId: account.id,
        scopes,
        expiresAt: this.now + this.options.refreshTokenLifetimeSeconds * 1000,
        used: false,
      });
      body.refresh_token = refreshToken;
    }
    return body;
  }

  /** Checks a bearer token for the Fleet API: signature, issuer, expiry, revocation. */
  checkAccessToken(token: string | undefined): TokenCheck {
    if (!token) return { kind: 'error', reason: 'missing' };
    const checked = this.options.signer.verify(token);
    if (!checked.ok) return { kind: 'error', reason: 'invalid' };
    const claims = checked.claims;
    if (claims.iss !== this.options.issuer() || typeof claims.exp !== 'number' || typeof claims.azp !== 'string') return { kind: 'error', reason: 'invalid' };
    if (this.now / 1000 >= claims.exp) return { kind: 'error', reason: 'expired' };
    const scopes = new Set(Array.isArray(claims.scp) ? claims.scp.filter((s): s is string => typeof s === 'string') : []);
    const audience = Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : [];
    if (typeof claims.sub !== 'string') return { kind: 'partner', clientId: claims.azp, audience, scopes };
    const account = this.account(claims.sub);
    if (!account || account.id !== claims.sub) return { kind: 'error', reason: 'invalid' };
    if (typeof claims.jti === 'string' && this.revokedAccess.has(claims.jti)) return { kind: 'error', reason: 'invalid' };
    return { kind: 'user', account, clientId: claims.azp, scopes, claims };
  }

  /** Expired codes and refresh tokens can go; spent ones are kept until then, so reuse is recognised. */
  private forgetExpired(): void {
    const now = this.now;
    for (const [code, record] of this.codes) if (record.expiresAt <= now) this.codes.delete(code);
    for (const [token, record] of this.refreshTokens) if (record.expiresAt <= now) this.refreshTokens.delete(token);
  }

  /** Every refresh token of the account (or all) stops working: the user must log in again. */
  revokeRefreshTokens(accountId?: string): void {
    for (const record of this.refreshTokens.values()) if (accountId === undefined || record.accountId === accountId) record.used = true;
  }

  /** Every access token issued so far is refused from now on (as after a password change). */
  invalidateAccessTokens(accountId?: string): void {
    for (const [owner, ids] of this.issuedAccess) {
      if (accountId !== undefined && owner !== accountId) continue;
      for (const id of ids) this.revokedAccess.add(id);
      this.issuedAccess.set(owner, []);
    }
  }

  regionOfAudience(audience: string): Region | undefined {
    const trimmed = audience.replace(/\/+$/, '');
    return REGIONS.find((region) => this.options.regionBaseUrl(region) === trimmed);
  }
}
