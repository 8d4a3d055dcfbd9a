import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { classifyFailure, parseEnvelope } from './envelope.js';
import type { FleetError, FleetResult } from './errors.js';
import type { BillingMeter } from './meter.js';
import type { RegionResolver } from './region.js';
import { type AccessTokenSource, NoAccessToken } from './token-source.js';
import { type HttpResponse, type HttpTransport, TransportError } from './transport.js';

export interface FleetCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, starting with /api/1/. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** A base URL other than the account's (region discovery tries each region). */
  baseUrl?: string;
  /** VIN or energy site id: the unit Tesla's rate limits and our backoff apply to. */
  device?: string;
  /** The call acts on a car: an unanswered request may still have been carried out. */
  command?: boolean;
  timeoutMs?: number;
}

export interface FleetClientDeps {
  transport: HttpTransport;
  tokens: AccessTokenSource;
  region: RegionResolver;
  meter: BillingMeter;
  clock: Clock;
  log: Logger;
  timeoutMs?: number;
  userAgent?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The one way to the Fleet API. It returns the `response` member of Tesla's answer or one error
 * of the closed set, retries exactly once where Tesla tells it how (401 with a fresh token, 421
 * on the named base URL), honours Retry-After by refusing calls to a rate-limited device until
 * the time is up (without a request, so without a charge), and meters every billed response.
 */
export class FleetClient {
  private readonly deps: FleetClientDeps;
  private readonly pausedUntil = new Map<string, number>();

  constructor(deps: FleetClientDeps) {
    this.deps = deps;
  }

  async call(call: FleetCall): Promise<FleetResult<unknown>> {
    const bucket = call.device ?? 'account';
    const paused = this.pausedUntil.get(bucket);
    const now = this.deps.clock.now();
    if (paused !== undefined) {
      if (now < paused) {
        const retryAfterS = Math.ceil((paused - now) / 1000);
        return { ok: false, error: { kind: 'rateLimited', retryAfterS, message: `paused by Tesla's rate limit for another ${retryAfterS} s` } };
      }
      this.pausedUntil.delete(bucket);
    }
    let result = await this.attempt(call);
    if (!result.ok) {
      const retry = await this.recover(result.error, call);
      if (retry) result = await this.attempt(call);
    }
    if (!result.ok && result.error.kind === 'rateLimited' && result.error.retryAfterS !== undefined) {
      this.pausedUntil.set(bucket, this.deps.clock.now() + result.error.retryAfterS * 1000);
      this.deps.log.warn(`Tesla rate-limited ${bucket}; pausing its calls for ${result.error.retryAfterS} s`);
    }
    return result;
  }

  /** Fixes what one retry can fix; returns whether to retry. */
  private async recover(error: FleetError, call: FleetCall): Promise<boolean> {
    switch (error.kind) {
      case 'wrongRegion':
        await this.deps.region.remember(error.baseUrl, 'Tesla answered 421 (user out of region)');
        return call.baseUrl === undefined;
      case 'unauthorized':
        return error.reason === 'expired' || error.reason === 'invalid';
      default:
        return false;
    }
  }

  private async attempt(call: FleetCall): Promise<FleetResult<unknown>> {
    const { transport, tokens, region, meter, clock, log } = this.deps;
    let token: string;
    try {
      token = await tokens.accessToken();
    } catch (error) {
      if (error instanceof NoAccessToken) {
        return {
          ok: false,
          error: {
            kind: 'unauthorized',
            reason: error.reason === 'refresh_failed' ? 'expired' : error.reason,
            message: error.message,
            ...(error.fix ? { fix: error.fix } : {}),
          },
        };
      }
      throw error;
    }
    const baseUrl = call.baseUrl ?? region.baseUrl();
    const url = new URL(`${baseUrl}${call.path}`);
    for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
    const started = clock.now();
    let response: HttpResponse;
    try {
      response = await transport({
        method: call.method,
        url: url.toString(),
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.deps.userAgent ? { 'user-agent': this.deps.userAgent } : {}),
        },
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
        timeoutMs: call.timeoutMs ?? this.deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      log.debug('Fleet API request failed without an answer', { method: call.method, path: call.path, error: error.message });
      if (call.command && error.sent) {
        return { ok: false, error: { kind: 'possibleSuccess', message: `no answer to a command (${error.message}); it may have been carried out` } };
      }
      return { ok: false, error: { kind: 'transient', status: undefined, message: `Tesla did not answer (${error.message})` } };
    }
    const category = meter.record(call.method, call.path, response.status, clock.now());
    log.debug('Fleet API', {
      method: call.method,
      path: call.path,
      status: response.status,
      ms: clock.now() - started,
      ...(category ? { billed: category } : {}),
    });
    const envelope = parseEnvelope(response.text);
    if (response.status >= 200 && response.status < 300) {
      if (!envelope) {
        return { ok: false, error: { kind: 'transient', status: response.status, message: 'Tesla answered with a body that is not JSON' } };
      }
      return { ok: true, value: envelope.response, status: response.status };
    }
    const error = classifyFailure(response, envelope, { baseUrl, now: clock.now(), command: call.command === true });
    if (error.kind === 'unauthorized' && (error.reason === 'expired' || error.reason === 'invalid')) tokens.rejected(token);
    return { ok: false, error };
  }
}
