import { join } from 'node:path';
import { z } from 'zod';
import type { Clock, Timer } from '../core/clock.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import { BILLING_CATEGORIES, type BillingCategory, type CategoryCounts, costUsd, emptyCounts } from '../fleet/pricing.js';
import { JsonStore, zodParser } from './json-store.js';

export const USAGE_FILE = 'usage.json';
const KEEP_DAYS = 400;
const FLUSH_DELAY_MS = 1_000;

const countsSchema = z.object(Object.fromEntries(BILLING_CATEGORIES.map((c) => [c, z.number().int().min(0)])) as Record<BillingCategory, z.ZodNumber>);
const usageSchema = z.object({
  version: z.literal(1),
  /** Billed requests per UTC day (Tesla bills per calendar month). */
  days: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), countsSchema),
});
type UsageFile = z.infer<typeof usageSchema>;

export interface MonthUsage {
  month: string;
  counts: CategoryCounts;
  usd: number;
  days: { day: string; counts: CategoryCounts; usd: number }[];
}

/**
 * Every billed Fleet API request, counted per day and category, on disk. Writes are coalesced
 * (at most one per second, and on stop), so a burst of calls costs one disk write; a crash loses
 * at most the last second of counts.
 */
export class UsageLedger implements Service {
  readonly name = 'usage-ledger';
  private timer: Timer | undefined;
  private dirty = false;
  private flushing: Promise<void> = Promise.resolve();
  private readonly store: JsonStore<UsageFile>;
  private readonly clock: Clock;
  private readonly log: Logger;

  private constructor(store: JsonStore<UsageFile>, clock: Clock, log: Logger) {
    this.store = store;
    this.clock = clock;
    this.log = log;
  }

  static async open(dataDir: string, log: Logger, clock: Clock): Promise<UsageLedger> {
    const store = await JsonStore.open<UsageFile>({
      file: join(dataDir, USAGE_FILE),
      secret: false,
      defaults: () => ({ version: 1, days: {} }),
      parse: zodParser(usageSchema),
      log,
      clock,
    });
    return new UsageLedger(store, clock, log);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.flushing;
    await this.flush();
  }

  record(category: BillingCategory, at: number, count = 1): void {
    const day = utcDay(at);
    const data = this.store.data as UsageFile;
    const counts = (data.days[day] ??= emptyCounts());
    counts[category] += count;
    this.dirty = true;
    this.timer ??= this.clock.setTimeout(() => {
      this.timer = undefined;
      // A failed write (a full disk) is logged; the counts stay in memory for the next one.
      this.flushing = this.flush().catch((error: unknown) => {
        this.dirty = true;
        this.log.error('could not save the API usage ledger', { error: error instanceof Error ? error : String(error) });
      });
    }, FLUSH_DELAY_MS);
  }

  async flush(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const cutoff = utcDay(this.clock.now() - KEEP_DAYS * 86_400_000);
    await this.store.update((data) => {
      for (const day of Object.keys(data.days)) if (day < cutoff) delete data.days[day];
    });
  }

  /** Usage of a calendar month (`YYYY-MM`, UTC); this month when omitted. */
  month(month = utcDay(this.clock.now()).slice(0, 7)): MonthUsage {
    const days = Object.entries(this.store.data.days)
      .filter(([day]) => day.startsWith(`${month}-`))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, counts]) => ({ day, counts: { ...counts }, usd: costUsd(counts) }));
    const counts = emptyCounts();
    for (const day of days) for (const category of BILLING_CATEGORIES) counts[category] += day.counts[category];
    return { month, counts, usd: costUsd(counts), days };
  }
}

export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}
