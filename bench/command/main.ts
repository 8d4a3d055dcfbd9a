import { writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import type { TokenEndpointResponse } from 'openid-client';
import { toTokenSet } from '../../src/auth/token-exchange.js';
import { loadConfig } from '../../src/config/load.js';
import { SystemClock } from '../../src/core/clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { createDaemon } from '../../src/main.js';
import { loadPublicKeyPem, writeKeyPair } from '../../src/signing/keys.js';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_VIN, Simulator } from '../../src/simulator/index.js';
import { startBroker } from '../../test/support/broker.js';
import { MqttProbe } from '../../test/support/mqtt-probe.js';
import { tempDir } from '../../test/support/tmp.js';
import { measureCpu } from './cpu.js';
import { percentile } from './stats.js';

/**
 * npm run bench:command [-- --commands 200 --gap 100 --broker mqtt://… --trace]
 * The real daemon (createDaemon) behind a real broker (Mosquitto when installed), the simulator
 * on loopback with a car that requires signed commands and has the daemon's key paired. For each
 * MQTT `/set` it times the moment the car receives the signed command (the simulator's vehicle
 * side, in the same process), and counts the HTTP requests the command caused at the simulator.
 * Progress goes to stderr; the report to stdout, its last line one JSON object.
 */
const { values } = parseArgs({
  options: {
    commands: { type: 'string', default: '200' },
    broker: { type: 'string' },
    gap: { type: 'string', default: '100' },
    trace: { type: 'boolean', default: false },
  },
});
/** Idle time between one command's state on MQTT and the next /set, ms (0: back to back). */
const gapMs = Number(values.gap);
const commands = Number(values.commands);
if (!Number.isInteger(commands) || commands < 10 || !(gapMs >= 0)) {
  process.stderr.write(
    'usage: npm run bench:command -- [--commands N (>= 10)] [--gap MS (default 100; 0 = back to back)] [--broker mqtt://host:port] [--trace]\n',
  );
  process.exit(2);
}

const clock = new SystemClock();
const { dir, cleanup } = await tempDir('teslahub-bench-command-');
const broker = values.broker ? { kind: 'external', url: values.broker, close: async () => undefined } : await startBroker();
const sim = new Simulator({ clock, rateLimits: false });
await sim.start();
const keyPath = join(dir, 'keys', 'private-key.pem');
await writeKeyPair(keyPath, false);
const car = sim.world.requireVehicle(DEMO_VIN);
sim.world.patchVehicle(DEMO_VIN, { commandSigning: 'required', pairKey: await loadPublicKeyPem(keyPath), userPresent: true });

await writeFile(
  join(dir, 'config.yaml'),
  [
    `log_level: ${values.trace ? 'debug' : 'warn'}`,
    'tesla:',
    `  client_id: ${DEMO_CLIENT_ID}`,
    `  client_secret: ${DEMO_CLIENT_SECRET}`,
    `  auth_base_url: ${sim.authBaseUrl}`,
    `  api_base_url: ${sim.regionBaseUrl('na')}`,
    `  private_key: ${keyPath}`,
    '  domain: teslahub.example.com',
    'mqtt:',
    `  url: ${broker.url}`,
    '  client_id: teslahub-bench',
    'http:',
    '  port: 0',
    'polling:',
    // Only what the commands cause: no polling of its own between them.
    '  enabled: false',
    '',
  ].join('\n'),
);
const loaded = loadConfig({ file: join(dir, 'config.yaml'), cwd: dir, env: {} });
if (!loaded.ok) throw new Error(`bench config invalid: ${JSON.stringify(loaded.issues)}`);
const sink = new MemorySink();
const daemon = await createDaemon({
  loaded: loaded.loaded,
  demo: false,
  clock,
  log: new Logger({ level: values.trace ? 'debug' : 'warn', format: 'pretty', sink, clock }),
});
await daemon.lifecycle.start();
await daemon.tokens.adopt(toTokenSet(sim.issueTokens() as unknown as TokenEndpointResponse, clock.now()));
const probe = await MqttProbe.connect(broker.url, ['teslahub/#']);
// The commanding client sets TCP_NODELAY, as Home Assistant's MQTT client (paho) does.
const publisher = await mqtt.connectAsync(broker.url, { clientId: `bench-publisher-${process.pid}` });
(publisher.stream as Partial<Socket>).setNoDelay?.(true);
const V = `teslahub/vehicle/${DEMO_VIN}`;
daemon.bus.emit('devices.refresh', { reason: 'bench' });
await probe.waitFor(`${V}/charge_limit`, () => true, 15_000);

let arrival: number | undefined;
car.vcp.observers.add((exchange) => {
  if (exchange.kind === 'command' && exchange.executed) arrival = performance.now();
});

interface Sample {
  ms: number;
  signed: number;
  all: number;
}

/** One MQTT /set, until its state is back on MQTT (so the confirming refresh is over too). */
async function one(limit: number): Promise<Sample> {
  const before = sim.requests().length;
  const mark = probe.mark;
  arrival = undefined;
  const sent = performance.now();
  await publisher.publishAsync(`${V}/charge_limit/set`, String(limit), { qos: 1 });
  const result = await probe.waitFor('teslahub/bridge/event', (m) => m.payload.includes('"command_result"'), 15_000, mark);
  if (!result.payload.includes('"ok":true')) throw new Error(`command failed: ${result.payload}`);
  await probe.waitFor(`${V}/charge_limit`, (m) => m.payload === String(limit), 15_000, mark);
  if (arrival === undefined) throw new Error('the car never received the signed command');
  const requests = sim
    .requests()
    .slice(before)
    .filter((r) => r.vin === DEMO_VIN || r.path.includes(DEMO_VIN));
  return { ms: arrival - sent, signed: requests.filter((r) => r.path.endsWith('/signed_command')).length, all: requests.length };
}

try {
  const first = await one(81);
  process.stderr.write(`first command: ${first.ms.toFixed(2)} ms, ${first.signed} signed_command of ${first.all} requests\n`);
  const samples: Sample[] = [];
  for (let i = 0; i < commands; i++) {
    if (gapMs > 0) await clock.sleep(gapMs);
    samples.push(await one(i % 2 === 0 ? 70 : 71));
    if ((i + 1) % 50 === 0) process.stderr.write(`${i + 1}/${commands} commands\n`);
  }
  if (values.trace) process.stderr.write(`${sink.lines.slice(-30).join('\n')}\n`);
  const times = samples.map((s) => s.ms).sort((a, b) => a - b);
  const cpu = measureCpu();
  const signedCounts = new Set(samples.map((s) => s.signed));
  const allCounts = samples.map((s) => s.all).sort((a, b) => a - b);
  const report = {
    commands,
    gap_ms: gapMs,
    broker: broker.kind,
    first_command_ms: round(first.ms),
    first_command_http_requests: first.signed,
    first_command_all_http_requests: first.all,
    next_command_http_requests: Math.max(...signedCounts),
    next_command_all_http_requests: percentile(allCounts, 50),
    p50_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
    max_ms: round(times.at(-1) ?? 0),
    ...cpu,
    p95_under_20_ms: percentile(times, 95) < 20,
  };
  process.stdout.write(
    [
      `MQTT /set → signed_command at the car (${commands} commands after the first, ${gapMs} ms apart, broker: ${broker.kind})`,
      `  first command (handshake):  ${report.first_command_ms} ms, ${report.first_command_http_requests} signed_command requests (${report.first_command_all_http_requests} requests in all)`,
      `  next commands:              p50 ${report.p50_ms} ms, p95 ${report.p95_ms} ms, max ${report.max_ms} ms, ${report.next_command_http_requests} signed_command request each (${report.next_command_all_http_requests} in all)`,
      `  CPU: sign ${cpu.sign_us} µs, car verify ${cpu.verify_us} µs, handshake (ECDH + tag) ${cpu.handshake_us} µs per operation`,
      JSON.stringify(report),
      '',
    ].join('\n'),
  );
} finally {
  await probe.close();
  await publisher.endAsync();
  await daemon.lifecycle.stop();
  await sim.stop();
  await broker.close();
  await cleanup();
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
