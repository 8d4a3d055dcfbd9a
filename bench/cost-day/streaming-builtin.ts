import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SystemClock } from '../../src/core/clock.js';
import { DEVICES_FILE } from '../../src/model/device-registry.js';
import { testPki } from '../../src/simulator/telemetry/pki.js';
import { issuerChain } from '../../src/telemetry/vehicle-config.js';
import type { PolicyContext, RunningPolicy } from './policy.js';
import { adoptConfiguration, DELIVERY_PATIENCE_MS, STREAMING_DOMAIN, STREAMING_HOST, streamingRun, writeFleetKey } from './streaming-policy.js';
import { createBenchDaemon } from './teslahub-policy.js';

/**
 * teslahub with Fleet Telemetry through its built-in receiver (`telemetry.source: builtin`, the
 * default), as a user runs it after `teslahub telemetry configure`: the simulated cars dial the
 * daemon's receiver over real mutual TLS on loopback, with client certificates from a test CA,
 * and send FlatBuffers/protobuf messages that the daemon acks once saved.
 *
 * TLS and sockets run on real time while the bench steps a FakeClock: `busy` holds the step
 * while a car is dialing or has messages on the wire that are not acked yet, so each simulated
 * instant's I/O is over before time moves on (certificates are made for the real clock, which
 * OpenSSL checks them against).
 *
 * The day starts in the steady state of a car that streamed yesterday: its configuration is
 * adopted, and the daemon's saved registry says the car streamed here and its link is known;
 * a receiver that just started has no car connected, so such a car counts as disconnected
 * (asleep) and is not polled until it connects.
 */
export async function startBuiltinStreaming(context: PolicyContext): Promise<RunningPolicy> {
  const { sim, dir } = context;
  await writeFleetKey(dir);
  const pki = testPki(new SystemClock().now(), [STREAMING_HOST]);
  const files = { cert: join(dir, 'fullchain.pem'), key: join(dir, 'privkey.pem'), clientCa: join(dir, 'car-ca.pem') };
  await writeFile(files.cert, pki.server.cert + pki.ca.cert);
  await writeFile(files.key, pki.server.key, { mode: 0o600 });
  await writeFile(files.clientCa, pki.ca.cert);
  await writeYesterdaysRegistry(context);
  const port = await freePort();
  const { daemon, sink, config } = await createBenchDaemon(context, {
    domain: STREAMING_DOMAIN,
    extra: [
      'telemetry:',
      '  enabled: true',
      '  source: builtin',
      `  hostname: ${STREAMING_HOST}`,
      `  port: ${port}`,
      '  receiver:',
      `    listen: "127.0.0.1:${port}"`,
      `    cert: ${files.cert}`,
      `    key: ${files.key}`,
      `    client_ca: ${files.clientCa}`,
    ],
  });
  adoptConfiguration(context, config.telemetry, await issuerChain(files.cert));
  await daemon.lifecycle.start();
  // Ticks off the whole seconds, so emissions do not line up with the bench's samples at :30.
  sim.telemetry.streamDirect({ hostname: STREAMING_HOST, port, address: '127.0.0.1', certificate: (vin) => pki.car(vin), phaseMs: 2_500 });
  let waitingSince = 0;
  const busy = (): boolean => {
    // A ping out counts as in flight too: the car's answer is what says it was still there.
    const pinging = daemon.telemetry?.receiverStatus()?.connections.some((c) => c.awaitingPong) === true;
    const pending = pinging || sim.telemetry.cars.clients.some((client) => client.dialing || (client.connected && client.unacked > 0));
    if (!pending) {
      waitingSince = 0;
      return false;
    }
    if (waitingSince === 0) waitingSince = performance.now();
    return performance.now() - waitingSince < DELIVERY_PATIENCE_MS;
  };
  return streamingRun(context, { daemon, sink, telemetry: config.telemetry }, busy, () => sim.telemetry.stop());
}

/** The daemon's saved registry from yesterday: each car known, its stream last heard in the evening. */
async function writeYesterdaysRegistry(context: PolicyContext): Promise<void> {
  const { sim, clock, dir } = context;
  const evening = clock.now() - 3_600_000;
  const vehicles = Object.fromEntries(
    sim.world.vehicles.map((car) => [
      car.vin,
      {
        kind: 'vehicle',
        vin: car.vin,
        summary: { vin: car.vin },
        connection: 'unknown',
        stream: {
          mode: 'stream',
          reason: 'the car is asleep or offline; it streams again when it wakes',
          since: evening,
          link: 'disconnected',
          lastAt: evening,
          at: {},
        },
      },
    ]),
  );
  await mkdir(join(dir, 'data'), { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'data', DEVICES_FILE), JSON.stringify({ version: 1, vehicles, sites: {}, wallConnectors: {} }));
}

/** A free loopback port for the receiver (the configuration names the port the cars dial). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
