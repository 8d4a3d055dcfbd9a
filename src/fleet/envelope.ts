import type { FleetError } from './errors.js';
import type { HttpResponse } from './transport.js';

/** Tesla's response body: `{response, error, error_description, messages}`. */
export interface Envelope {
  response: unknown;
  error: string | undefined;
  errorDescription: string | undefined;
}

export function parseEnvelope(text: string): Envelope | undefined {
  if (text.trim() === '') return undefined;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body !== 'object' || body === null) return undefined;
    return {
      response: body.response,
      error: typeof body.error === 'string' ? body.error : undefined,
      errorDescription: typeof body.error_description === 'string' ? body.error_description : undefined,
    };
  } catch {
    return undefined;
  }
}

const SCOPE_FIX =
  'grant the missing permission: on tesla.com open Account > Security > Third-Party Apps, remove teslahub, then connect the account again from the teslahub web page and allow every permission it asks for';

/** Retry-After in seconds (delta or HTTP date), or RateLimit-Reset as a fallback. */
export function retryAfterSeconds(headers: Record<string, string | undefined>, now: number): number | undefined {
  const raw = headers['retry-after'] ?? headers['ratelimit-reset'];
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - now) / 1000)) : undefined;
}

/**
 * Maps a non-2xx answer to the closed error set. `command` marks calls that
 * act on a car, where a server error after sending may still have executed the command.
 */
export function classifyFailure(
  response: HttpResponse,
  envelope: Envelope | undefined,
  context: { baseUrl: string; now: number; command: boolean },
): FleetError {
  const { status } = response;
  const text = [envelope?.error, envelope?.errorDescription].filter(Boolean).join(': ') || response.text.slice(0, 200) || `HTTP ${status}`;
  const lower = text.toLowerCase();
  switch (status) {
    case 401:
      if (lower.includes('login_required')) {
        return {
          kind: 'unauthorized',
          reason: 'login_required',
          message: 'Tesla asks to log in again',
          fix: 'connect the Tesla account again from the teslahub web page or with "teslahub login"',
        };
      }
      if (lower.includes('mobile_access_disabled')) {
        return {
          kind: 'unauthorized',
          reason: 'mobile_access_disabled',
          message: 'the car has mobile access turned off',
          fix: 'in the car, enable Controls > Safety > Allow Mobile Access',
        };
      }
      if (lower.includes('expired')) return { kind: 'unauthorized', reason: 'expired', message: 'the access token expired' };
      return { kind: 'unauthorized', reason: 'invalid', message: `Tesla rejected the access token (${text})` };
    case 403:
      if (lower.includes('vehicle command protocol required') || lower.includes('unsigned_cmds_hardlocked')) {
        return { kind: 'signingRequired', message: 'the car only accepts signed commands (Vehicle Command Protocol)' };
      }
      if (lower.includes('missing scopes') || lower.includes('invalid_scope')) {
        return { kind: 'missingScopes', message: `Tesla refused: the account did not grant a permission this needs (${text})`, fix: SCOPE_FIX };
      }
      return { kind: 'permanent', status, message: `Tesla refused the request (${text})` };
    case 404:
      return { kind: 'notFound', message: `not found (${text})` };
    case 408:
      return { kind: 'asleep', message: 'the car is asleep or offline' };
    case 412:
      return {
        kind: 'notRegistered',
        baseUrl: context.baseUrl,
        message: `the app is not registered in this Fleet API region (${text})`,
        fix: 'run "teslahub register" (for every region you use); the domain must match the app\'s allowed origin on developer.tesla.com',
      };
    case 421: {
      const match = /use base url:?\s*(https?:\/\/[^\s,]+)/i.exec(text);
      const baseUrl = match?.[1]?.replace(/[.,;]+$/, '');
      if (baseUrl) return { kind: 'wrongRegion', baseUrl, message: `the account lives in another region: ${baseUrl}` };
      return { kind: 'transient', status, message: `Tesla answered 421 without naming the right region (${text})` };
    }
    case 429:
      return { kind: 'rateLimited', retryAfterS: retryAfterSeconds(response.headers, context.now), message: 'Tesla rate-limited the request' };
    case 402:
      return {
        kind: 'permanent',
        status,
        message: 'Tesla requires payment for this app',
        fix: 'check the billing settings of your app on developer.tesla.com',
      };
    default:
      if (status >= 500 || status === 424 || status === 499) {
        if (context.command && status !== 503) {
          return { kind: 'possibleSuccess', message: `Tesla answered ${status} to a command; it may or may not have been carried out (${text})` };
        }
        return { kind: 'transient', status, message: `Tesla answered ${status} (${text})` };
      }
      return { kind: 'permanent', status, message: `Tesla answered ${status} (${text})` };
  }
}
