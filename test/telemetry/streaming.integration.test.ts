import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../../src/core/fake-clock.js';
import { DEMO_VIN } from '../../src/simulator/index.js';
import { startBroker, type TestBroker } from '../support/broker.js';
import { MqttProbe } from '../support/mqtt-probe.js';
import { connectAccount } from '../support/oauth.js';
import { runFor } from '../support/step-clock.js';
import { startTeslaWorld, type TeslaWorld } from '../support/tesla-world.js';
import { tempDir } from '../support/tmp.js';
import { DOMAIN, newFleetKey, registerPartner, writeKeyFiles } from './sim-fleet.js';

const MIN = 60_000;
const HEARTBEAT_S = 60;
const HOST = 'telemetry.example.com';
const STATE = (entity: string): string => `teslahub/vehicle/${DEMO_VIN}/${entity}`;

describe('streaming instead of polling: the daemon, the simulated Fleet API and fleet-telemetry, two Mosquitto brokers', () => {
  let world: TeslaWorld;
  let main: TestBroker;
  let telemetryBroker: TestBroker;
  let probe: MqttProbe;
  let clock: FakeClock;
  const cleanups: (() => Promise<void>)[] = [];

  /** Requests about the car since `since` (sim time) that poll it: vehicle_data and the state call. */
  const polls = (since: number, kind: 'vehicle_data' | 'any' = 'any'): string[] =>
    world.sim
      .requests()
      .filter((r) => r.at >= since && r.vin === DEMO_VIN && (r.path.endsWith('/vehicle_data') || (kind === 'any' && /\/api\/1\/vehicles\/[^/]+$/.test(r.path))))
      .map((r) => `${new Date(r.at).toISOString().slice(11, 19)} ${r.path.replace(/^.*\/vehicles\/[^/]+/, '') || '(state)'}`);

  let lastMismatch = 0;
  const busy = (): boolean => {
    if (world.inFlight() > 0 || world.sim.inFlight() > 0 || world.sim.telemetry.server.inFlight > 0) return true;
    // Values published but not yet taken in by the daemon: wait for them, unless they are lost (a broker restart).
    const consumer = world.daemon.telemetry?.consumer;
    if (consumer && world.sim.telemetry.server.published > consumer.liveReceived) {
      if (lastMismatch === 0) lastMismatch = Date.now();
      return Date.now() - lastMismatch < 300;
    }
    lastMismatch = 0;
    return false;
  };
  const run = (ms: number, step = 5000): Promise<void> => runFor(clock, ms, busy, step);
  /** fleet-telemetry's own broker client reconnects in real time, not on the simulated clock. */
  const serverOnline = async (): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!world.sim.telemetry.server.brokerConnected) {
      if (Date.now() > deadline) throw new Error('the fleet-telemetry simulator did not reconnect to its broker');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  before(async () => {
    main = await startBroker();
    telemetryBroker = await startBroker();
    cleanups.push(
      () => main.close(),
      () => telemetryBroker.close(),
    );
    const { dir, cleanup } = await tempDir('teslahub-stream-keys-');
    cleanups.push(cleanup);
    const key = newFleetKey();
    const { privateKeyPath, caPath } = await writeKeyFiles(dir, key);
    clock = new FakeClock(Date.UTC(2026, 10, 23, 18));
    world = await startTeslaWorld({
      clock,
      polling: true,
      sim: { fetchPublicKey: async (domain) => (domain === DOMAIN ? key.publicPem : undefined) },
      teslaLines: [`  domain: ${DOMAIN}`, `  private_key: ${privateKeyPath}`],
      mqttLines: [`  url: ${main.url}`, `  client_id: teslahub-${Math.random().toString(16).slice(2, 8)}`],
      configLines: [
        'telemetry:',
        '  enabled: true',
        '  source: mqtt',
        `  hostname: ${HOST}`,
        `  ca: ${caPath}`,
        `  heartbeat: ${HEARTBEAT_S}s`,
        '  check_interval: 1m',
        '  mqtt:',
        `    url: ${telemetryBroker.url}`,
      ],
    });
    cleanups.unshift(() => world.close());
    probe = await MqttProbe.connect(main.url, ['teslahub/#']);
    cleanups.unshift(() => probe.close());
    await registerPartner(world.sim);
    // Sentry keeps the car awake, so the polling fallback has something to read.
    world.sim.world.patchVehicle(DEMO_VIN, { sentry: true, asleep: false, batteryLevel: 55 });
    await connectAccount(world.baseUrl);
  });
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('configures the car by itself, and polls it until it streams', async () => {
    const start = clock.now();
    await run(2 * MIN);
    const config = (await fetch(`${world.sim.regionBaseUrl('na')}/api/1/vehicles/${DEMO_VIN}/fleet_telemetry_config`, {
      headers: { authorization: `Bearer ${String(world.sim.issueTokens().access_token)}` },
    }).then((r) => r.json())) as {
      response: { config: { hostname: string; fields: Record<string, unknown> } | null };
    };
    assert.equal(config.response.config?.hostname, HOST, 'the daemon pushed the configuration');
    assert.ok(Object.keys(config.response.config?.fields ?? {}).length > 60, 'the default field set');
    assert.ok(polls(start, 'vehicle_data').length > 0, 'not streaming yet: polled');
    assert.equal(probe.last(STATE('data_source'))?.payload, 'poll');
  });

  it('streams once fleet-telemetry runs: values reach the MQTT entities with no vehicle_data call', async () => {
    await world.sim.telemetry.start({ brokerUrl: telemetryBroker.url, hostname: HOST });
    await run(2 * MIN);
    await probe.waitFor(STATE('data_source'), (m) => m.payload === 'stream');
    const streamingSince = clock.now();
    const mark = probe.mark;
    world.sim.world.patchVehicle(DEMO_VIN, { batteryLevel: 71, locked: false, pluggedIn: 'home' });
    await run(5 * MIN);
    await probe.waitFor(STATE('battery_level'), (m) => Math.abs(Number(m.payload) - 71) < 1, 5000, mark);
    await probe.waitFor(STATE('lock'), (m) => m.payload === 'UNLOCKED', 5000, mark);
    await probe.waitFor(STATE('charging'), (m) => m.payload === 'charging' || m.payload === 'starting', 5000, mark);
    assert.deepEqual(polls(streamingSince), [], 'no vehicle_data and no state call while it streams');
    const source = world.daemon.registry.vehicle(DEMO_VIN);
    assert.equal(source?.stream?.mode, 'stream');
    assert.ok((source?.stream?.at['charge_state.battery_level'] ?? 0) > streamingSince, 'the value keeps its arrival time');
    const info = JSON.parse(probe.last('teslahub/bridge/info')?.payload ?? '{}') as { telemetry?: { vehicles?: Record<string, { mode: string }> } };
    assert.equal(info.telemetry?.vehicles?.[DEMO_VIN]?.mode, 'stream');
    assert.ok(world.daemon.ledger.month().counts.signal > 60, 'streamed values are counted as signals');
  });

  it('falls back to polling at once when the telemetry broker goes down, and stops when it is back', async () => {
    const mark = probe.mark;
    await telemetryBroker.stop();
    const down = clock.now();
    await run(2 * MIN);
    const fallback = polls(down, 'vehicle_data');
    assert.ok(fallback.length > 0, 'vehicle_data again');
    const firstAt = world.sim.requests().find((r) => r.at >= down && r.path.endsWith('/vehicle_data'))?.at ?? Infinity;
    assert.ok(firstAt - down <= MIN, `first vehicle_data ${Math.round((firstAt - down) / 1000)} s after the broker went down`);
    const event = await probe.waitFor('teslahub/bridge/event', (m) => m.payload.includes('telemetry_fallback'), 5000, mark);
    assert.match(event.payload, /telemetry broker cannot be reached/);
    assert.equal(probe.last(STATE('data_source'))?.payload, 'poll');

    await telemetryBroker.start();
    await serverOnline();
    await run(2 * MIN);
    await probe.waitFor(STATE('data_source'), (m) => m.payload === 'stream', 10_000, mark);
    const back = clock.now();
    await run(10 * MIN);
    assert.deepEqual(polls(back), [], 'polling stopped');
  });

  it('falls back within two heartbeats when the stream goes silent, and stops when values return', async () => {
    const mark = probe.mark;
    await world.sim.telemetry.stop();
    const silent = clock.now();
    await run(4 * MIN);
    const firstAt = world.sim.requests().find((r) => r.at >= silent && r.path.endsWith('/vehicle_data'))?.at;
    assert.ok(firstAt !== undefined, 'polling started');
    const delay = (firstAt - silent) / 1000;
    assert.ok(delay <= 2 * HEARTBEAT_S + 10, `first vehicle_data ${delay} s after the last value (two heartbeats: ${2 * HEARTBEAT_S} s)`);
    const event = await probe.waitFor('teslahub/bridge/event', (m) => m.payload.includes('telemetry_fallback'), 5000, mark);
    assert.match(event.payload, /no heartbeat/);
    const reason = JSON.parse(probe.last(`${STATE('data_source')}/attributes`)?.payload ?? '{}') as { reason?: string };
    assert.match(reason.reason ?? '', /no heartbeat/);

    await world.sim.telemetry.start({ brokerUrl: telemetryBroker.url, hostname: HOST });
    await run(2 * MIN);
    await probe.waitFor(STATE('data_source'), (m) => m.payload === 'stream', 10_000, mark);
    const back = clock.now();
    await run(10 * MIN);
    assert.deepEqual(polls(back), [], 'polling stopped again');
  });
});
