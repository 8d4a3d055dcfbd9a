import { isValidDomain, p256PointHex, PUBLIC_KEY_PATH } from '../auth/public-key.js';
import type { Region } from '../types.js';
import { stableUuid } from '../util/random.js';
import { bearerToken, jsonBody, reply, type SimContext } from './context.js';
import type { FleetDeps } from './fleet-deps.js';
import { INVALID_TOKEN, outOfRegion, teslaError, TOKEN_EXPIRED } from './tesla-errors.js';

/**
 * Partner endpoints (partner token, i.e. client_credentials, whose audience is this region):
 * POST /api/1/partner_accounts registers the app's domain after fetching its public key,
 * GET …/public_key?domain= returns the registered key, GET …/fleet_telemetry_errors lists what cars reported (simulator/telemetry).
 */
export async function partnerRoute(ctx: SimContext, deps: FleetDeps, region: Region, apiPath: string): Promise<void> {
  const check = deps.auth.checkAccessToken(bearerToken(ctx));
  if (check.kind === 'error') {
    reply(ctx, 401, teslaError(check.reason === 'expired' ? TOKEN_EXPIRED : INVALID_TOKEN));
    return;
  }
  if (check.kind === 'user') {
    reply(ctx, 403, teslaError('unauthorized_client', 'partner endpoints need a partner token (grant_type client_credentials)'));
    return;
  }
  const regionUrl = deps.regionBaseUrl(region);
  if (!check.audience.includes(regionUrl)) {
    reply(ctx, 421, teslaError(outOfRegion(check.audience[0] ?? regionUrl)));
    return;
  }
  const client = deps.clients.get(check.clientId);
  if (!client) {
    reply(ctx, 401, teslaError(INVALID_TOKEN, 'unknown client'));
    return;
  }
  const route = `${ctx.method} ${apiPath}`;
  if (route === 'POST /api/1/partner_accounts') {
    const domain = jsonBody(ctx)?.domain;
    if (typeof domain !== 'string' || !isValidDomain(domain)) {
      reply(
        ctx,
        400,
        teslaError(
          `Invalid domain ${JSON.stringify(domain ?? '')}`,
          'send the lower-case host only, without https:// or a path, e.g. {"domain":"tesla.example.com"}',
        ),
      );
      return;
    }
    if (client.allowedOrigins && !client.allowedOrigins.includes(domain)) {
      reply(ctx, 412, teslaError(`Root domain ${domain} must match registered allowed origin ${client.allowedOrigins.join(', ')}`));
      return;
    }
    const pem = await deps.fetchPublicKey(domain);
    if (pem === undefined) {
      reply(
        ctx,
        400,
        teslaError(`Public key download failed for https://${domain}${PUBLIC_KEY_PATH}`, 'host the public key PEM at that URL, then register again'),
      );
      return;
    }
    const point = p256PointHex(pem);
    if (!point.ok) {
      reply(
        ctx,
        400,
        teslaError(`Invalid public key at https://${domain}${PUBLIC_KEY_PATH}: ${point.problem}`, 'generate a prime256v1 key pair (teslahub keys generate)'),
      );
      return;
    }
    const now = deps.clock.now();
    client.registrations.set(region, { domain, publicKeyHex: point.hex, at: now });
    client.registered.add(region);
    const iso = new Date(now).toISOString();
    reply(ctx, 200, {
      response: {
        client_id: client.clientId,
        domain,
        name: client.clientId,
        description: 'registered with the teslahub simulator',
        csr: null,
        csr_updated_at: null,
        ca: null,
        created_at: iso,
        updated_at: iso,
        enterprise_tier: 'pay_as_you_go',
        issuer: null,
        public_key: point.hex,
        account_id: stableUuid(`partner:${client.clientId}`),
      },
    });
    return;
  }
  if (route === 'GET /api/1/partner_accounts/public_key') {
    const registration = client.registrations.get(region);
    if (!registration || registration.domain !== ctx.query.domain) {
      reply(ctx, 404, teslaError('not_found', `no public key registered for ${ctx.query.domain ?? '(no domain given)'} in this region`));
      return;
    }
    reply(ctx, 200, { response: { public_key: registration.publicKeyHex } });
    return;
  }
  if (route === 'GET /api/1/partner_accounts/fleet_telemetry_errors') {
    const errors = deps.telemetry?.errorsFor(client.clientId).map(({ vin, name, error }) => ({ vin, name, error })) ?? [];
    reply(ctx, 200, { response: { fleet_telemetry_errors: errors } });
    return;
  }
  reply(ctx, 404, teslaError('not_found', `nothing at ${apiPath}`));
}
