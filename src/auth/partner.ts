import * as oidc from 'openid-client';
import { parseEnvelope } from '../fleet/envelope.js';
import type { HttpTransport } from '../fleet/transport.js';
import { TransportError } from '../fleet/transport.js';
import { publicKeyUrl } from '../signing/keys.js';
import type { OAuthClient } from './oauth-client.js';
import { grantFailure } from './token-exchange.js';

export interface RegistrationResult {
  baseUrl: string;
  ok: boolean;
  message: string;
  fix?: string;
}

export interface RegistrationInput {
  oauth: OAuthClient;
  transport: HttpTransport;
  baseUrl: string;
  domain: string;
  /** Our public key as an uncompressed point in hex, to compare with what Tesla registered. */
  publicKeyHex: string;
}

/**
 * Registers the app's domain in one Fleet API region: a partner token for
 * that region, then POST partner_accounts. Tesla fetches the public key from the domain while
 * registering, so most failures are about the domain or the hosted key; each gets its own advice.
 */
export async function registerInRegion(input: RegistrationInput): Promise<RegistrationResult> {
  const { baseUrl, domain } = input;
  let partnerToken: string;
  try {
    const response = await oidc.clientCredentialsGrant(input.oauth.configuration(), { audience: baseUrl, scope: 'openid' });
    partnerToken = response.access_token;
  } catch (error) {
    const failure = grantFailure(error);
    return {
      baseUrl,
      ok: false,
      message: `no partner token for ${baseUrl}: ${failure.message}`,
      fix: 'check tesla.client_id and tesla.client_secret, and that the app on developer.tesla.com allows "Authorization Code and Machine-to-Machine"',
    };
  }
  let status: number;
  let text: string;
  try {
    const response = await input.transport({
      method: 'POST',
      url: `${baseUrl}/api/1/partner_accounts`,
      headers: { authorization: `Bearer ${partnerToken}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ domain }),
      timeoutMs: 30_000,
    });
    status = response.status;
    text = response.text;
  } catch (error) {
    const message = error instanceof TransportError ? error.message : String(error);
    return { baseUrl, ok: false, message: `could not reach ${baseUrl}: ${message}`, fix: 'check the network and try again' };
  }
  const envelope = parseEnvelope(text);
  const detail = [envelope?.error, envelope?.errorDescription].filter(Boolean).join(': ') || text.slice(0, 200);
  if (status >= 200 && status < 300) {
    const registered = registeredKey(envelope?.response);
    if (registered && registered.toLowerCase() !== input.publicKeyHex.toLowerCase()) {
      return {
        baseUrl,
        ok: false,
        message: `registered, but Tesla holds a different public key for ${domain} than this teslahub's key`,
        fix: `host this installation's public key at ${publicKeyUrl(domain)} ("teslahub keys show" prints it), then run "teslahub register" again`,
      };
    }
    return { baseUrl, ok: true, message: `registered ${domain} in ${baseUrl}` };
  }
  return { baseUrl, ok: false, ...explain(status, detail, domain) };
}

function registeredKey(response: unknown): string | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const key = (response as { public_key?: unknown }).public_key;
  return typeof key === 'string' ? key : undefined;
}

function explain(status: number, detail: string, domain: string): { message: string; fix: string } {
  const lower = detail.toLowerCase();
  if (lower.includes('public key') || lower.includes('public_key') || lower.includes('prime256v1')) {
    return {
      message: `Tesla could not use the public key for ${domain} (${detail})`,
      fix: `make ${publicKeyUrl(domain)} serve this installation's public key over HTTPS ("teslahub keys show" prints it)`,
    };
  }
  if (lower.includes('invalid domain') || status === 400) {
    return {
      message: `Tesla rejected the domain "${domain}" (${detail})`,
      fix: 'set tesla.domain to the bare host name, lower case, without https:// or a path',
    };
  }
  if (status === 412 || lower.includes('origin')) {
    return {
      message: `Tesla says the domain does not match the app (${detail})`,
      fix: `set the app's allowed origin on developer.tesla.com to https://${domain} (the domain must match exactly)`,
    };
  }
  if (status === 401 || status === 403) {
    return { message: `Tesla refused the partner token (${detail})`, fix: 'check tesla.client_id and tesla.client_secret' };
  }
  return { message: `Tesla answered ${status} (${detail})`, fix: 'try again later; if it persists, check the app on developer.tesla.com' };
}
