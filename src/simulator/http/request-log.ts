import type { BillingCategory, BillingReport, SimRequest } from '../types.js';
import type { SimContext } from './context.js';

/** Tesla's prices per request. */
export const PRICES_USD: Record<BillingCategory, number> = { data: 0.002, command: 0.001, wake: 0.02, signal: 1 / 150_000 };

/**
 * Every answered request in order, and what Tesla would bill for them. Counts and cost are kept
 * apart from the entries, so a long demo can cap the entries without losing the bill.
 */
export class RequestLog {
  private readonly entries: SimRequest[] = [];
  private readonly billed: SimRequest[] = [];
  private readonly counts: Record<BillingCategory, number> = { data: 0, command: 0, wake: 0, signal: 0 };
  private readonly limit: number;

  constructor(limit = Infinity) {
    this.limit = limit;
  }

  add(entry: SimRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.shift();
    if (entry.billed && entry.category) {
      this.counts[entry.category] += 1;
      this.billed.push(entry);
      if (this.billed.length > this.limit) this.billed.shift();
    }
  }

  /** Streamed values (Fleet Telemetry) are billed per value, not per request. */
  addSignals(count: number): void {
    this.counts.signal += count;
  }

  requests(): SimRequest[] {
    return [...this.entries];
  }

  billing(): BillingReport {
    const counts = { ...this.counts };
    const usd = counts.data * PRICES_USD.data + counts.command * PRICES_USD.command + counts.wake * PRICES_USD.wake + counts.signal * PRICES_USD.signal;
    return { counts, usd, entries: [...this.billed] };
  }

  clear(): void {
    this.entries.length = 0;
    this.billed.length = 0;
    for (const key of Object.keys(this.counts) as BillingCategory[]) this.counts[key] = 0;
  }
}

/** The log entry of an answered request: billed when it has a category and its status is below 500. */
export function simRequest(ctx: SimContext, at: number): SimRequest {
  const status = ctx.res.statusCode;
  const { record } = ctx;
  return {
    at,
    method: ctx.method,
    path: ctx.path,
    query: ctx.query,
    status,
    category: record.category,
    billed: record.category !== null && status < 500,
    ...(record.region ? { region: record.region } : {}),
    ...(record.grantType !== undefined ? { grantType: record.grantType } : {}),
    ...(record.vin !== undefined ? { vin: record.vin } : {}),
    ...(record.siteId !== undefined ? { siteId: record.siteId } : {}),
  };
}
