import type { Scope } from '../scenario/schema.js';
import type { Region } from '../types.js';
import type { Account } from '../world/world.js';
import { bearerToken, reply, type SimContext } from './context.js';
import type { FleetDeps } from './fleet-deps.js';
import { INVALID_TOKEN, MISSING_SCOPES, notRegistered, outOfRegion, teslaError, TOKEN_EXPIRED } from './tesla-errors.js';

/** A user (third-party) token that passed the gate. */
export interface UserAccess {
  account: Account;
  clientId: string;
  scopes: ReadonlySet<string>;
  region: Region;
}

/**
 * Checks a user-token request in the order Tesla's gateway does (as far as observed): a valid,
 * unexpired bearer token (401), a user rather than a partner token (403), the app registered in
 * this region (412, even for users/region), and the account living in this region (421; not for
 * users/region, which answers on every region). Answers the request itself when a check fails.
 */
export function userGate(ctx: SimContext, deps: FleetDeps, region: Region, anyRegion: boolean): UserAccess | undefined {
  const check = deps.auth.checkAccessToken(bearerToken(ctx));
  switch (check.kind) {
    case 'error':
      reply(ctx, 401, teslaError(check.reason === 'expired' ? TOKEN_EXPIRED : INVALID_TOKEN), { 'www-authenticate': 'Bearer' });
      return undefined;
    case 'partner':
      reply(ctx, 403, teslaError('unauthorized_client', 'a partner token cannot call user endpoints; use a third-party (user) token'));
      return undefined;
    case 'user':
      break;
  }
  const client = deps.clients.get(check.clientId);
  if (!client?.registered.has(region)) {
    reply(ctx, 412, teslaError(notRegistered(check.clientId, deps.regionBaseUrl(region))));
    return undefined;
  }
  if (!anyRegion && check.account.region !== region) {
    reply(ctx, 421, teslaError(outOfRegion(deps.regionBaseUrl(check.account.region))));
    return undefined;
  }
  return { account: check.account, clientId: check.clientId, scopes: check.scopes, region };
}

/** True when the token has one of `anyOf`; otherwise answers 403 "Unauthorized missing scopes". */
export function requireScope(ctx: SimContext, access: UserAccess, ...anyOf: Scope[]): boolean {
  if (anyOf.some((scope) => access.scopes.has(scope))) return true;
  reply(ctx, 403, teslaError(MISSING_SCOPES, `this endpoint needs the scope ${anyOf.join(' or ')}`));
  return false;
}
