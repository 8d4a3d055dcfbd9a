import * as oidc from 'openid-client';
import type { OAuthClient } from '../../auth/oauth-client.js';
import { grantFailure } from '../../auth/token-exchange.js';
import { errorMessage } from '../../core/errors.js';
import { parseEnvelope } from '../../fleet/envelope.js';
import { REGION_BASE_URLS } from '../../fleet/region.js';
import type { HttpTransport } from '../../fleet/transport.js';

export interface RegistrationState {
  baseUrl: string;
  /** A short name for the region ("North America", …) or the base URL of an override. */
  label: string;
  state: 'registered' | 'not_registered' | 'other_key' | 'unknown';
  detail?: string;
}

const REGION_LABELS: Record<string, string> = {
  [REGION_BASE_URLS.na]: 'North America, Asia-Pacific',
  [REGION_BASE_URLS.eu]: 'Europe, Middle East, Africa',
  [REGION_BASE_URLS.cn]: 'China',
};

export function regionLabel(baseUrl: string): string {
  return REGION_LABELS[baseUrl] ?? baseUrl;
}

/**
 * Whether Tesla holds this installation's key for the domain in one region: a partner token,
 * then GET /api/1/partner_accounts/public_key?domain= (free of charge). 404 means not registered.
 */
export async function checkRegistration(input: {
  oauth: OAuthClient;
  transport: HttpTransport;
  baseUrl: string;
  domain: string;
  publicKeyHex: string;
  timeoutMs: number;
}): Promise<RegistrationState> {
  const { baseUrl, domain } = input;
  const label = regionLabel(baseUrl);
  let token: string;
  try {
    token = (await oidc.clientCredentialsGrant(input.oauth.configuration(), { audience: baseUrl, scope: 'openid' })).access_token;
  } catch (error) {
    return { baseUrl, label, state: 'unknown', detail: `no partner token: ${grantFailure(error).message}` };
  }
  try {
    const response = await input.transport({
      method: 'GET',
      url: `${baseUrl}/api/1/partner_accounts/public_key?domain=${encodeURIComponent(domain)}`,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      timeoutMs: input.timeoutMs,
    });
    if (response.status === 404) return { baseUrl, label, state: 'not_registered' };
    const envelope = parseEnvelope(response.text);
    if (response.status !== 200) {
      const detail = [envelope?.error, envelope?.errorDescription].filter(Boolean).join(': ') || `Tesla answered ${response.status}`;
      return { baseUrl, label, state: 'unknown', detail };
    }
    const registered = (envelope?.response as { public_key?: unknown } | undefined)?.public_key;
    if (typeof registered !== 'string') return { baseUrl, label, state: 'unknown', detail: "Tesla's answer had no public key" };
    return registered.toLowerCase() === input.publicKeyHex.toLowerCase()
      ? { baseUrl, label, state: 'registered' }
      : { baseUrl, label, state: 'other_key', detail: 'Tesla holds a different key for this domain' };
  } catch (error) {
    return { baseUrl, label, state: 'unknown', detail: errorMessage(error) };
  }
}

/** The regions worth checking: the override, the configured region, or North America and Europe. */
export function regionsToCheck(region: 'auto' | 'na' | 'eu' | 'cn', apiBaseUrl: string | undefined): string[] {
  if (apiBaseUrl) return [apiBaseUrl.replace(/\/+$/, '')];
  return region === 'auto' ? [REGION_BASE_URLS.na, REGION_BASE_URLS.eu] : [REGION_BASE_URLS[region]];
}
