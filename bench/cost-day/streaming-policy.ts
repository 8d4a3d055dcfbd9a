import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { TokenEndpointResponse } from 'openid-client';
import { toTokenSet } from '../../src/auth/token-exchange.js';
import type { MemorySink } from '../../src/core/logger.js';
import { TelemetryTopics } from '../../src/mqtt/topics.js';
import { DEMO_CLIENT_ID } from '../../src/simulator/index.js';
import type { TelemetryConfig } from '../../src/telemetry/config-schema.js';
import { buildVehicleConfig, configuredFields } from '../../src/telemetry/vehicle-config.js';
import type { PolicyContext, RunningPolicy } from './policy.js';
import { startBuiltinStreaming } from './streaming-builtin.js';
import { createBenchDaemon, ledgerCounts, shownBatteryLevel } from './teslahub-policy.js';

export const STREAMING_HOST = 'telemetry.bench.example.com';
export const STREAMING_DOMAIN = 'bench.example.com';
/** The server certificate's chain is not checked by the simulated car; only its PEM form is. */
const CA = '-----BEGIN CERTIFICATE-----\nMIIBbenchbenchbenchbenchbenchbenchbenchbenchbenchbenchbenchbenchbench\n-----END CERTIFICATE-----\n';
/** Published values not yet taken in by the daemon are waited for, but not for ever (they could be lost). */
export const DELIVERY_PATIENCE_MS = 2_000;

/** How the streaming days reach the daemon: the built-in receiver (default) or Tesla's server and MQTT. */
export type StreamingPath = 'builtin' | 'mqtt';

export function startStreaming(context: PolicyContext): Promise<RunningPolicy> {
  return context.streamingPath === 'mqtt' ? startMqttStreaming(context) : startBuiltinStreaming(context);
}

/** The fleet key the daemon signs configurations with (generated per run, never stored). */
export async function writeFleetKey(dir: string): Promise<void> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  await mkdir(join(dir, 'keys'), { recursive: true });
  await writeFile(join(dir, 'keys', 'private-key.pem'), privateKey.export({ type: 'sec1', format: 'pem' }).toString(), { mode: 0o600 });
}

/** Yesterday's state: the configuration the daemon would push, already adopted by every car. */
export function adoptConfiguration(context: PolicyContext, telemetry: TelemetryConfig, ca: string): void {
  const { sim, clock } = context;
  const claims = buildVehicleConfig(telemetry, ca, clock.now()) as unknown as Record<string, unknown>;
  for (const car of sim.world.vehicles) {
    sim.telemetry.configs.put(car.vin, DEMO_CLIENT_ID, claims, clock.now() - 86_400_000);
    const adopted = sim.telemetry.configs.get(car.vin, DEMO_CLIENT_ID);
    if (adopted) adopted.synced = true;
  }
}

type BenchDaemon = Awaited<ReturnType<typeof createBenchDaemon>>['daemon'];

/**
 * What the bench reads from a streaming daemon, for either path. `busy` says whether streamed
 * values are still on their way; `stopStreams` ends the cars' (or the server's) side.
 */
export async function streamingRun(
  context: PolicyContext,
  bench: { daemon: BenchDaemon; sink: MemorySink; telemetry: TelemetryConfig },
  busy: () => boolean,
  stopStreams: () => Promise<void>,
): Promise<RunningPolicy> {
  const { sim, clock } = context;
  const { daemon, sink, telemetry } = bench;
  const response = sim.issueTokens() as unknown as TokenEndpointResponse;
  await daemon.tokens.adopt(toTokenSet(response, clock.now()));
  const started = clock.now();
  const fields = configuredFields(telemetry);
  const interval = (name: string): number => (fields[name]?.interval_seconds ?? 60) * 1000;

  /**
   * When the value at `path` is known to hold (give or take its minimum_delta): when it was sent,
   * or, from a connected car, when the car was last heard (a message or, with the built-in
   * receiver, a ping it answered) if that is at least the field's interval after the value was
   * sent, since a car sends a change as soon as the field's interval has passed; else the time
   * heard minus the interval. Through Tesla's server only messages are heard.
   */
  const asOf = (vin: string, path: string, intervalMs: number): number | undefined => {
    const car = daemon.registry.vehicle(vin);
    if (!car) return undefined;
    const sent = car.stream?.at[path];
    const times = [car.dataAt, sent];
    const stream = car.stream;
    if (stream?.mode === 'stream' && stream.link === 'connected' && stream.lastAt !== undefined) {
      const answered =
        daemon.telemetry
          ?.receiverStatus()
          ?.connections.filter((c) => c.vin === vin)
          .map((c) => c.heardAt) ?? [];
      const heard = Math.max(stream.lastAt, ...answered);
      times.push(sent !== undefined && heard >= sent + intervalMs ? heard : heard - intervalMs);
    }
    const known = times.filter((t): t is number => t !== undefined);
    return known.length > 0 ? Math.max(...known) : undefined;
  };

  return {
    view: {
      dataAt: (vin) => asOf(vin, 'charge_state.battery_level', interval('BatteryLevel')),
      batteryLevel: (vin) => shownBatteryLevel(daemon.registry.vehicle(vin)),
      wallConnectorAt: (vin) => {
        let best = asOf(vin, 'charge_state.charger_power', Math.max(interval('ACChargingPower'), interval('DCChargingPower')));
        for (const connector of daemon.registry.wallConnectors()) {
          if (connector.live?.vin !== vin || connector.liveAt === undefined) continue;
          if (best === undefined || connector.liveAt > best) best = connector.liveAt;
        }
        return best;
      },
    },
    busy,
    meterCounts: () => ledgerCounts(daemon.ledger, started, clock.now()),
    warnings: () => sink.lines.slice(),
    stop: async () => {
      await stopStreams();
      const report = await daemon.lifecycle.stop();
      if (!report.clean) throw new Error(`the daemon did not stop cleanly: ${JSON.stringify(report.failures)}`);
    },
  };
}

/**
 * teslahub with Fleet Telemetry through Tesla's fleet-telemetry server and its MQTT dispatcher
 * (`telemetry.source: mqtt`), as a user who already runs that server: the simulated server
 * publishes to the daemon's embedded broker, every field at its default.
 *
 * The day starts in the steady state of a car that streamed yesterday: its configuration is
 * adopted, and the broker holds its last connectivity (DISCONNECTED, the evening before). A fresh
 * broker with nothing retained would leave the daemon unsure whether a sleeping car streams, and
 * it would poll (free state calls) until the car's first connection; that start-up cost is not
 * what a day of streaming costs.
 */
async function startMqttStreaming(context: PolicyContext): Promise<RunningPolicy> {
  const { sim, clock, dir } = context;
  await writeFleetKey(dir);
  await writeFile(join(dir, 'telemetry-ca.pem'), CA);
  const { daemon, sink, config } = await createBenchDaemon(context, {
    domain: STREAMING_DOMAIN,
    extra: ['telemetry:', '  enabled: true', '  source: mqtt', `  hostname: ${STREAMING_HOST}`, '  ca: telemetry-ca.pem'],
  });
  adoptConfiguration(context, config.telemetry, CA);
  await daemon.lifecycle.start();
  const brokerUrl = daemon.broker?.url;
  if (!brokerUrl) throw new Error('the bench daemon has no embedded broker');
  await retainLastConnectivity(
    brokerUrl,
    sim.world.vehicles.map((car) => car.vin),
    clock.now() - 3_600_000,
  );
  // Ticks off the whole seconds, so emissions do not line up with the bench's samples at :30.
  await sim.telemetry.start({ brokerUrl, hostname: STREAMING_HOST, phaseMs: 2_500 });
  let waitingSince = 0;
  const busy = (): boolean => {
    const server = sim.telemetry.server;
    if (server.inFlight > 0) return true;
    const received = daemon.telemetry?.consumer.liveReceived ?? 0;
    if (server.published <= received) {
      waitingSince = 0;
      return false;
    }
    if (waitingSince === 0) waitingSince = performance.now();
    return performance.now() - waitingSince < DELIVERY_PATIENCE_MS;
  };
  return streamingRun(context, { daemon, sink, telemetry: config.telemetry }, busy, () => sim.telemetry.stop());
}

/** What the broker would hold from yesterday: each car's connectivity as it last went to sleep. */
async function retainLastConnectivity(brokerUrl: string, vins: readonly string[], at: number): Promise<void> {
  const client = await mqtt.connectAsync(brokerUrl, { clientId: `bench-history-${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 0 });
  const topics = new TelemetryTopics('telemetry');
  for (const vin of vins) {
    const payload = { ConnectionId: `bench-${vin}`, Status: 'DISCONNECTED', CreatedAt: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    await client.publishAsync(topics.connectivity(vin), JSON.stringify(payload), { qos: 1, retain: true });
  }
  await client.endAsync();
}
