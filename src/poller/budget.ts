import type { Clock, Timer } from '../core/clock.js';
import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { UsageLedger } from '../storage/usage-ledger.js';

export type BudgetMode = 'normal' | 'slow' | 'stop';

export interface BudgetStatus {
  mode: BudgetMode;
  month: string;
  spentUsd: number;
  projectedUsd: number;
  budgetUsd: number;
}

/** Where a month's spend will end at the pace so far (UTC months, as Tesla bills). */
export function projectMonth(spentUsd: number, now: number): { projectedUsd: number; month: string } {
  const date = new Date(now);
  const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const end = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  // A few hours into a month one call would project to dozens of dollars: wait for a day of data.
  const elapsed = Math.max(now - start, 86_400_000);
  return { projectedUsd: spentUsd * ((end - start) / elapsed), month: date.toISOString().slice(0, 7) };
}

/**
 * The budget's rule (a pure function): `slow` stretches billed polling once the month's spend is
 * projected past the budget; `stop` makes no billed calls once the spend reaches it (and warns
 * while it is only projected).
 */
export function budgetMode(spentUsd: number, projectedUsd: number, budgetUsd: number, onLimit: 'slow' | 'stop'): BudgetMode {
  if (onLimit === 'stop') return spentUsd >= budgetUsd ? 'stop' : projectedUsd > budgetUsd ? 'slow' : 'normal';
  return projectedUsd > budgetUsd || spentUsd >= budgetUsd ? 'slow' : 'normal';
}

const CHECK_EVERY_MS = 5 * 60_000;

/** Keeps the budget's mode current, and says so when it changes (log, event, bridge/info). */
export class Budget implements Service {
  readonly name = 'budget';
  private timer: Timer | undefined;
  private current: BudgetStatus;
  private readonly deps: { ledger: UsageLedger; clock: Clock; log: Logger; bus: EventBus<DaemonEvents>; budgetUsd: number; onLimit: 'slow' | 'stop' };

  constructor(deps: Budget['deps']) {
    this.deps = deps;
    this.current = this.compute();
  }

  get status(): BudgetStatus {
    return this.current;
  }

  get mode(): BudgetMode {
    return this.current.mode;
  }

  async start(): Promise<void> {
    this.check();
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
  }

  check(): void {
    const next = this.compute();
    const previous = this.current;
    this.current = next;
    if (next.mode !== previous.mode || next.month !== previous.month) this.announce(next, previous);
    this.timer?.cancel();
    this.timer = this.deps.clock.setTimeout(() => this.check(), CHECK_EVERY_MS);
  }

  private compute(): BudgetStatus {
    const now = this.deps.clock.now();
    const usage = this.deps.ledger.month();
    const { projectedUsd, month } = projectMonth(usage.usd, now);
    return {
      mode: budgetMode(usage.usd, projectedUsd, this.deps.budgetUsd, this.deps.onLimit),
      month,
      spentUsd: usage.usd,
      projectedUsd,
      budgetUsd: this.deps.budgetUsd,
    };
  }

  private announce(next: BudgetStatus, previous: BudgetStatus): void {
    const figures = `$${next.spentUsd.toFixed(2)} spent in ${next.month}, $${next.projectedUsd.toFixed(2)} projected, budget $${next.budgetUsd.toFixed(2)}`;
    const message =
      next.mode === 'normal'
        ? `API budget: back to normal polling (${figures})`
        : next.mode === 'slow'
          ? `API budget: polling slowed down (${figures}); charging is still watched (fix: raise budget.monthly_usd if this is expected)`
          : `API budget: billed polling stopped until the month turns (${figures}); free calls and commands go on (fix: raise budget.monthly_usd)`;
    if (next.mode === 'normal') this.deps.log.info(message);
    else this.deps.log.warn(message);
    this.deps.bus.emit('bridge.event', {
      type: 'budget',
      mode: next.mode,
      previous: previous.mode,
      month: next.month,
      spent_usd: round2(next.spentUsd),
      projected_usd: round2(next.projectedUsd),
      budget_usd: next.budgetUsd,
    });
    this.deps.bus.emit('budget.changed', next);
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
