import { runSize } from './run-size.js';

/**
 * Compares Node flags for the daemon on the demo house (a short run each): which heap settings
 * keep the resident memory of a small box lowest. `tsx bench/footprint/flags-probe.ts "<flags>" …`
 */
for (const flags of process.argv.slice(2)) {
  const words = flags.split(/\s+/).filter(Boolean);
  const nodeOptions = words.filter((w) => w.startsWith('--'));
  const env = Object.fromEntries(
    words.filter((w) => !w.startsWith('--') && w.includes('=')).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] as [string, string]),
  );
  const figures = await runSize(
    { key: 'demo' },
    { idleMinutes: Number(process.env.FOOTPRINT_MINUTES ?? 1), afterBurstMinutes: 0.5, burst: 500, nodeOptions, env, progress: () => undefined },
  );
  process.stdout.write(
    `${JSON.stringify({ flags, idle: figures.demo_rss_idle_mib, start: figures.demo_rss_start_mib, heap: figures.demo_heap_used_idle_mib, burst: figures.demo_rss_after_burst_mib, later: figures['demo_rss_after_burst_0.5min_mib'], cpu: figures.demo_cpu_pct })}\n`,
  );
}
process.exit(0);
