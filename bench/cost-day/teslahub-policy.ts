import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TokenEndpointResponse } from 'openid-client';
import { toTokenSet } from '../../src/auth/token-exchange.js';
import { loadConfig } from '../../src/config/load.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import { emptyCounts, type CategoryCounts, BILLING_CATEGORIES } from '../../src/fleet/pricing.js';
import { createDaemon } from '../../src/main.js';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from '../../src/simulator/index.js';
import type { PolicyContext, RunningPolicy } from './policy.js';
import { descriptorFor } from '../../src/model/tables.js';
import type { VehicleSource } from '../../src/model/sources.js';

/**
 * teslahub as a user runs it: the real composition root with the default config (automatic
 * polling, default cadences), pointed at the simulator. The bench reads only the daemon's public
 * surface (registry, ledger, tokens), so it keeps working while the vehicle policy is rewritten.
 */
export async function startTeslahub(context: PolicyContext): Promise<RunningPolicy> {
  const { sim, clock } = context;
  const { daemon, sink } = await createBenchDaemon(context);
  await daemon.lifecycle.start();
  // A login without a browser: the same token response the OAuth callback would receive.
  const response = sim.issueTokens() as unknown as TokenEndpointResponse;
  await daemon.tokens.adopt(toTokenSet(response, clock.now()));
  const started = clock.now();

  return {
    view: {
      dataAt: (vin) => daemon.registry.vehicle(vin)?.dataAt,
      batteryLevel: (vin) => shownBatteryLevel(daemon.registry.vehicle(vin)),
      wallConnectorAt: (vin) => {
        let best: number | undefined;
        for (const connector of daemon.registry.wallConnectors()) {
          if (connector.live?.vin !== vin || connector.liveAt === undefined) continue;
          if (best === undefined || connector.liveAt > best) best = connector.liveAt;
        }
        return best;
      },
    },
    meterCounts: () => ledgerCounts(daemon.ledger, started, clock.now()),
    warnings: () => sink.lines.slice(),
    stop: async () => {
      const report = await daemon.lifecycle.stop();
      if (!report.clean) throw new Error(`the daemon did not stop cleanly: ${JSON.stringify(report.failures)}`);
    },
  };
}

/**
 * The daemon as a user runs it, pointed at the simulator: default cadences, a private embedded
 * broker and web port per run (port 0, nothing reaches the outside). `extra` holds more config
 * lines (the streaming run's `telemetry:` block); `domain` goes under `tesla:`.
 */
export async function createBenchDaemon(context: PolicyContext, options: { domain?: string; extra?: string[] } = {}) {
  const { sim, clock, transport, dir } = context;
  const file = join(dir, 'config.yaml');
  await writeFile(
    file,
    [
      'log_level: warn',
      'tesla:',
      `  client_id: ${DEMO_CLIENT_ID}`,
      `  client_secret: ${DEMO_CLIENT_SECRET}`,
      `  auth_base_url: ${sim.authBaseUrl}`,
      `  api_base_url: ${sim.regionBaseUrl('na')}`,
      ...(options.domain ? [`  domain: ${options.domain}`] : []),
      'mqtt:',
      '  embedded:',
      '    port: 0',
      'http:',
      '  port: 0',
      'polling:',
      '  enabled: true',
      '  vehicle:',
      // The one setting a user changes when the state call turns out to be billed; cadences stay default.
      `    state_call_billed: ${context.stateCallBilled}`,
      ...(options.extra ?? []),
      '',
    ].join('\n'),
  );
  const loaded = loadConfig({ file, cwd: dir, env: {} });
  if (!loaded.ok) throw new Error(`bench config invalid: ${JSON.stringify(loaded.issues)}`);
  const sink = new MemorySink();
  const log = new Logger({ level: 'warn', format: 'pretty', sink, clock });
  const daemon = await createDaemon({ loaded: loaded.loaded, demo: false, clock, log, transport });
  return { daemon, sink, config: loaded.loaded.config };
}

/** The ledger keeps calendar months (UTC); a run may touch two. */
export function ledgerCounts(ledger: { month(month?: string): { counts: CategoryCounts } }, from: number, to: number): CategoryCounts {
  const months = new Set([new Date(from).toISOString().slice(0, 7), new Date(to).toISOString().slice(0, 7)]);
  const total = emptyCounts();
  for (const month of months) {
    const counts = ledger.month(month).counts;
    for (const category of BILLING_CATEGORIES) total[category] += counts[category];
  }
  return total;
}

/** What the daemon's battery_level entity shows (MQTT and the page read the same row). */
export function shownBatteryLevel(source: VehicleSource | undefined): number | undefined {
  const row = descriptorFor('vehicle', 'battery_level');
  if (!source || row?.platform !== 'sensor') return undefined;
  const value = row.value(source);
  return typeof value === 'number' ? value : undefined;
}
