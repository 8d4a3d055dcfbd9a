import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { FleetClient } from '../../src/fleet/client.js';
import { BillingMeter } from '../../src/fleet/meter.js';
import type { BillingCategory } from '../../src/fleet/pricing.js';
import { RegionResolver } from '../../src/fleet/region.js';
import { type AccessTokenSource, NoAccessToken } from '../../src/fleet/token-source.js';
import { type HttpRequest, type HttpResponse, TransportError } from '../../src/fleet/transport.js';
import { tempDir } from '../support/tmp.js';

type Script = (request: HttpRequest) => HttpResponse | Error;

function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, text: JSON.stringify(body) };
}

class FakeTokens implements AccessTokenSource {
  current = 'token-1';
  issued = 1;
  rejections: string[] = [];
  loggedOut = false;
  async accessToken(): Promise<string> {
    if (this.loggedOut) throw new NoAccessToken('logged_out', 'no account', 'log in');
    return this.current;
  }
  rejected(token: string): void {
    this.rejections.push(token);
    if (token === this.current) this.current = `token-${++this.issued}`;
  }
}

let dir: string;
const cleanups: (() => Promise<void>)[] = [];

async function setup(script: Script) {
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 10));
  const log = new Logger({ level: 'debug', format: 'pretty', sink: new MemorySink(), clock });
  const requests: HttpRequest[] = [];
  const billed: BillingCategory[] = [];
  const tokens = new FakeTokens();
  const region = await RegionResolver.open(dir, { region: 'auto', apiBaseUrl: undefined, tokenRegion: () => undefined }, log, clock);
  const client = new FleetClient({
    transport: async (request) => {
      requests.push(request);
      const outcome = script(request);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    tokens,
    region,
    meter: new BillingMeter({ sink: { record: (category) => void billed.push(category) } }),
    clock,
    log,
  });
  return { client, requests, billed, tokens, region, clock, log };
}

describe('FleetClient', () => {
  beforeEach(async () => {
    const made = await tempDir();
    dir = join(made.dir, 'data');
    cleanups.push(made.cleanup);
  });
  after(() => Promise.all(cleanups.map((c) => c())));

  it('returns the response member and sends the bearer token to the region base URL', async () => {
    const { client, requests } = await setup(() => json(200, { response: { region: 'na' } }));
    const result = await client.call({ method: 'GET', path: '/api/1/users/region' });
    assert.deepEqual(result, { ok: true, value: { region: 'na' }, status: 200 });
    assert.equal(requests[0]?.url, 'https://fleet-api.prd.na.vn.cloud.tesla.com/api/1/users/region');
    assert.equal(requests[0]?.headers.authorization, 'Bearer token-1');
  });

  it('on 401 (expired) rejects the token and retries once with a fresh one', async () => {
    const { client, requests, tokens } = await setup((request) =>
      request.headers.authorization === 'Bearer token-1' ? json(401, { error: 'token expired (401)' }) : json(200, { response: [] }),
    );
    const result = await client.call({ method: 'GET', path: '/api/1/products' });
    assert.equal(result.ok, true);
    assert.deepEqual(tokens.rejections, ['token-1']);
    assert.deepEqual(
      requests.map((r) => r.headers.authorization),
      ['Bearer token-1', 'Bearer token-2'],
    );
  });

  it('does not loop when Tesla rejects the fresh token too', async () => {
    const { client, requests } = await setup(() => json(401, { error: 'invalid bearer token' }));
    const result = await client.call({ method: 'GET', path: '/api/1/products' });
    assert.equal(result.ok || result.error.kind, 'unauthorized');
    assert.equal(requests.length, 2);
  });

  it('on 421 switches to the named base URL, remembers it across restarts, and retries once', async () => {
    const eu = 'https://fleet-api.prd.eu.vn.cloud.tesla.com';
    const { client, requests, log, clock } = await setup((request) =>
      request.url.startsWith(eu)
        ? json(200, { response: 'ok' })
        : json(421, { error: `user out of region, use base URL: ${eu}, see https://developer.tesla.com/docs` }),
    );
    assert.equal((await client.call({ method: 'GET', path: '/api/1/products' })).ok, true);
    assert.deepEqual(
      requests.map((r) => new URL(r.url).host),
      ['fleet-api.prd.na.vn.cloud.tesla.com', 'fleet-api.prd.eu.vn.cloud.tesla.com'],
    );
    const reopened = await RegionResolver.open(dir, { region: 'auto', apiBaseUrl: undefined, tokenRegion: () => undefined }, log, clock);
    assert.equal(reopened.baseUrl(), eu);
    assert.equal(reopened.known, true);
  });

  it('honours Retry-After to the second, refusing calls to that device without a request meanwhile', async () => {
    let first = true;
    const { client, requests, clock, billed } = await setup(() => {
      if (first) {
        first = false;
        return json(429, { error: 'rate limited' }, { 'retry-after': '30' });
      }
      return json(200, { response: {} });
    });
    const call = { method: 'GET', path: '/api/1/vehicles/V1/vehicle_data', device: 'V1' } as const;
    const limited = await client.call(call);
    assert.deepEqual(!limited.ok && limited.error.kind === 'rateLimited' && limited.error.retryAfterS, 30);
    await clock.advance(29_000);
    const stillPaused = await client.call(call);
    assert.deepEqual(!stillPaused.ok && stillPaused.error.kind === 'rateLimited' && stillPaused.error.retryAfterS, 1);
    assert.equal((await client.call({ ...call, device: 'V2', path: '/api/1/vehicles/V2/vehicle_data' })).ok, true, 'other devices are not paused');
    await clock.advance(1_000);
    assert.equal((await client.call(call)).ok, true);
    assert.equal(requests.length, 3);
    assert.deepEqual(billed, ['data', 'data', 'data'], 'the 429 is billed, the local refusal is not');
  });

  it('maps a lost answer to a command to possibleSuccess, and to transient for reads', async () => {
    const { client } = await setup(() => new TransportError('socket hang up', 'ECONNRESET', true));
    const command = await client.call({ method: 'POST', path: '/api/1/vehicles/V/command/charge_start', command: true });
    assert.equal(!command.ok && command.error.kind, 'possibleSuccess');
    const read = await client.call({ method: 'GET', path: '/api/1/products' });
    assert.equal(!read.ok && read.error.kind, 'transient');
  });

  it('reports a missing login without calling Tesla', async () => {
    const { client, requests, tokens } = await setup(() => json(200, {}));
    tokens.loggedOut = true;
    const result = await client.call({ method: 'GET', path: '/api/1/products' });
    assert.equal(!result.ok && result.error.kind === 'unauthorized' && result.error.reason, 'logged_out');
    assert.equal(requests.length, 0);
  });
});
