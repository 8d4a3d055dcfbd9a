import { readFileSync } from 'node:fs';
import { runSize, type SizeSpec } from './run-size.js';

/**
 * npm run bench:footprint — the daemon alone (compiled dist/, as the Docker image runs it) against
 * the simulator in its own process and a real Mosquitto, in three sizes: the demo house, 100
 * energy sites, 1,000 energy sites with 100 cars. Progress goes to stderr; the figures to stdout,
 * the last line one JSON object.
 *
 * The durations are the default. For a quicker look while developing:
 *   FOOTPRINT_MINUTES=2 FOOTPRINT_AFTER_BURST_MINUTES=1 FOOTPRINT_SIZES=demo,sites100 npm run bench:footprint
 * FOOTPRINT_BURST sets the number of commands; FOOTPRINT_NODE_OPTIONS replaces the image's Node settings;
 * FOOTPRINT_NODE_FLAGS adds flags to the daemon's node command line (those NODE_OPTIONS refuses, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` for a CPU profile, written when the daemon stops).
 */
const SIZES: SizeSpec[] = [{ key: 'demo' }, { key: 'sites100', fleet: { sites: 100, cars: 0 } }, { key: 'sites1000', fleet: { sites: 1000, cars: 100 } }];

function number(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!(value > 0)) {
    process.stderr.write(`${name}=${text} is not a positive number\n`);
    process.exit(2);
  }
  return value;
}

/** How the Docker image runs Node (docker/Dockerfile): its ENV and the flags of its ENTRYPOINT. */
function dockerRuntime(): { env: Record<string, string>; flags: string[] } {
  const dockerfile = readFileSync(new URL('../../docker/Dockerfile', import.meta.url), 'utf8');
  const env: Record<string, string> = {};
  for (const name of ['NODE_OPTIONS', 'MALLOC_ARENA_MAX', 'UV_THREADPOOL_SIZE']) {
    const value = new RegExp(`\\b${name}=("([^"]*)"|(\\S+))`).exec(dockerfile);
    if (value) env[name] = value[2] ?? value[3] ?? '';
  }
  const entry = /^ENTRYPOINT \[(.*)\]/m.exec(dockerfile)?.[1] ?? '';
  const flags = [...entry.matchAll(/"(--[^"]+)"/g)].map((m) => m[1] as string);
  return { env, flags };
}

const wanted = (process.env.FOOTPRINT_SIZES ?? SIZES.map((s) => s.key).join(',')).split(',').map((s) => s.trim());
const sizes = SIZES.filter((s) => wanted.includes(s.key));
if (sizes.length === 0) {
  process.stderr.write(`FOOTPRINT_SIZES must name some of ${SIZES.map((s) => s.key).join(', ')}\n`);
  process.exit(2);
}
function runtime(): { nodeOptions: string[]; env: Record<string, string> } {
  const docker = dockerRuntime();
  const extra = (process.env.FOOTPRINT_NODE_FLAGS ?? '').split(/\s+/).filter((flag) => flag !== '');
  if (process.env.FOOTPRINT_NODE_OPTIONS !== undefined) return { nodeOptions: extra, env: { NODE_OPTIONS: process.env.FOOTPRINT_NODE_OPTIONS } };
  return { nodeOptions: [...docker.flags, ...extra], env: docker.env };
}

const options = {
  idleMinutes: number('FOOTPRINT_MINUTES', 5),
  afterBurstMinutes: number('FOOTPRINT_AFTER_BURST_MINUTES', 2),
  burst: number('FOOTPRINT_BURST', 500),
  ...runtime(),
  progress: (line: string) => process.stderr.write(`${line}\n`),
};
const figures: Record<string, number | string | null> = {
  node: process.version,
  node_flags: [...options.nodeOptions, ...Object.entries(options.env).map(([k, v]) => `${k}=${v}`)].join(' '),
  idle_minutes: options.idleMinutes,
  after_burst_minutes: options.afterBurstMinutes,
};
for (const size of sizes) Object.assign(figures, await runSize(size, options));
// The names the issue asks for, whatever the durations.
for (const size of sizes) {
  const k = size.key;
  if (figures[`${k}_rss_after_burst_${options.afterBurstMinutes}min_mib`] !== undefined)
    figures[`${k}_rss_after_burst_later_mib`] = figures[`${k}_rss_after_burst_${options.afterBurstMinutes}min_mib`] ?? null;
  if (k === 'sites1000') figures.sites1000_rss_mib = figures.sites1000_rss_idle_mib ?? null;
}
for (const [key, value] of Object.entries(figures)) process.stdout.write(`${key.padEnd(42)} ${value}\n`);
process.stdout.write(`${JSON.stringify(figures)}\n`);
process.exit(0);
