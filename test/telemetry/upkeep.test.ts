import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { Simulator } from '../../src/simulator/index.js';
import { TelemetryConfigurator } from '../../src/telemetry/configurator.js';
import type { Verdict } from '../../src/telemetry/explain.js';
import { openTelemetryStore } from '../../src/telemetry/store.js';
import { TelemetryUpkeep } from '../../src/telemetry/upkeep.js';
import { tempDir } from '../support/tmp.js';
import { Api } from '../simulator/support.js';
import { DOMAIN, newFleetKey, registerPartner, simFleet, writeKeyFiles } from './sim-fleet.js';

const CAR = '5YJ3E1EA0PF000001';
const OTHER = '5YJ3E1EA1PF000003';
const DAY = 86_400_000;

describe("the daemon keeps each car's configuration in order (simulated Fleet API)", () => {
  let sim: Simulator;
  let clock: FakeClock;
  let api: Api;
  let upkeep: (hostname?: string) => Promise<{ upkeep: TelemetryUpkeep; verdicts: Map<string, Verdict>; configurator: TelemetryConfigurator }>;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    clock = new FakeClock(Date.UTC(2026, 10, 23, 12));
    const key = newFleetKey();
    sim = new Simulator({
      clock,
      rateLimits: false,
      accessTokenLifetimeSeconds: 60 * 86_400,
      fetchPublicKey: async (domain) => (domain === DOMAIN ? key.publicPem : undefined),
      scenario: { vehicles: [{ vin: CAR }, { vin: OTHER }] },
    });
    await sim.start();
    closers.push(() => sim.stop());
    await registerPartner(sim);
    api = new Api(sim.regionBaseUrl('na'), String(sim.issueTokens().access_token));
    const { dir, cleanup } = await tempDir('teslahub-upkeep-');
    closers.push(cleanup);
    const { privateKeyPath } = await writeKeyFiles(dir, key);
    const { fleet, close } = await simFleet(sim, clock, dir);
    closers.push(close);
    const log = new Logger({ level: 'debug', format: 'pretty', sink: new MemorySink(), clock });
    const store = await openTelemetryStore(dir, log, clock);
    upkeep = async (hostname = 'telemetry.example.com') => {
      const config = configSchema.parse({
        tesla: { domain: DOMAIN },
        telemetry: { enabled: true, source: 'mqtt', hostname, ca: 'telemetry-ca.pem' },
      }).telemetry;
      const configurator = new TelemetryConfigurator({ fleet, config, domain: DOMAIN, configDir: dir, privateKeyPath, store, errors: undefined, clock });
      const verdicts = new Map<string, Verdict>();
      const made = new TelemetryUpkeep({
        configurator,
        setupProblem: undefined,
        store,
        config,
        vins: () => [CAR, OTHER],
        clock,
        log,
        report: (vin, verdict) => void verdicts.set(vin, verdict),
      });
      return { upkeep: made, verdicts, configurator };
    };
  });
  after(async () => {
    for (const close of closers.reverse()) await close();
  });

  const stored = async (vin: string): Promise<{ synced: boolean; config: { exp: number; hostname: string } | null }> =>
    (await api.get(`/api/1/vehicles/${vin}/fleet_telemetry_config`)).body.response;

  it('sends the configuration to cars that have none, and reports them pending until they take it', async () => {
    const { upkeep: run, verdicts } = await upkeep();
    await run.checkAll();
    assert.equal((await stored(CAR)).config?.hostname, 'telemetry.example.com');
    assert.equal((await stored(OTHER)).config?.hostname, 'telemetry.example.com');
    const verdict = verdicts.get(CAR);
    assert.equal(verdict && !verdict.ok ? verdict.code : 'ok', 'not_synced');
    await clock.advance(60_000);
    await run.checkAll();
    assert.equal(verdicts.get(CAR)?.ok, true, 'awake: adopted');
  });

  it('leaves a working configuration alone, and signs it again with a new expiry before it ends', async () => {
    const { upkeep: run, verdicts } = await upkeep();
    const first = (await stored(CAR)).config?.exp ?? 0;
    await clock.advance(DAY);
    await run.checkAll();
    assert.equal((await stored(CAR)).config?.exp, first, 'not renewed a day later');
    assert.equal(verdicts.get(CAR)?.ok, true);
    clock.set(first * 1000 - 6 * DAY);
    sim.world.patchVehicle(CAR, { asleep: false });
    await run.checkAll();
    const renewed = (await stored(CAR)).config?.exp ?? 0;
    assert.ok(renewed > first, 'pushed again inside renew_before (7 days)');
    assert.equal(renewed, Math.floor(clock.now() / 1000) + 30 * 86_400);
  });

  it('sends the new configuration when config.yaml changed, but not to a car the owner removed', async () => {
    const { configurator } = await upkeep();
    await configurator.remove([OTHER]);
    const { upkeep: run, verdicts } = await upkeep('telemetry2.example.com');
    await run.checkAll();
    assert.equal((await stored(CAR)).config?.hostname, 'telemetry2.example.com');
    assert.equal((await stored(OTHER)).config, null);
    assert.match(verdicts.get(OTHER)?.message ?? '', /removed for this car/);
  });
});
