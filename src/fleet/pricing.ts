/** Tesla's billing categories and prices in USD per request. */
export const BILLING_CATEGORIES = ['data', 'command', 'wake', 'signal'] as const;
export type BillingCategory = (typeof BILLING_CATEGORIES)[number];

export const PRICE_USD: Record<BillingCategory, number> = {
  data: 1 / 500,
  command: 1 / 1000,
  wake: 1 / 50,
  signal: 1 / 150_000,
};

export type CategoryCounts = Record<BillingCategory, number>;

export function emptyCounts(): CategoryCounts {
  return { data: 0, command: 0, wake: 0, signal: 0 };
}

export function costUsd(counts: CategoryCounts): number {
  return BILLING_CATEGORIES.reduce((sum, category) => sum + counts[category] * PRICE_USD[category], 0);
}
