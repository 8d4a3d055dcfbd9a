import type { TokenManager } from '../auth/token-manager.js';
import type { Config } from '../config/schema.js';
import type { Base } from '../core/base.js';
import type { FleetClient } from '../fleet/client.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import type { UsageLedger } from '../storage/usage-ledger.js';
import { openBatteryStore } from './battery-store.js';
import { Budget } from './budget.js';
import { Poller, type PollerDeps } from './poller.js';

export interface PollingInput {
  config: Config;
  fleet: FleetClient;
  tokens: TokenManager;
  registry: DeviceRegistry;
  naming: DeviceNaming;
  ledger: UsageLedger;
  /** Fleet Telemetry's word on a car, when streaming is enabled. */
  streaming?: PollerDeps['streaming'];
}

export interface Polling {
  budget: Budget;
  poller: Poller;
}

/**
 * The monthly budget and the poller it governs (the budget starts first, the poller last of all),
 * with the file where the battery estimate keeps what it learned when that estimate is on.
 */
export async function createPolling(base: Base, input: PollingInput): Promise<Polling> {
  const { config } = input;
  const { clock, bus } = base;
  const batteryStore = config.polling.vehicle.estimate_battery ? await openBatteryStore(config.data_dir, base.log.child('storage'), clock) : undefined;
  const budget = new Budget({
    ledger: input.ledger,
    clock,
    log: base.log.child('budget'),
    bus,
    budgetUsd: config.budget.monthly_usd,
    onLimit: config.budget.on_limit,
  });
  const poller = new Poller({
    fleet: input.fleet,
    registry: input.registry,
    naming: input.naming,
    tokens: input.tokens,
    bus,
    clock,
    log: base.log.child('poller'),
    polling: config.polling,
    budget: () => budget.mode,
    batteryStore,
    ...(input.streaming ? { streaming: input.streaming } : {}),
  });
  return { budget, poller };
}
