import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startBroker } from '../../test/support/broker.js';
import { freePort, waitUntil } from '../../test/support/net.js';
import { connectAccount } from '../../test/support/oauth.js';
import { tempDir } from '../../test/support/tmp.js';
import { type AnsweredRequest, percentile, publishDelays } from './latency.js';
import { MqttWatch } from './mqtt-watch.js';
import { cpuSeconds, RssWatch, rssMib } from './proc.js';
import { Child } from './processes.js';
import { fleetScenario, siteId } from './scenario.js';

export interface SizeSpec {
  key: 'demo' | 'sites100' | 'sites1000';
  /** Energy sites and cars of a generated fleet; undefined: the simulator's demo house. */
  fleet?: { sites: number; cars: number };
}

export interface RunOptions {
  idleMinutes: number;
  afterBurstMinutes: number;
  burst: number;
  /** Node flags and environment for the daemon, as the Docker image sets them. */
  nodeOptions: string[];
  env?: Record<string, string>;
  progress: (line: string) => void;
}

const MIN = 60_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const round1 = (n: number | null): number | null => (n === null ? null : Math.round(n * 10) / 10);

async function heapUsedMib(baseUrl: string): Promise<number | null> {
  const text = await fetch(`${baseUrl}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const match = /^teslahub_process_heap_used_bytes (\d+)/m.exec(text);
  return match?.[1] ? Number(match[1]) / 1024 / 1024 : null;
}

async function simRequests(simUrl: string): Promise<AnsweredRequest[]> {
  const body = (await (await fetch(`${simUrl}/__sim/requests`)).json()) as { requests: AnsweredRequest[] };
  return body.requests;
}

function configLines(sim: { auth: string; fleet: string }, brokerUrl: string, httpPort: number, dataDir: string): string {
  return [
    'log_level: info',
    `data_dir: ${dataDir}`,
    'tesla:',
    '  client_id: teslahub-demo',
    '  client_secret: teslahub-demo-secret',
    `  auth_base_url: ${sim.auth}`,
    `  api_base_url: ${sim.fleet}`,
    'mqtt:',
    `  url: ${brokerUrl}`,
    '  client_id: teslahub-footprint',
    'http:',
    `  port: ${httpPort}`,
    '',
  ].join('\n');
}

/** One size: start, idle, measure, burst, measure again, stop. Figures keyed `<size>_<name>`. */
export async function runSize(size: SizeSpec, options: RunOptions): Promise<Record<string, number | null>> {
  const { dir, cleanup } = await tempDir(`teslahub-footprint-${size.key}-`);
  const broker = await startBroker();
  const say = (line: string): void => options.progress(`[${size.key}] ${line}`);
  let sim: Child | undefined;
  let daemon: Child | undefined;
  let watch: MqttWatch | undefined;
  let rss: RssWatch | undefined;
  try {
    const simArgs = ['simulator', '--port', '0'];
    if (size.fleet) {
      await writeFile(join(dir, 'scenario.json'), JSON.stringify(fleetScenario(size.fleet.sites, size.fleet.cars)));
      simArgs.push('--scenario', join(dir, 'scenario.json'));
    }
    sim = new Child(simArgs, { cwd: dir });
    const fleet = (await sim.waitFor(/fleet na:\s+(\S+)/, 60_000))[1] as string;
    const auth = (await sim.waitFor(/auth:\s+(\S+)/, 5_000))[1] as string;
    const simUrl = ((await sim.waitFor(/controls:\s+(\S+)\/__sim\/world/, 5_000))[1] as string).replace(/\/$/, '');
    const httpPort = await freePort();
    const baseUrl = `http://127.0.0.1:${httpPort}`;
    await writeFile(join(dir, 'config.yaml'), configLines({ auth, fleet }, broker.url, httpPort, join(dir, 'data')));
    watch = await MqttWatch.connect(broker.url, 'teslahub', 'homeassistant');
    const w = watch;
    const started = Date.now();
    daemon = new Child(['run', '-c', join(dir, 'config.yaml')], { cwd: dir, nodeOptions: options.nodeOptions, ...(options.env ? { env: options.env } : {}) });
    const d = daemon;
    if (
      !(await waitUntil(
        () =>
          fetch(`${baseUrl}/healthz`).then(
            () => true,
            () => false,
          ),
        60_000,
      ))
    )
      throw new Error(`the daemon did not listen:\n${d.output}`);
    const listening = Date.now();
    rss = new RssWatch(d.pid, 1000);
    await connectAccount(baseUrl);
    const devices = size.fleet ? size.fleet.sites + Math.ceil(size.fleet.sites / 10) + size.fleet.cars : 3;
    const sites = size.fleet?.sites ?? 1;
    const discovered = await waitUntil(() => [...w.arrivals.keys()].filter((k) => k.startsWith('energy_site/')).length >= sites, 5 * MIN, 500);
    const firstRound = Date.now();
    say(
      `listening after ${((listening - started) / 1000).toFixed(1)} s; every site published ${((firstRound - started) / 1000).toFixed(1)} s after start${discovered ? '' : ' (not all!)'}; ${devices} devices`,
    );
    await sleep(5_000);
    const rssStart = rss.sample();
    const startPeak = rss.peak;

    // Steady state: after a warm-up, count CPU, messages and duplicates until the idle period ends.
    const warmMs = Math.min(2 * MIN, (options.idleMinutes * MIN) / 2);
    await sleep(Math.max(0, firstRound + warmMs - Date.now()));
    const cpu0 = cpuSeconds(d.pid);
    const t0 = Date.now();
    w.resetCounts();
    say(`steady-state window of ${((options.idleMinutes * MIN - warmMs) / MIN).toFixed(1)} min begins`);
    await sleep(Math.max(0, firstRound + options.idleMinutes * MIN - Date.now()));
    const cpu1 = cpuSeconds(d.pid);
    const t1 = Date.now();
    const minutes = (t1 - t0) / MIN;
    const messages = w.messages;
    const duplicates = w.retainedDuplicates;
    const dupTopics = [...w.duplicateTopics.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    const rssIdle = rssMib(d.pid);
    const idlePeak = rss.peak;
    const heapIdle = await heapUsedMib(baseUrl);
    const delays = publishDelays(await simRequests(simUrl), w.arrivals, t0, t1 - 5_000);
    say(
      `idle: rss ${rssIdle.toFixed(1)} MiB, cpu ${(((cpu1 - cpu0) / ((t1 - t0) / 1000)) * 100).toFixed(2)} %, ${(messages / minutes).toFixed(0)} msg/min, ${(duplicates / minutes).toFixed(2)} dup/min ${JSON.stringify(dupTopics)}, ${delays.length} publish delays`,
    );

    // A burst of commands: backup reserve changes spread over the sites, as fast as MQTT takes them.
    rss.reset();
    const client = await mqtt.connectAsync(broker.url, { clientId: `footprint-burst-${process.pid}` });
    const burstStart = Date.now();
    const before = (await simRequests(simUrl)).filter((r) => r.path.endsWith('/backup')).length;
    for (let i = 0; i < options.burst; i += 1) {
      const id = size.fleet ? siteId((i % sites) + 1) : '1234567890123456';
      await client.publishAsync(`teslahub/energy_site/${id}/backup_reserve/set`, String(20 + (i % 60)), { qos: 1 });
    }
    await client.endAsync();
    const done = await waitUntil(
      async () => (await simRequests(simUrl)).filter((r) => r.path.endsWith('/backup')).length - before >= options.burst,
      5 * MIN,
      1000,
    );
    const burstSeconds = (Date.now() - burstStart) / 1000;
    const rssBurst = rss.sample();
    const burstPeak = rss.peak;
    say(
      `burst of ${options.burst} commands ${done ? 'done' : 'NOT all done'} in ${burstSeconds.toFixed(1)} s; rss ${rssBurst.toFixed(1)} MiB (peak ${burstPeak.toFixed(1)})`,
    );
    await sleep(options.afterBurstMinutes * MIN);
    const rssAfter = rssMib(d.pid);
    const heapAfter = await heapUsedMib(baseUrl);

    const stopMs = await d.stop();
    const stopWarnings = d.output.split('\n').filter((line) => /\b(WARN|ERROR)\b/.test(line)).length;
    say(`after ${options.afterBurstMinutes} min: rss ${rssAfter.toFixed(1)} MiB; stopped in ${stopMs} ms with ${stopWarnings} warnings in the whole run`);
    const k = size.key;
    return {
      [`${k}_devices`]: devices,
      [`${k}_start_listening_s`]: round1((listening - started) / 1000),
      [`${k}_start_all_published_s`]: round1((firstRound - started) / 1000),
      [`${k}_rss_start_mib`]: round1(rssStart),
      [`${k}_rss_start_peak_mib`]: round1(startPeak),
      [`${k}_rss_idle_mib`]: round1(rssIdle),
      [`${k}_rss_idle_peak_mib`]: round1(idlePeak),
      [`${k}_heap_used_idle_mib`]: round1(heapIdle),
      [`${k}_cpu_pct`]: Math.round(((cpu1 - cpu0) / ((t1 - t0) / 1000)) * 10_000) / 100,
      [`${k}_cpu_s_per_min`]: Math.round(((cpu1 - cpu0) / minutes) * 1000) / 1000,
      [`${k}_mqtt_msgs_per_min`]: Math.round(messages / minutes),
      [`${k}_retained_duplicates_per_min`]: Math.round((duplicates / minutes) * 100) / 100,
      [`${k}_publish_samples`]: delays.length,
      [`${k}_publish_p50_ms`]: percentile(delays, 50),
      [`${k}_publish_p99_ms`]: percentile(delays, 99),
      [`${k}_burst_commands`]: options.burst,
      [`${k}_burst_s`]: round1(burstSeconds),
      [`${k}_rss_after_burst_mib`]: round1(rssBurst),
      [`${k}_rss_burst_peak_mib`]: round1(burstPeak),
      [`${k}_rss_after_burst_${options.afterBurstMinutes}min_mib`]: round1(rssAfter),
      [`${k}_heap_used_after_burst_mib`]: round1(heapAfter),
      [`${k}_stop_ms`]: stopMs,
      [`${k}_warnings`]: stopWarnings,
    };
  } finally {
    rss?.stop();
    await watch?.close().catch(() => undefined);
    await daemon?.stop().catch(() => 0);
    await sim?.stop().catch(() => 0);
    await broker.close();
    await cleanup();
  }
}
