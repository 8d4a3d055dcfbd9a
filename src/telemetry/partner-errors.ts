import * as oidc from 'openid-client';
import type { OAuthClient } from '../auth/oauth-client.js';
import { grantFailure } from '../auth/token-exchange.js';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import { parseEnvelope } from '../fleet/envelope.js';
import type { HttpTransport } from '../fleet/transport.js';

/** One error a car reported after receiving our configuration. */
export interface TelemetryError {
  vin: string;
  /** The app (client) name Tesla lists it under. */
  name: string;
  error: string;
}

export type ErrorsResult = { ok: true; errors: TelemetryError[] } | { ok: false; message: string };

export interface PartnerErrorsDeps {
  oauth: OAuthClient;
  transport: HttpTransport;
  /** The account's Fleet API base URL (the partner token is issued for it). */
  baseUrl: () => string;
  domain: string;
  clock: Pick<Clock, 'now'>;
}

/** A partner token is good for hours; it is asked again a minute before it runs out. */
const EARLY_MS = 60_000;

/**
 * GET /api/1/partner_accounts/fleet_telemetry_errors: what cars reported after receiving the
 * configuration (a host they cannot resolve, a chain they do not trust). It takes a partner token
 * (client_credentials), not the user's, so it is fetched and cached here.
 */
export class PartnerErrors {
  private token: { value: string; expiresAt: number; baseUrl: string } | undefined;
  private readonly deps: PartnerErrorsDeps;

  constructor(deps: PartnerErrorsDeps) {
    this.deps = deps;
  }

  async list(): Promise<ErrorsResult> {
    const baseUrl = this.deps.baseUrl();
    const token = await this.partnerToken(baseUrl);
    if (typeof token !== 'string') return token;
    let status: number;
    let text: string;
    try {
      const response = await this.deps.transport({
        method: 'GET',
        url: `${baseUrl}/api/1/partner_accounts/fleet_telemetry_errors?domain=${encodeURIComponent(this.deps.domain)}`,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        timeoutMs: 30_000,
      });
      status = response.status;
      text = response.text;
    } catch (error) {
      return { ok: false, message: `Tesla did not answer the streaming error list (${errorMessage(error)})` };
    }
    if (status === 401) this.token = undefined;
    const envelope = parseEnvelope(text);
    if (status < 200 || status >= 300) {
      const detail = [envelope?.error, envelope?.errorDescription].filter(Boolean).join(': ') || `HTTP ${status}`;
      return { ok: false, message: `Tesla refused the streaming error list (${detail})` };
    }
    return { ok: true, errors: parseErrors(envelope?.response) };
  }

  private async partnerToken(baseUrl: string): Promise<string | { ok: false; message: string }> {
    const now = this.deps.clock.now();
    if (this.token && this.token.baseUrl === baseUrl && now < this.token.expiresAt - EARLY_MS) return this.token.value;
    try {
      const response = await oidc.clientCredentialsGrant(this.deps.oauth.configuration(), { audience: baseUrl, scope: 'openid' });
      const lifetime = typeof response.expires_in === 'number' ? response.expires_in * 1000 : 3_600_000;
      this.token = { value: response.access_token, expiresAt: now + lifetime, baseUrl };
      return response.access_token;
    } catch (error) {
      return { ok: false, message: `no partner token for the streaming error list: ${grantFailure(error).message}` };
    }
  }
}

/** `{fleet_telemetry_errors: [...]}`, or a bare list as some answers have it; malformed entries are skipped. */
export function parseErrors(response: unknown): TelemetryError[] {
  const list = Array.isArray(response)
    ? response
    : typeof response === 'object' && response !== null && Array.isArray((response as { fleet_telemetry_errors?: unknown }).fleet_telemetry_errors)
      ? (response as { fleet_telemetry_errors: unknown[] }).fleet_telemetry_errors
      : [];
  const out: TelemetryError[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const { vin, name, error } = item as Record<string, unknown>;
    if (typeof vin !== 'string' || typeof error !== 'string') continue;
    out.push({ vin, name: typeof name === 'string' ? name : '', error });
  }
  return out;
}
