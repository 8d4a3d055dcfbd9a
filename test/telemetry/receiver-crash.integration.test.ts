import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SystemClock } from '../../src/core/clock.js';
import { DEMO_VIN, Simulator } from '../../src/simulator/index.js';
import { encodeVehicleData } from '../../src/telemetry/wire/payload-encode.js';
import { CliProcess } from '../support/cli.js';
import { waitUntil } from '../support/net.js';
import { connectAccount } from '../support/oauth.js';
import { FREE_PORT_LINES, simulatorTeslaLines } from '../support/tesla-world.js';
import { tempDir } from '../support/tmp.js';
import { CarClient } from '../../src/simulator/telemetry/car-client.js';
import { builtinReceiverSetup, TELEMETRY_HOST } from './receiver-support-world.js';
import { DOMAIN, newFleetKey, registerPartner } from './sim-fleet.js';

const MESSAGES = 400;

async function startDaemon(dir: string): Promise<{ daemon: CliProcess; port: string }> {
  const daemon = new CliProcess(['run'], { cwd: dir });
  try {
    const [, port] = await daemon.waitForOutput(/web interface on http:\/\/127\.0\.0\.1:(\d+)/, 45_000);
    await daemon.waitForOutput(/running; stop with/, 45_000);
    return { daemon, port: port ?? '' };
  } catch (error) {
    await daemon.dispose();
    throw error;
  }
}

async function savedOdometer(dir: string): Promise<number | undefined> {
  const text = await readFile(join(dir, 'data', 'devices.json'), 'utf8').catch(() => '{}');
  const saved = JSON.parse(text) as { vehicles?: Record<string, { data?: { vehicle_state?: { odometer?: number } } }> };
  return saved.vehicles?.[DEMO_VIN]?.data?.vehicle_state?.odometer;
}

describe('the built-in receiver acks only what is saved: a daemon killed mid-stream loses nothing', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('SIGKILL while a car streams, then a restart: every acked value was on disk, and the car resends the rest', { timeout: 240_000 }, async () => {
    const key = newFleetKey();
    const sim = new Simulator({
      clock: new SystemClock(),
      rateLimits: false,
      fetchPublicKey: async (domain) => (domain === DOMAIN ? key.publicPem : undefined),
    });
    await sim.start();
    const { dir, cleanup } = await tempDir('teslahub-receiver-crash-');
    cleanups.push(async () => {
      await sim.stop();
      await cleanup();
    });
    const setup = await builtinReceiverSetup(dir, key, new SystemClock(), ['    limits:', '      messages_per_minute: 100000']);
    await writeFile(
      join(dir, 'config.yaml'),
      ['log_level: debug', ...simulatorTeslaLines(sim), ...setup.teslaLines, ...FREE_PORT_LINES, ...setup.configLines, ''].join('\n'),
    );
    await registerPartner(sim);

    let { daemon, port } = await startDaemon(dir);
    cleanups.unshift(() => daemon.dispose());
    await connectAccount(`http://127.0.0.1:${port}`);
    // The car alone on the wire (no simulated emissions), so every value is one this test sent.
    const identity = setup.pki.car(DEMO_VIN);
    const car = new CarClient({
      url: `wss://127.0.0.1:${setup.port}/`,
      servername: TELEMETRY_HOST,
      ca: setup.pki.ca.cert,
      cert: identity.cert,
      key: identity.key,
      vin: DEMO_VIN,
      clock: new SystemClock(),
      backoffStartMs: 200,
      backoffMaxMs: 2000,
    });
    cleanups.unshift(async () => car.stop());
    car.start();
    assert.ok(
      await waitUntil(() => car.connected, 60_000),
      `the car connected (it is accepted once the daemon knows it); daemon output:\n${daemon.output.slice(-3000)}`,
    );

    // The odometer climbs one mile per message; each message carries the car's time.
    let ackedOdometer = 0;
    const base = Date.now();
    const ackedBefore = car.acked;
    let killedAfter = -1;
    for (let i = 1; i <= MESSAGES; i += 1) {
      const at = base + i * 10;
      car.send('V', at, (resend) => encodeVehicleData({ vin: DEMO_VIN, createdAtMs: at, isResend: resend, data: [['Odometer', 1000 + i]] }));
      if (i === MESSAGES / 2) {
        // Mid-stream, while messages are in flight.
        await new Promise((resolve) => setTimeout(resolve, 30));
        ackedOdometer = 1000 + (car.acked - ackedBefore);
        daemon.kill('SIGKILL');
        killedAfter = car.acked - ackedBefore;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await daemon.wait();
    // Acks arrive in order, one per saved message (other messages of the car may be among them).
    const onDisk = await savedOdometer(dir);
    assert.ok(killedAfter > 0, 'some messages were acked before the kill');
    assert.ok((onDisk ?? 0) >= ackedOdometer, `acked up to ${ackedOdometer}, on disk ${onDisk}`);
    assert.ok(car.unacked > 0, 'messages were left unacked by the killed daemon');

    ({ daemon, port } = await startDaemon(dir));
    assert.ok(
      await waitUntil(() => car.unacked === 0, 90_000),
      `the car's buffer drained after the restart; ${car.unacked} left; output:\n${daemon.output.slice(-3000)}`,
    );
    assert.ok(await waitUntil(async () => (await savedOdometer(dir)) === 1000 + MESSAGES, 10_000), `the last value is saved: ${await savedOdometer(dir)}`);
    daemon.kill('SIGTERM');
    assert.equal((await daemon.wait()).code, 0);
  });
});
