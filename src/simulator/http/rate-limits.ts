import type { BillingCategory } from '../types.js';

/** Per vehicle and minute, as Tesla's billing-and-limits page lists them. */
export const RATE_LIMITS: Partial<Record<BillingCategory, number>> = { data: 60, command: 30, wake: 3 };

const WINDOW_MS = 60_000;

export type RateDecision = { ok: true } | { ok: false; retryAfterS: number; limit: number };

/** A sliding one-minute window per vehicle and category; refused requests do not count. */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  check(vin: string, category: BillingCategory, now: number): RateDecision {
    const limit = RATE_LIMITS[category];
    if (limit === undefined) return { ok: true };
    const key = `${vin}|${category}`;
    const recent = (this.windows.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
    if (recent.length >= limit) {
      this.windows.set(key, recent);
      const oldest = recent[0] ?? now;
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)), limit };
    }
    recent.push(now);
    this.windows.set(key, recent);
    return { ok: true };
  }
}
