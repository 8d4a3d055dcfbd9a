import { accountReport } from '../../auth/account-report.js';
import type { TokenManager } from '../../auth/token-manager.js';
import type { Config } from '../../config/schema.js';
import type { Clock } from '../../core/clock.js';
import type { DeviceRef } from '../../core/daemon-events.js';
import type { HealthRegistry, HealthReport } from '../../core/health.js';
import type { DeviceRegistry } from '../../model/device-registry.js';
import type { DeviceNaming } from '../../model/naming.js';
import { at, str } from '../../model/read.js';
import type { VehicleSource } from '../../model/sources.js';
import type { Topics } from '../../mqtt/topics.js';
import type { BudgetStatus } from '../../poller/budget.js';
import type { Decision } from '../../poller/vehicle-policy.js';
import type { UsageLedger } from '../../storage/usage-ledger.js';
import { type DeviceEntry, deviceAddress, deviceEntries, deviceEntry } from './device-view.js';
import type { EventLog } from './event-log.js';
import { type MoneyView, moneyView } from './money.js';
import { type AccountFacts, buildChecklist, nextStep, type Step } from './onboarding.js';
import type { OnboardingChecks } from './onboarding-checks.js';
import type { AutomationsProvider, PairingProvider, StreamingProvider } from './providers.js';

/** Everything the page, the JSON API, the live stream and the metrics read. */
export interface WebDeps {
  clock: Clock;
  version: string;
  demo: boolean;
  tokens: TokenManager;
  health: HealthRegistry;
  registry: DeviceRegistry;
  naming: DeviceNaming;
  topics: Topics;
  ledger: UsageLedger;
  budget: () => BudgetStatus;
  poller: { vehicleDecision(vin: string): Decision | undefined };
  polling: Config['polling'];
  wantedScopes: readonly string[];
  appConfigured: boolean;
  domain: string | undefined;
  onboarding: OnboardingChecks;
  events: EventLog;
  pairing?: PairingProvider | undefined;
  automations?: AutomationsProvider | undefined;
  streaming?: StreamingProvider | undefined;
}

export interface PollStatus {
  lastPollAt: number | undefined;
  next: { at: number; action: string; reason: string } | undefined;
  /** For devices polled on a fixed, free cadence. */
  note: string | undefined;
}

export interface DeviceStatus {
  entry: DeviceEntry;
  address: string;
  connection: string | undefined;
  poll: PollStatus;
}

const ACTION_WORDS: Record<string, string> = { data: 'read its data (billed)', state: 'check whether it is awake (free)', none: 'decide again' };

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

export function pollStatus(entry: DeviceEntry, deps: Pick<WebDeps, 'poller' | 'polling'>): PollStatus {
  const source = entry.source as { kind: string; dataAt?: number; liveAt?: number };
  switch (entry.ref.kind) {
    case 'vehicle': {
      const decision = deps.poller.vehicleDecision(entry.ref.id);
      return {
        lastPollAt: source.dataAt,
        next: decision ? { at: decision.at, action: ACTION_WORDS[decision.action] ?? decision.action, reason: decision.reason } : undefined,
        note: decision ? undefined : deps.polling.enabled ? 'not polled yet' : 'polled only when asked (polling.enabled is false)',
      };
    }
    case 'energy_site':
      return {
        lastPollAt: source.liveAt,
        next: undefined,
        note: deps.polling.enabled ? `live data every ${minutes(deps.polling.energy.live)} (free of charge)` : 'polled only when asked',
      };
    case 'wall_connector':
      return { lastPollAt: source.liveAt, next: undefined, note: "read with its energy site's live data (free of charge)" };
  }
}

function statusOf(entry: DeviceEntry, deps: WebDeps): DeviceStatus {
  return {
    entry,
    address: deviceAddress(entry.identity),
    connection: entry.ref.kind === 'vehicle' ? (entry.source as VehicleSource).connection : undefined,
    poll: pollStatus(entry, deps),
  };
}

export function deviceStatuses(deps: WebDeps): DeviceStatus[] {
  return deviceEntries(deps.registry, deps.naming).map((entry) => statusOf(entry, deps));
}

/** The status of one device, built from that device's data alone. */
export function deviceStatus(deps: WebDeps, ref: DeviceRef): DeviceStatus | undefined {
  const entry = deviceEntry(deps.registry, deps.naming, ref);
  return entry ? statusOf(entry, deps) : undefined;
}

export function accountFacts(tokens: TokenManager): AccountFacts {
  const state = tokens.state();
  switch (state.kind) {
    case 'ok':
      return { kind: 'ok', scopes: state.scopes };
    case 'login_required':
      return { kind: 'login_required', reason: state.reason };
    case 'logged_out':
      return { kind: 'logged_out' };
  }
}

export async function checklist(deps: WebDeps, waitMs: number): Promise<Step[]> {
  const checks = await deps.onboarding.snapshot(waitMs);
  return buildChecklist({
    appConfigured: deps.appConfigured,
    domain: deps.domain,
    checks,
    account: accountFacts(deps.tokens),
    wantedScopes: deps.wantedScopes,
    pairingAvailable: deps.pairing !== undefined,
    vehicles: deps.registry.vehicles().map((v) => {
      const entry = deviceEntry(deps.registry, deps.naming, { kind: 'vehicle', id: v.vin });
      return {
        name: entry?.identity.name ?? v.vin,
        vin: v.vin,
        firmware: str(at(v.data, 'vehicle_state.car_version'))?.split(' ')[0] ?? undefined,
        commandSigning: str(v.summary.command_signing) ?? undefined,
        pairing: deps.pairing?.vehicle(v.vin),
      };
    }),
  });
}

export function money(deps: Pick<WebDeps, 'ledger' | 'budget'>): MoneyView {
  return moneyView(deps.ledger.month(), deps.budget());
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** GET /api/status: the page's facts as JSON (no token, secret or key material). */
export async function statusReport(deps: WebDeps, waitMs: number): Promise<Record<string, unknown>> {
  const steps = await checklist(deps, waitMs);
  const view = money(deps);
  const health: HealthReport = deps.health.report();
  return {
    version: deps.version,
    mode: deps.demo ? 'demo' : 'normal',
    now: new Date(deps.clock.now()).toISOString(),
    account: accountReport(deps.tokens, deps.wantedScopes),
    onboarding: {
      next: nextStep(steps)?.id ?? null,
      steps: steps.map(({ id, title, status, summary, next, items, link }) => ({
        id,
        title,
        status,
        summary,
        next: next ?? null,
        items: items ?? [],
        ...(link ? { link } : {}),
      })),
    },
    devices: deviceStatuses(deps).map((d) => ({
      address: d.address,
      kind: d.entry.ref.kind,
      id: d.entry.ref.id,
      topic_id: d.entry.identity.topicId,
      name: d.entry.identity.name,
      model: d.entry.identity.model ?? null,
      connection: d.connection ?? null,
      last_poll: iso(d.poll.lastPollAt),
      next_poll: d.poll.next ? { at: iso(d.poll.next.at), action: d.poll.next.action, reason: d.poll.next.reason } : null,
      polling_note: d.poll.note ?? null,
    })),
    api_usage: {
      month: view.month,
      usd: round(view.spentUsd),
      budget_usd: view.budgetUsd,
      projected_usd: round(view.projectedUsd),
      budget_mode: view.mode,
      counts: view.counts,
      usd_by_category: Object.fromEntries(Object.entries(view.usdByCategory).map(([k, v]) => [k, round(v)])),
      days: view.days.filter((d) => d.usd > 0).map((d) => ({ day: d.day, usd: round(d.usd), counts: d.counts })),
    },
    events: deps.events.recent(20).map((e) => ({ at: iso(e.at), ...e.event })),
    automations: deps.automations ? deps.automations.list() : null,
    health,
  };
}
