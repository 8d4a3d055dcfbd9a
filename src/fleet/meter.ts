import type { BillingCategory } from './pricing.js';

export interface UsageSink {
  record(category: BillingCategory, at: number, count?: number): void;
}

export interface MeterOptions {
  sink: UsageSink;
  /**
   * Tesla does not say whether the vehicle state call (GET /api/1/vehicles/{vin}) is billed;
   * Home Assistant treats it as free. Counted as data when true.
   */
  stateCallBilled?: boolean;
}

const VEHICLE_STATE = /^\/api\/1\/vehicles\/[^/]+$/;

/**
 * Knows which Fleet API calls Tesla bills and in which category, and records each billed
 * response. Tesla bills every response below 500, including errors such as 408 and 429.
 */
export class BillingMeter {
  private readonly options: MeterOptions;

  constructor(options: MeterOptions) {
    this.options = options;
  }

  categoryOf(method: string, apiPath: string): BillingCategory | null {
    if (apiPath.endsWith('/vehicle_data')) return 'data';
    if (method === 'POST' && apiPath.endsWith('/wake_up')) return 'wake';
    if (method === 'POST' && (apiPath.includes('/command/') || apiPath.endsWith('/signed_command'))) return 'command';
    if (method === 'GET' && VEHICLE_STATE.test(apiPath)) return this.options.stateCallBilled ? 'data' : null;
    return null;
  }

  /** Records the response if it is billed; returns its category or null. */
  record(method: string, apiPath: string, status: number, at: number): BillingCategory | null {
    const category = this.categoryOf(method, apiPath);
    if (category === null || status >= 500) return null;
    this.options.sink.record(category, at);
    return category;
  }
}
