import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { configSchema } from '../../src/config/schema.js';
import { Simulator } from '../../src/simulator/index.js';
import { TelemetryConfigurator } from '../../src/telemetry/configurator.js';
import { signTeslaJws } from '../../src/telemetry/jws.js';
import { PartnerErrors } from '../../src/telemetry/partner-errors.js';
import { openTelemetryStore } from '../../src/telemetry/store.js';
import { buildVehicleConfig } from '../../src/telemetry/vehicle-config.js';
import { OAuthClient } from '../../src/auth/oauth-client.js';
import { oauthServer } from '../../src/auth/oauth-server.js';
import { createHttpTransport } from '../../src/fleet/transport.js';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../support/tesla-world.js';
import { tempDir } from '../support/tmp.js';
import { Api } from '../simulator/support.js';
import { DOMAIN, type FleetKey, newFleetKey, registerPartner, simFleet, TEST_CA, writeKeyFiles } from './sim-fleet.js';

const MODERN = '5YJ3E1EA0PF000001';
const OLD_FIRMWARE = '5YJYGDEE1PF000002';
const UNPAIRED = '5YJ3E1EA1PF000003';
const S_2019 = '5YJSA1E26KF000004';
const SPARE = '5YJ3E1EA2PF000005';

describe('Fleet Telemetry configuration against the simulated Fleet API', () => {
  let sim: Simulator;
  let clock: FakeClock;
  let key: FleetKey;
  let api: Api;
  let configurator: TelemetryConfigurator;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    clock = new FakeClock(Date.UTC(2026, 5, 22, 19));
    key = newFleetKey();
    sim = new Simulator({
      clock,
      rateLimits: false,
      fetchPublicKey: async (domain) => (domain === DOMAIN ? key.publicPem : undefined),
      scenario: {
        vehicles: [
          { vin: MODERN, state: 'asleep' },
          { vin: OLD_FIRMWARE, carVersion: '2024.20.9 1a2b3c' },
          { vin: UNPAIRED, keyPaired: false },
          { vin: S_2019, carVersion: '2024.44.25 1a2b3c' },
          { vin: SPARE },
        ],
      },
    });
    await sim.start();
    closers.push(() => sim.stop());
    api = new Api(sim.regionBaseUrl('na'), String(sim.issueTokens().access_token));
    const { dir, cleanup } = await tempDir('teslahub-telemetry-config-');
    closers.push(cleanup);
    const { privateKeyPath } = await writeKeyFiles(dir, key);
    const { fleet, close } = await simFleet(sim, clock, dir);
    closers.push(close);
    const log = new Logger({ level: 'debug', format: 'pretty', sink: new MemorySink(), clock });
    const undici = createHttpTransport();
    closers.push(undici.close);
    const config = configSchema.parse({
      tesla: { domain: DOMAIN },
      telemetry: { enabled: true, source: 'mqtt', hostname: 'telemetry.example.com', ca: 'telemetry-ca.pem' },
    });
    configurator = new TelemetryConfigurator({
      fleet,
      config: config.telemetry,
      domain: DOMAIN,
      configDir: dir,
      privateKeyPath,
      store: await openTelemetryStore(dir, log, clock),
      errors: new PartnerErrors({
        oauth: new OAuthClient({ server: oauthServer(sim.authBaseUrl, 'na'), clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET }, clock),
        transport: undici.transport,
        baseUrl: () => sim.regionBaseUrl('na'),
        domain: DOMAIN,
        clock,
      }),
      clock,
    });
  });
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  function claims(): Record<string, unknown> {
    const config = configSchema.parse({ telemetry: { hostname: 'telemetry.example.com' } });
    return buildVehicleConfig(config.telemetry, TEST_CA, clock.now()) as unknown as Record<string, unknown>;
  }

  it('refuses a push before the app registered its public key in the region', async () => {
    const answer = await api.post('/api/1/vehicles/fleet_telemetry_config_jws', { vins: [MODERN], token: signTeslaJws(key.privateKey, claims()) });
    assert.equal(answer.status, 400);
    assert.match(answer.body.error, /no public key is registered/);
  });

  it('rejects a token signed by another key, with another audience, expired, malformed or with a bad config', async () => {
    await registerPartner(sim);
    const push = (token: string) => api.post('/api/1/vehicles/fleet_telemetry_config_jws', { vins: [MODERN], token });
    const other = newFleetKey();
    const foreign = await push(signTeslaJws(other.privateKey, claims()));
    assert.equal(foreign.status, 400);
    assert.match(foreign.body.error, /not the registered partner key/);
    const wrongAud = await push(signTeslaJws(key.privateKey, claims(), 'com.tesla.fleet.SomethingElse'));
    assert.equal(wrongAud.status, 400);
    assert.match(wrongAud.body.error, /aud is com\.tesla\.fleet\.SomethingElse/);
    const expired = await push(signTeslaJws(key.privateKey, { ...claims(), exp: Math.floor(clock.now() / 1000) - 1 }));
    assert.match(expired.body.error, /exp .* is past/);
    const good = signTeslaJws(key.privateKey, claims());
    const [header, payload, signature] = good.split('.');
    const signed = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...signed, hostname: 'evil.example.com' })).toString('base64url')}.${signature}`;
    assert.match((await push(tampered)).body.error, /does not verify/);
    assert.equal((await push(`${header}.${payload}`)).status, 400);
    const stringPort = await push(signTeslaJws(key.privateKey, { ...claims(), port: '443' }));
    assert.match(stringPort.body.error, /port must be an integer/);
    const badField = await push(signTeslaJws(key.privateKey, { ...claims(), fields: { BatteryLevle: { interval_seconds: 60 } } }));
    assert.match(badField.body.error, /unknown field BatteryLevle/);
    assert.equal((await api.post('/api/1/vehicles/fleet_telemetry_config', { vins: [MODERN], config: claims() })).status, 412);
    assert.equal((await api.get(`/api/1/vehicles/${MODERN}/fleet_telemetry_config`)).body.response.config, null, 'nothing was stored');
  });

  it('configures the cars that can stream and explains each one that cannot, in words with a fix', async () => {
    const reports = await configurator.configure([MODERN, OLD_FIRMWARE, UNPAIRED, S_2019]);
    const by = new Map(reports.map((r) => [r.vin, r]));
    const modern = by.get(MODERN);
    assert.equal(modern?.pushed, true);
    assert.equal(modern && !modern.verdict.ok ? modern.verdict.code : 'ok', 'not_synced', 'asleep: it takes it when it next wakes');
    assert.match(modern?.verdict.message ?? '', /next time it is awake/);
    const firmware = by.get(OLD_FIRMWARE)?.verdict;
    assert.ok(firmware && !firmware.ok);
    assert.equal(firmware.code, 'unsupported_firmware');
    assert.match(firmware.message, /older than 2024\.26/);
    assert.match(firmware.fix, /software update/);
    const unpaired = by.get(UNPAIRED)?.verdict;
    assert.ok(unpaired && !unpaired.ok);
    assert.equal(unpaired.code, 'missing_key');
    assert.match(unpaired.fix, /https:\/\/tesla\.com\/_ak\/teslahub\.example\.com/);
    const old = by.get(S_2019)?.verdict;
    assert.ok(old && !old.ok);
    assert.equal(old.code, 'unsupported_hardware');
    assert.match(old.message, /before 2021/);
    assert.match(old.fix, /keeps reading this car by polling/);
  });

  it('shows the configuration synced once the car has been awake and connected', async () => {
    const stored = (await api.get(`/api/1/vehicles/${MODERN}/fleet_telemetry_config`)).body.response;
    assert.equal(stored.synced, false);
    assert.equal(stored.config.hostname, 'telemetry.example.com');
    assert.equal(stored.config.port, 443);
    assert.equal(stored.config.aud, 'com.tesla.fleet.TelemetryClient');
    assert.equal(stored.key_paired, true);
    sim.world.patchVehicle(MODERN, { asleep: false });
    await clock.advance(30_000);
    const [status] = await configurator.status([MODERN]);
    assert.ok(status?.verdict.ok, JSON.stringify(status?.verdict));
    assert.match(status.verdict.message, /streams to telemetry\.example\.com:443, configuration valid until/);
  });

  it('answers success over the app limit but keeps no config, and says so (max_configs)', async () => {
    sim.telemetry.configs.setOtherApps(SPARE, 3);
    const direct = await api.post('/api/1/vehicles/fleet_telemetry_config_jws', { vins: [SPARE], token: signTeslaJws(key.privateKey, claims()) });
    assert.equal(direct.status, 200);
    assert.equal(direct.body.response.updated_vehicles, 1, 'Tesla reports it as updated');
    const read = (await api.get(`/api/1/vehicles/${SPARE}/fleet_telemetry_config`)).body.response;
    assert.equal(read.config, null);
    assert.equal(read.limit_reached, true);
    const [report] = await configurator.status([SPARE]);
    assert.ok(report && !report.verdict.ok);
    assert.equal(report.verdict.code, 'max_configs');
    assert.match(report.verdict.message, /as many apps as Tesla allows/);
    assert.match(report.verdict.fix, /Tesla does not retry on its own/);
  });

  it('lists the errors a car reports through the partner endpoint', async () => {
    sim.telemetry.configs.report(DEMO_CLIENT_ID, {
      vin: MODERN,
      name: DEMO_CLIENT_ID,
      error: 'dial tcp: lookup telemetry.example.com: no such host',
      at: clock.now(),
    });
    const [report] = await configurator.status([MODERN]);
    assert.equal(report?.errors.length, 1);
    assert.ok(report && !report.verdict.ok && report.verdict.code === 'car_errors');
    assert.match(report.verdict.fix, /DNS/);
    assert.ok(report.configVerdict?.ok, 'the configuration itself is fine');
    sim.telemetry.configs.clearErrors(DEMO_CLIENT_ID, MODERN);
  });

  it('removes a configuration and remembers that the owner did', async () => {
    const [removed] = await configurator.remove([MODERN]);
    assert.ok(removed?.verdict.ok);
    const read = (await api.get(`/api/1/vehicles/${MODERN}/fleet_telemetry_config`)).body.response;
    assert.equal(read.config, null);
    const [status] = await configurator.status([MODERN]);
    assert.equal(status && !status.verdict.ok ? status.verdict.code : 'ok', 'no_config');
  });
});
