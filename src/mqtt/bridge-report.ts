import { accountReport } from '../auth/account-report.js';
import type { TokenManager } from '../auth/token-manager.js';
import type { Clock } from '../core/clock.js';
import type { HealthRegistry } from '../core/health.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import type { BridgeSource } from '../model/sources.js';
import type { BudgetStatus } from '../poller/budget.js';
import type { UsageLedger } from '../storage/usage-ledger.js';

export interface BridgeReportDeps {
  clock: Clock;
  ledger: UsageLedger;
  tokens: TokenManager;
  registry: DeviceRegistry;
  naming: DeviceNaming;
  health: HealthRegistry;
  wantedScopes: readonly string[];
  budgetUsd: number;
  budget: () => BudgetStatus;
  version: string;
  demo: boolean;
  /** Fleet Telemetry per car (stream or poll, and why), when it is enabled. */
  telemetry?: (() => unknown) | undefined;
  /** How often last_poll may move (default a minute): the polling round, not every device's poll. */
  roundMs?: number;
}

/** What the daemon says about itself: the `bridge/info` document and the bridge device's entity source. */
export class BridgeReport {
  private readonly started: number;
  private lastPollAt: { value: number | undefined; at: number } | undefined;
  private readonly deps: BridgeReportDeps;

  constructor(deps: BridgeReportDeps) {
    this.deps = deps;
    this.started = deps.clock.now();
  }

  info(): Record<string, unknown> {
    const { registry, naming, tokens, ledger, health } = this.deps;
    const usage = ledger.month();
    const budget = this.deps.budget();
    return {
      version: this.deps.version,
      mode: this.deps.demo ? 'demo' : 'normal',
      started_at: new Date(this.started).toISOString(),
      account: accountReport(tokens, this.deps.wantedScopes),
      api_usage: { month: usage.month, usd: round2(usage.usd), budget_usd: this.deps.budgetUsd, counts: usage.counts },
      budget: { mode: budget.mode, projected_usd: round2(budget.projectedUsd) },
      devices: registry.all().map((ref) => ({ kind: ref.kind, id: ref.id, topic_id: naming.topicId(ref) })),
      health: health.report(),
      ...(this.deps.telemetry ? { telemetry: this.deps.telemetry() } : {}),
    };
  }

  source(): BridgeSource {
    const state = this.deps.tokens.state();
    return {
      kind: 'bridge',
      version: this.deps.version,
      spendUsd: round2(this.deps.ledger.month().usd),
      budgetUsd: this.deps.budgetUsd,
      lastPoll: this.lastPoll(),
      tokenExpiry: state.kind === 'ok' ? state.expiresAt : undefined,
      accountConnected: state.kind === 'ok',
    };
  }

  /** The latest poll of any device, read again at most once a round (polls are spread over it). */
  private lastPoll(): number | undefined {
    const now = this.deps.clock.now();
    const cached = this.lastPollAt;
    if (cached && cached.value !== undefined && now - cached.at < (this.deps.roundMs ?? 60_000)) return cached.value;
    let latest: number | undefined;
    for (const v of this.deps.registry.vehicles()) if (v.dataAt !== undefined && (latest === undefined || v.dataAt > latest)) latest = v.dataAt;
    for (const site of this.deps.registry.sites()) if (site.liveAt !== undefined && (latest === undefined || site.liveAt > latest)) latest = site.liveAt;
    this.lastPollAt = { value: latest, at: now };
    return latest;
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
