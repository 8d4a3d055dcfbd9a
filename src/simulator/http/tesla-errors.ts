/** Tesla's error bodies and texts, in one place so tests and clients can rely on them. */

export interface TeslaErrorBody {
  response: null;
  error: string;
  error_description: string;
}

export function teslaError(error: string, description = ''): TeslaErrorBody {
  return { response: null, error, error_description: description };
}

export const TOKEN_EXPIRED = 'token expired (401)';
export const INVALID_TOKEN = 'invalid bearer token';
export const MISSING_SCOPES = 'Unauthorized missing scopes';
export const VEHICLE_UNAVAILABLE = 'vehicle unavailable: vehicle is offline or asleep';
export const VCP_REQUIRED =
  'Tesla Vehicle Command Protocol required, please refer to the documentation here: https://developer.tesla.com/docs/fleet-api#2023-10-09-rest-api-vehicle-commands-endpoint-deprecation-warning';
export const REGIONAL_DOCS = 'https://developer.tesla.com/docs/fleet-api/getting-started/regional-requirements';

export function outOfRegion(baseUrl: string): string {
  return `user out of region, use base URL: ${baseUrl}, see ${REGIONAL_DOCS}`;
}

export function notRegistered(clientId: string, baseUrl: string): string {
  return `Account ${clientId} must be registered in the current region ${baseUrl}`;
}

export function rateLimited(retryAfterS: number): string {
  return `Retry in ${retryAfterS} seconds`;
}

/** What a Fleet API answer with this status says when a fault rule gives no body. */
export function defaultFleetErrorBody(status: number, facts: { clientId: string; regionUrl: string; accountRegionUrl: string }): TeslaErrorBody {
  switch (status) {
    case 400:
      return teslaError('invalid_request', 'the request is not valid');
    case 401:
      return teslaError(TOKEN_EXPIRED);
    case 402:
      return teslaError('payment required', 'the application is over its billing limit');
    case 403:
      return teslaError(MISSING_SCOPES, 'the token lacks a scope this endpoint needs');
    case 404:
      return teslaError('not_found', 'not found');
    case 408:
      return teslaError(VEHICLE_UNAVAILABLE);
    case 412:
      return teslaError(notRegistered(facts.clientId, facts.regionUrl));
    case 421:
      return teslaError(outOfRegion(facts.accountRegionUrl));
    case 422:
      return teslaError('invalid_field', 'the request could not be processed');
    case 423:
      return teslaError('account locked');
    case 429:
      return teslaError(rateLimited(60));
    case 451:
      return teslaError('unavailable for legal reasons', 'privacy settings prevent access');
    case 500:
      return teslaError('upstream internal error');
    case 502:
      return teslaError('bad gateway');
    case 503:
      return teslaError('vehicle is not available', 'the service or the vehicle did not respond');
    case 504:
      return teslaError('gateway timeout');
    case 540:
      return teslaError('device unexpected response');
    default:
      return teslaError(`http ${status}`);
  }
}

/** The token endpoint answers in OAuth's shape instead. */
export function defaultOAuthErrorBody(status: number): Record<string, string> {
  switch (status) {
    case 400:
      return { error: 'invalid_request', error_description: 'the request is not valid' };
    case 401:
      return {
        error: 'login_required',
        error_description: 'The refresh_token is invalid. Generate a new refresh_token by forcing user to re-authenticate.',
      };
    case 403:
      return { error: 'access_denied', error_description: 'access denied' };
    case 429:
      return { error: 'too_many_requests', error_description: 'rate limited' };
    default:
      return status >= 500
        ? { error: 'server_error', error_description: 'the authorization server failed' }
        : { error: `http_${status}`, error_description: '' };
  }
}
