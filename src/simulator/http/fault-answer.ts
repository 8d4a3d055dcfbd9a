import type { ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock.js';
import { DEMO_CLIENT_ID } from '../auth/clients.js';
import { peekClaims } from '../auth/jwt.js';
import type { FaultRule, Region } from '../types.js';
import type { World } from '../world/world.js';
import { bearerToken, reply, type SimContext } from './context.js';
import { defaultFleetErrorBody, defaultOAuthErrorBody } from './tesla-errors.js';

/**
 * Answers a request with a fault rule's status. Without a body of its own, the answer is what
 * Tesla sends for that status: OAuth-shaped on /oauth2/, Fleet-shaped elsewhere, naming the
 * caller's app and regions as far as its (unchecked) token tells. A 429 carries Retry-After: 60
 * unless the rule's headers say otherwise (an empty value drops the header).
 */
export function answerFault(ctx: SimContext, rule: FaultRule, deps: { world: World; regionBaseUrl(region: Region): string }): void {
  const claims = peekClaims(bearerToken(ctx) ?? '');
  const clientId = typeof claims?.azp === 'string' ? claims.azp : DEMO_CLIENT_ID;
  const account = (typeof claims?.sub === 'string' ? deps.world.accountById(claims.sub) : undefined) ?? deps.world.accounts[0];
  const body =
    rule.body !== undefined
      ? rule.body
      : ctx.path.startsWith('/oauth2/')
        ? defaultOAuthErrorBody(rule.status)
        : defaultFleetErrorBody(rule.status, {
            clientId,
            regionUrl: deps.regionBaseUrl(ctx.record.region ?? 'na'),
            accountRegionUrl: deps.regionBaseUrl(account?.region ?? 'na'),
          });
  const headers = rule.status === 429 ? { 'retry-after': '60', ...rule.headers } : { ...rule.headers };
  reply(ctx, rule.status, body, headers);
}

/**
 * Holds an answer that is already decided (the request has taken effect) for `ms` on the clock
 * before it leaves, as a slow network does on the way back.
 */
export function holdReply(res: ServerResponse, clock: Clock, ms: number, signal: AbortSignal): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const held = (...args: unknown[]): ServerResponse => {
    void clock.sleep(ms, signal).then(
      () => end(...args),
      () => res.destroy(),
    );
    return res;
  };
  res.end = held as typeof res.end;
}
