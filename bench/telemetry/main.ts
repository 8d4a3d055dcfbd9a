// npm run bench:telemetry: 50 simulated cars stream to a real teslahub daemon (a child process)
// over mutual TLS on loopback at their default field rates (half of them charging on public AC), while each
// car's lock is toggled every few seconds. Prints the daemon's CPU share of one core over the
// window and the time from the car's frame to the published MQTT entity (p50/p99); JSON last.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { SystemClock } from '../../src/core/clock.js';
import { Simulator } from '../../src/simulator/index.js';
import { freePort } from '../../test/support/net.js';
import { connectAccount } from '../../test/support/oauth.js';
import { FREE_PORT_LINES, simulatorTeslaLines } from '../../test/support/tesla-world.js';
import { builtinReceiverSetup } from '../../test/telemetry/receiver-support-world.js';
import { DOMAIN, newFleetKey, registerPartner } from '../../test/telemetry/sim-fleet.js';

const { values } = parseArgs({ options: { cars: { type: 'string', default: '50' }, seconds: { type: 'string', default: '60' } } });
const CARS = Number(values.cars);
const WINDOW_S = Number(values.seconds);
const BIN = fileURLToPath(new URL('../../bin/teslahub.js', import.meta.url));
/** Linux counts CPU time in /proc/<pid>/stat in clock ticks of 1/100 s (USER_HZ). */
const TICK_HZ = 100;

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // utime and stime are the 14th and 15th fields of the whole line (12th and 13th after the name).
  return Number(fields[11]) + Number(fields[12]);
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN);
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'teslahub-bench-telemetry-'));
  const vins = Array.from({ length: CARS }, (_, i) => `5YJ3E1EA0PF3${String(i).padStart(5, '0')}`);
  const key = newFleetKey();
  const clock = new SystemClock();
  const sim = new Simulator({
    clock,
    rateLimits: false,
    fetchPublicKey: async (domain) => (domain === DOMAIN ? key.publicPem : undefined),
    scenario: { vehicles: vins.map((vin) => ({ vin })) },
  });
  await sim.start();
  const setup = await builtinReceiverSetup(dir, key, clock, ['    limits:', `      connections: ${CARS + 14}`]);
  const brokerPort = await freePort();
  // The embedded broker on a known port, so the bench can subscribe to the entities.
  const lines = FREE_PORT_LINES.map((line) => (line === '    port: 0' ? `    port: ${brokerPort}` : line));
  await writeFile(
    join(dir, 'config.yaml'),
    ['log_level: info', ...simulatorTeslaLines(sim), ...setup.teslaLines, ...lines, ...setup.configLines, ''].join('\n'),
  );
  sim.telemetry.configs.syncDelayMs = 0;
  await registerPartner(sim);
  for (const [i, vin] of vins.entries()) sim.world.patchVehicle(vin, { sentry: true, asleep: false, ...(i % 2 === 0 ? { pluggedIn: 'ac' } : {}) });
  const child = spawn(process.execPath, [BIN, 'run'], { cwd: dir, env: { ...process.env, NODE_ENV: 'production' } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stopAll = async (): Promise<void> => {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(() => /running; stop with/.test(output), 60_000, 'the daemon to start');
    const web = /web interface on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    await connectAccount(web);
    sim.telemetry.streamDirect(setup.streamOptions);
    const connected = async (): Promise<number> => Number(/teslahub_telemetry_connections (\d+)/.exec(await (await fetch(`${web}/metrics`)).text())?.[1] ?? 0);
    await waitFor(async () => (await connected()) === CARS, 180_000, `${CARS} cars to connect`);
    process.stderr.write(`${CARS} cars connected; measuring ${WINDOW_S} s\n`);
    const probe = await mqtt.connectAsync(`mqtt://127.0.0.1:${brokerPort}`, { clientId: `bench-${process.pid}` });
    const toggledAt = new Map<string, number>();
    const latencies: number[] = [];
    probe.on('message', (topic) => {
      const vin = topic.split('/')[2] ?? '';
      const at = toggledAt.get(vin);
      if (at === undefined) return;
      latencies.push(performance.now() - at);
      toggledAt.delete(vin);
    });
    await probe.subscribeAsync('teslahub/vehicle/+/lock', { qos: 0 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const pid = child.pid ?? 0;
    const cpuStart = cpuTicks(pid);
    const wallStart = performance.now();
    let locked = true;
    const frames = (): number => sim.telemetry.cars.clients.reduce((sum, client) => sum + client.acked, 0);
    const framesStart = frames();
    while (performance.now() - wallStart < WINDOW_S * 1000) {
      locked = !locked;
      // Every car changes its lock (it goes out at most once a second); the frames leave at the tick.
      for (const vin of vins) sim.world.patchVehicle(vin, { locked });
      const sentAt = performance.now();
      for (const vin of vins) toggledAt.set(vin, sentAt);
      sim.telemetry.cars.tick();
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
    const wall = (performance.now() - wallStart) / 1000;
    const cpu = (cpuTicks(pid) - cpuStart) / TICK_HZ;
    const acked = frames() - framesStart;
    await probe.endAsync();
    latencies.sort((a, b) => a - b);
    const result = {
      bench: 'telemetry',
      cars: CARS,
      window_s: Math.round(wall),
      frames_acked: acked,
      frames_per_s: Math.round((acked / wall) * 10) / 10,
      daemon_cpu_share_of_one_core: Math.round((cpu / wall) * 1000) / 1000,
      frame_to_entity_ms: {
        samples: latencies.length,
        p50: Math.round(percentile(latencies, 50)),
        p99: Math.round(percentile(latencies, 99)),
        max: Math.round(latencies.at(-1) ?? Number.NaN),
      },
    };
    process.stdout.write(`${CARS} cars streaming for ${result.window_s} s: ${acked} frames acked (${result.frames_per_s}/s)\n`);
    process.stdout.write(`daemon CPU: ${(result.daemon_cpu_share_of_one_core * 100).toFixed(1)} % of one core\n`);
    process.stdout.write(
      `frame → published entity: p50 ${result.frame_to_entity_ms.p50} ms, p99 ${result.frame_to_entity_ms.p99} ms (${latencies.length} samples)\n`,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${output.slice(-3000)}\n`);
    process.exitCode = 1;
  } finally {
    await stopAll();
  }
}

await main();
