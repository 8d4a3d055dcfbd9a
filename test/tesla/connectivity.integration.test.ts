import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import { listProducts } from '../../src/fleet/products.js';
import { getVehicleData, getVehicleState, sendVehicleCommand, wakeUp } from '../../src/fleet/vehicles.js';
import { getLiveStatus, getSiteInfo } from '../../src/fleet/energy.js';
import { DEMO_SITE_ID, DEMO_VIN } from '../../src/simulator/index.js';
import type { TokenFile } from '../../src/storage/token-store.js';
import { connectAccount, findSecrets } from '../support/oauth.js';
import { DEMO_CLIENT_SECRET, startTeslaWorld, type TeslaWorld } from '../support/tesla-world.js';

const START = Date.UTC(2026, 10, 22, 11, 0, 0);

async function tokensOnDisk(world: TeslaWorld): Promise<TokenFile> {
  return JSON.parse(await readFile(join(world.dataDir, 'tokens.json'), 'utf8')) as TokenFile;
}

describe('Tesla connectivity against the simulator (real HTTP)', () => {
  const worlds: TeslaWorld[] = [];
  /** Every token the daemon ever held, for the secret scan at the end. */
  const secrets = new Set<string>([DEMO_CLIENT_SECRET]);
  after(async () => {
    for (const world of worlds) await world.close();
  });

  async function world(options: Parameters<typeof startTeslaWorld>[0] = { clock: new FakeClock(START) }): Promise<TeslaWorld> {
    const started = await startTeslaWorld(options);
    worlds.push(started);
    return started;
  }

  async function remember(w: TeslaWorld): Promise<void> {
    const { account } = await tokensOnDisk(w);
    if (account) {
      secrets.add(account.access_token);
      secrets.add(account.refresh_token);
    }
  }

  it('logs in through the browser redirects with PKCE, saves tokens 0600, finds the region, turns /healthz green', async () => {
    const w = await world();
    const { hops, final } = await connectAccount(w.baseUrl);
    for (const hop of hops) {
      const code = hop.searchParams.get('code');
      if (code) secrets.add(code);
    }
    assert.equal(final.status, 200);
    assert.match(await final.text(), /Tesla account connected/);
    const authorize = hops.find((hop) => hop.pathname === '/oauth2/v3/authorize');
    assert.ok(authorize, `no authorize hop in ${hops.join(' ')}`);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok((authorize.searchParams.get('code_challenge') ?? '').length >= 43);
    assert.ok(authorize.searchParams.get('state'));
    assert.match(authorize.searchParams.get('scope') ?? '', /offline_access/);
    const grants = w.sim.requests().filter((r) => r.path === '/oauth2/v3/token');
    assert.deepEqual(
      grants.map((r) => [r.grantType, r.status]),
      [['authorization_code', 200]],
    );
    assert.equal((await stat(join(w.dataDir, 'tokens.json'))).mode & 0o777, 0o600);
    await remember(w);
    const tokens = await tokensOnDisk(w);
    assert.ok(tokens.account?.scopes.includes('vehicle_device_data'));
    assert.equal(tokens.account?.ou_code, 'NA');
    // Region discovery runs in the background after the login.
    for (let i = 0; i < 100 && !w.daemon.region.known; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(w.daemon.region.baseUrl(), w.sim.regionBaseUrl('na'));
    assert.ok(w.sim.requests().some((r) => r.path === '/na/api/1/users/region' && r.status === 200));
    for (let i = 0; i < 200 && !w.daemon.mqtt.connected; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const health = await fetch(`${w.baseUrl}/healthz`);
    assert.equal(health.status, 200, await health.text());
    const products = await listProducts(w.daemon.fleet);
    assert.ok(products.ok);
    assert.deepEqual(
      products.value.vehicles.map((v) => v.vin),
      [DEMO_VIN],
    );
    assert.deepEqual(
      products.value.energySites.map((s) => s.energy_site_id),
      [DEMO_SITE_ID],
    );
  });

  it('makes 100 concurrent calls across an expiring token cause exactly one refresh', async () => {
    const clock = new FakeClock(START);
    const w = await world({ clock, sim: { accessTokenLifetimeSeconds: 3600 } });
    await connectAccount(w.baseUrl);
    await w.daemon.tokens.settled();
    // Jump (without firing timers) to where the token is due for a refresh.
    clock.set(START + 50 * 60_000);
    const results = await Promise.all(Array.from({ length: 100 }, () => listProducts(w.daemon.fleet)));
    assert.ok(
      results.every((r) => r.ok),
      JSON.stringify(results.find((r) => !r.ok)),
    );
    const refreshes = w.sim.requests().filter((r) => r.grantType === 'refresh_token');
    assert.equal(refreshes.length, 1);
    assert.equal(refreshes[0]?.status, 200);
    await remember(w);
  });

  it('follows a 421 to the region Tesla names and remembers it', async () => {
    const w = await world();
    await connectAccount(w.baseUrl);
    for (let i = 0; i < 100 && !w.daemon.region.known; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    w.sim.setAccountRegion('eu');
    w.sim.resetRequests();
    const first = await listProducts(w.daemon.fleet);
    assert.ok(first.ok, JSON.stringify(!first.ok && first.error));
    assert.deepEqual(
      w.sim.requests().map((r) => [r.path, r.status]),
      [
        ['/na/api/1/products', 421],
        ['/eu/api/1/products', 200],
      ],
    );
    const saved = JSON.parse(await readFile(join(w.dataDir, 'fleet.json'), 'utf8')) as { base_url: string };
    assert.equal(saved.base_url, w.sim.regionBaseUrl('eu'));
    w.sim.resetRequests();
    assert.ok((await listProducts(w.daemon.fleet)).ok);
    assert.deepEqual(
      w.sim.requests().map((r) => r.path),
      ['/eu/api/1/products'],
      'goes straight to the right region',
    );
    await remember(w);
  });

  it('honours 429 Retry-After to the second, maps 408 to asleep, and meters exactly as Tesla bills', async () => {
    const clock = new FakeClock(START);
    const w = await world({ clock });
    await connectAccount(w.baseUrl);
    w.sim.world.patchVehicle(DEMO_VIN, { asleep: false });
    const fleet = w.daemon.fleet;
    const fault = { path: '/vehicle_data', status: 429, headers: { 'retry-after': '30' } };
    w.sim.addFault(fault);
    const limited = await getVehicleData(fleet, DEMO_VIN, ['charge_state']);
    assert.equal(!limited.ok && limited.error.kind === 'rateLimited' && limited.error.retryAfterS, 30);
    const count = (): number => w.sim.requests().filter((r) => r.path.endsWith('/vehicle_data')).length;
    await clock.advance(29_000);
    const refused = await getVehicleData(fleet, DEMO_VIN, ['charge_state']);
    assert.equal(!refused.ok && refused.error.kind, 'rateLimited');
    assert.equal(count(), 1, 'no request while Tesla said to wait');
    await clock.advance(1_000);
    const allowed = await getVehicleData(fleet, DEMO_VIN, ['charge_state', 'vehicle_state']);
    assert.ok(allowed.ok, JSON.stringify(!allowed.ok && allowed.error));
    assert.equal(typeof allowed.value.charge_state?.battery_level, 'number');
    assert.equal(count(), 2);

    // A scripted mix: data, state, commands, a wake, 408s, a 500 and energy calls.
    assert.ok((await getVehicleState(fleet, DEMO_VIN)).ok);
    assert.ok((await sendVehicleCommand(fleet, DEMO_VIN, 'set_charge_limit', { percent: 85 })).ok);
    assert.ok((await sendVehicleCommand(fleet, DEMO_VIN, 'flash_lights')).ok);
    w.sim.world.patchVehicle(DEMO_VIN, { asleep: true });
    const asleep = await getVehicleData(fleet, DEMO_VIN, ['charge_state']);
    assert.equal(!asleep.ok && asleep.error.kind, 'asleep');
    const asleepCommand = await sendVehicleCommand(fleet, DEMO_VIN, 'honk_horn');
    assert.equal(!asleepCommand.ok && asleepCommand.error.kind, 'asleep');
    assert.ok((await wakeUp(fleet, DEMO_VIN)).ok);
    w.sim.addFault({ path: '/vehicle_data', status: 500 });
    const serverError = await getVehicleData(fleet, DEMO_VIN, ['charge_state']);
    assert.equal(!serverError.ok && serverError.error.kind, 'transient');
    assert.ok((await getLiveStatus(fleet, DEMO_SITE_ID)).ok);
    assert.ok((await getSiteInfo(fleet, DEMO_SITE_ID)).ok);
    const missing = await getVehicleState(fleet, '5YJ3E1EA0PF999999');
    assert.equal(!missing.ok && missing.error.kind, 'notFound');

    await w.daemon.ledger.flush();
    const ledger = w.daemon.ledger.month('2026-11').counts;
    const billing = w.sim.billing().counts;
    assert.deepEqual(ledger, billing);
    assert.deepEqual(
      billing,
      { data: 3, command: 3, wake: 1, signal: 0 },
      'vehicle_data 429, 200, 408 (the 500 is not billed); 2 commands + 1 to the asleep car; 1 wake',
    );
    await remember(w);
  });

  it('explains a missing scope with the steps to grant it', async () => {
    const w = await world({ clock: new FakeClock(START), teslaLines: ['  scopes: [openid, offline_access, energy_device_data]'] });
    await connectAccount(w.baseUrl);
    const result = await getVehicleData(w.daemon.fleet, DEMO_VIN, ['charge_state']);
    assert.equal(!result.ok && result.error.kind, 'missingScopes');
    assert.match(!result.ok && 'fix' in result.error ? String(result.error.fix) : '', /Third-Party Apps/);
    await remember(w);
  });

  it('puts the daemon into a clear "log in again" state on login_required, without spinning', async () => {
    const clock = new FakeClock(START);
    const w = await world({ clock });
    await connectAccount(w.baseUrl);
    await remember(w);
    w.sim.revokeRefreshTokens();
    await w.daemon.tokens.refresh();
    assert.equal(w.daemon.tokens.state().kind, 'login_required');
    for (let i = 0; i < 200 && !w.daemon.mqtt.connected; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const health = await fetch(`${w.baseUrl}/healthz`);
    assert.equal(health.status, 503);
    const body = (await health.json()) as { checks: { account: { reason: string; fix: string } } };
    assert.match(body.checks.account.reason, /Tesla needs a new login/);
    assert.match(body.checks.account.fix, /Connect Tesla account/);
    const before = w.sim.requests().length;
    const call = await listProducts(w.daemon.fleet);
    assert.equal(!call.ok && call.error.kind === 'unauthorized' && call.error.reason, 'login_required');
    await clock.advance(24 * 3_600_000);
    assert.equal(w.sim.requests().length, before, 'no requests to Tesla while waiting for a login');
    assert.match(w.sink.text, /ERROR .*Tesla refused the refresh token.*fix: open the teslahub web page/);
    assert.match(await (await fetch(w.baseUrl)).text(), /Tesla needs you to log in again/);
    // Logging in again recovers.
    await connectAccount(w.baseUrl);
    assert.equal(w.daemon.tokens.state().kind, 'ok');
    assert.ok((await listProducts(w.daemon.fleet)).ok);
    await remember(w);
  });

  it('never writes a token or the client secret into the log, even at debug level', async () => {
    const text = worlds.map((w) => w.sink.text).join('\n');
    assert.ok(text.length > 1000, 'the scan needs output to scan');
    assert.ok(secrets.size > 5);
    assert.deepEqual(findSecrets(text, secrets), []);
  });
});
