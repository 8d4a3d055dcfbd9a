import type { EntityDescriptor } from './descriptors.js';
import { round } from './read.js';
import type { BridgeSource } from './sources.js';

/**
 * teslahub's own device: what the Fleet API costs, and whether the account works. Keys become
 * `<base>/bridge/<key>`, so none may be one of the bridge's own topics (state, info, event, request, response).
 */

type BridgeRow = EntityDescriptor<BridgeSource>;

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

export const BRIDGE_ENTITIES: readonly BridgeRow[] = [
  // Billed this calendar month; it starts again from zero with the month, as Tesla's bill does.
  {
    platform: 'sensor',
    key: 'api_spend',
    name: 'API spend this month',
    deviceClass: 'monetary',
    unit: 'USD',
    stateClass: 'total',
    precision: 2,
    value: (s) => round(s.spendUsd, 4),
  },
  // Negative once the budget is overspent: that is worth seeing, not hiding behind a zero.
  {
    platform: 'sensor',
    key: 'budget_left',
    name: 'Budget left',
    deviceClass: 'monetary',
    unit: 'USD',
    precision: 2,
    value: (s) => round(s.budgetUsd - s.spendUsd, 4),
  },
  { platform: 'sensor', key: 'last_poll', name: 'Last poll', category: 'diagnostic', deviceClass: 'timestamp', value: (s) => iso(s.lastPoll) },
  { platform: 'sensor', key: 'token_expiry', name: 'Token expiry', category: 'diagnostic', deviceClass: 'timestamp', value: (s) => iso(s.tokenExpiry) },
  { platform: 'binary_sensor', key: 'account_connected', name: 'Tesla account', deviceClass: 'connectivity', value: (s) => s.accountConnected },
];
