import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyFailure, parseEnvelope, retryAfterSeconds } from '../../src/fleet/envelope.js';

function classify(status: number, body: unknown, options: { headers?: Record<string, string>; command?: boolean } = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return classifyFailure({ status, headers: options.headers ?? {}, text }, parseEnvelope(text), {
    baseUrl: 'https://fleet-api.prd.na.vn.cloud.tesla.com',
    now: Date.UTC(2026, 10, 22),
    command: options.command ?? false,
  });
}

describe('Tesla error classification', () => {
  const cases: [string, number, unknown, string, Record<string, unknown>?][] = [
    ['expired token', 401, { response: null, error: 'token expired (401)' }, 'unauthorized', { reason: 'expired' }],
    ['login required', 401, { error: 'login_required' }, 'unauthorized', { reason: 'login_required' }],
    ['mobile access off', 401, { error: 'mobile_access_disabled' }, 'unauthorized', { reason: 'mobile_access_disabled' }],
    ['401 without body', 401, '', 'unauthorized', { reason: 'invalid' }],
    ['missing scopes', 403, { error: 'Unauthorized missing scopes' }, 'missingScopes'],
    ['VCP required', 403, { error: 'Tesla Vehicle Command Protocol required, please refer to the documentation here' }, 'signingRequired'],
    ['other 403', 403, { error: 'unsupported vehicle' }, 'permanent'],
    ['not found', 404, { error: 'not_found' }, 'notFound'],
    ['asleep', 408, { response: null, error: 'vehicle unavailable: vehicle is offline or asleep' }, 'asleep'],
    ['unregistered', 412, { error: 'Account abc must be registered in the current region https://x' }, 'notRegistered'],
    [
      'wrong region',
      421,
      { error: 'user out of region, use base URL: https://fleet-api.prd.eu.vn.cloud.tesla.com, see https://developer.tesla.com' },
      'wrongRegion',
      { baseUrl: 'https://fleet-api.prd.eu.vn.cloud.tesla.com' },
    ],
    ['rate limited', 429, { error: 'rate limited' }, 'rateLimited'],
    ['payment', 402, {}, 'permanent'],
    ['upstream error', 500, { error: 'upstream internal error' }, 'transient'],
    ['gateway', 504, '', 'transient'],
  ];
  for (const [name, status, body, kind, extra] of cases) {
    it(`${name} (${status}) is ${kind}`, () => {
      const error = classify(status, body);
      assert.equal(error.kind, kind);
      for (const [key, value] of Object.entries(extra ?? {})) assert.equal((error as Record<string, unknown>)[key], value);
    });
  }

  it('never lets a command that got a 5xx (other than 503) be retried as if nothing happened', () => {
    assert.equal(classify(500, {}, { command: true }).kind, 'possibleSuccess');
    assert.equal(classify(503, { error: 'vehicle is not available' }, { command: true }).kind, 'transient');
  });

  it('reads Retry-After as seconds or as a date, falling back to RateLimit-Reset', () => {
    const now = Date.UTC(2026, 10, 22, 12);
    assert.equal(retryAfterSeconds({ 'retry-after': '30' }, now), 30);
    assert.equal(retryAfterSeconds({ 'retry-after': new Date(now + 90_500).toUTCString() }, now), 90);
    assert.equal(retryAfterSeconds({ 'ratelimit-reset': '12' }, now), 12);
    assert.equal(retryAfterSeconds({}, now), undefined);
    const limited = classify(429, {}, { headers: { 'retry-after': '17' } });
    assert.deepEqual(limited.kind === 'rateLimited' && limited.retryAfterS, 17);
  });

  it('gives the user a fix for the errors they can act on', () => {
    for (const [status, body] of [
      [403, { error: 'Unauthorized missing scopes' }],
      [412, { error: 'must be registered' }],
      [401, { error: 'login_required' }],
    ] as const) {
      const error = classify(status, body);
      assert.ok('fix' in error && typeof error.fix === 'string' && error.fix.length > 10, JSON.stringify(error));
    }
  });
});
