import type { TokenManager } from '../auth/token-manager.js';
import { accountReport } from '../auth/account-report.js';
import type { CommandExecutor } from '../commands/executor.js';
import type { Clock, Timer } from '../core/clock.js';
import type { DaemonEvents, DeviceRef } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { HealthRegistry } from '../core/health.js';
import type { Service } from '../core/lifecycle.js';
import type { Logger } from '../core/logger.js';
import type { DeviceRegistry } from '../model/device-registry.js';
import type { DeviceNaming } from '../model/naming.js';
import type { BridgeSource } from '../model/sources.js';
import type { BudgetStatus } from '../poller/budget.js';
import type { UsageLedger } from '../storage/usage-ledger.js';
import type { IncomingMessage, MqttConnection } from './connection.js';
import type { EntityPublisher } from './entity-publisher.js';
import type { StatePublisher } from './publisher.js';
import { parseNamedDevice } from '../core/devices.js';
import type { Topics } from './topics.js';

export interface BridgeDeps {
  connection: MqttConnection;
  publisher: StatePublisher;
  entities: EntityPublisher;
  topics: Topics;
  bus: EventBus<DaemonEvents>;
  clock: Clock;
  log: Logger;
  ledger: UsageLedger;
  tokens: TokenManager;
  registry: DeviceRegistry;
  naming: DeviceNaming;
  executor: CommandExecutor;
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
  /** Requests other rooms answer (e.g. reload_automations from automations/). */
  requests?: Readonly<Record<string, (body: Record<string, unknown>) => Promise<{ ok: boolean; [key: string]: unknown }>>>;
}

const INFO_INTERVAL_MS = 60_000;

type Response = { ok: true; [key: string]: unknown } | { ok: false; error: string };

/**
 * The daemon's own face on MQTT: `bridge/info` (retained JSON), the bridge device's entities,
 * `bridge/event` (every event, not retained) and the request/response pairs
 * `bridge/request/<name>` → `bridge/response/<name>` with the caller's `transaction` echoed.
 */
export class Bridge implements Service {
  readonly name = 'bridge';
  private timer: Timer | undefined;
  private pending: Timer | undefined;
  private readonly started: number;
  /** The devices in bridge/info: a new one makes the info go out again, a new reading does not. */
  private readonly known = new Set<string>();
  private lastPollAt: { value: number | undefined; at: number } | undefined;
  private readonly deps: BridgeDeps;

  constructor(deps: BridgeDeps) {
    this.deps = deps;
    this.started = deps.clock.now();
  }

  async start(): Promise<void> {
    const { bus, connection, topics } = this.deps;
    bus.on(this, 'bridge.event', (event) => {
      connection.publish(topics.bridgeEvent, JSON.stringify({ at: new Date(this.deps.clock.now()).toISOString(), ...event }), { retain: false, qos: 1 });
    });
    for (const type of ['auth.tokens', 'auth.login_required', 'device.removed', 'budget.changed', 'vehicle.pairing'] as const) bus.on(this, type, () => this.soon());
    bus.on(this, 'device.updated', (ref) => {
      const key = `${ref.kind}:${ref.id}`;
      if (this.known.has(key)) return;
      this.known.add(key);
      this.soon();
    });
    bus.on(this, 'device.removed', (ref) => void this.known.delete(`${ref.kind}:${ref.id}`));
    connection.subscribe(this, topics.bridgeRequestFilter, (message) => this.onRequest(message));
    this.publishInfo();
    const tick = (): void => {
      this.timer = this.deps.clock.setTimeout(() => {
        this.publishInfo();
        tick();
      }, INFO_INTERVAL_MS);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.pending?.cancel();
    this.deps.bus.removeOwner(this);
    this.deps.connection.unsubscribeOwner(this);
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

  /** Coalesces bursts of changes into one info update. */
  private soon(): void {
    this.pending ??= this.deps.clock.setTimeout(() => {
      this.pending = undefined;
      this.publishInfo();
    }, 1_000);
  }

  private publishInfo(): void {
    const { publisher, topics, registry, naming, tokens, ledger, health } = this.deps;
    const usage = ledger.month();
    const info = {
      version: this.deps.version,
      mode: this.deps.demo ? 'demo' : 'normal',
      started_at: new Date(this.started).toISOString(),
      account: accountReport(tokens, this.deps.wantedScopes),
      api_usage: { month: usage.month, usd: round2(usage.usd), budget_usd: this.deps.budgetUsd, counts: usage.counts },
      budget: { mode: this.deps.budget().mode, projected_usd: round2(this.deps.budget().projectedUsd) },
      devices: registry.all().map((ref) => ({ kind: ref.kind, id: ref.id, topic_id: naming.topicId(ref) })),
      health: health.report(),
      ...(this.deps.telemetry ? { telemetry: this.deps.telemetry() } : {}),
    };
    publisher.set(topics.bridgeInfo, JSON.stringify(info));
    this.deps.entities.publishBridge(this.source());
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

  private async onRequest(message: IncomingMessage): Promise<void> {
    const parsed = this.deps.topics.parse(message.topic);
    if (parsed.kind !== 'bridge_request' || message.retain) return;
    let body: Record<string, unknown> = {};
    const text = message.payload.toString('utf8').trim();
    let response: Response;
    if (text !== '') {
      try {
        const value = JSON.parse(text) as unknown;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
        body = value as Record<string, unknown>;
      } catch {
        response = { ok: false, error: 'the request must be a JSON object, e.g. {"transaction": "1", "device": "vehicle.5YJ..."}' };
        this.respond(parsed.name, body, response);
        return;
      }
    }
    response = await this.handle(parsed.name, body);
    this.respond(parsed.name, body, response);
  }

  private respond(name: string, body: Record<string, unknown>, response: Response): void {
    const payload = { ...('transaction' in body ? { transaction: body.transaction } : {}), ...response };
    this.deps.connection.publish(this.deps.topics.bridgeResponse(name), JSON.stringify(payload), { retain: false, qos: 1 });
  }

  private async handle(name: string, body: Record<string, unknown>): Promise<Response> {
    switch (name) {
      case 'refresh': {
        if (body.device === undefined) {
          this.deps.bus.emit('devices.refresh', { reason: 'requested over MQTT' });
          return { ok: true, devices: 'all' };
        }
        const targets = this.lookup(body.device);
        if (typeof targets === 'string') return { ok: false, error: targets };
        for (const ref of targets) this.deps.bus.emit('device.refresh', { ...ref, reason: 'requested over MQTT' });
        return { ok: true, devices: targets.map((ref) => `${ref.kind}.${this.deps.naming.topicId(ref)}`) };
      }
      case 'wake': {
        const targets = this.lookup(body.device);
        if (typeof targets === 'string') return { ok: false, error: targets };
        const [ref] = targets;
        if (ref?.kind !== 'vehicle') return { ok: false, error: 'only vehicles can be woken' };
        const outcome = await this.deps.executor.ensureAwake(ref.id, 'mqtt request');
        return outcome.ok ? { ok: true, device: `vehicle.${this.deps.naming.topicId(ref)}` } : { ok: false, error: outcome.error };
      }
      default: {
        const extra = this.deps.requests && Object.hasOwn(this.deps.requests, name) ? this.deps.requests[name] : undefined;
        if (extra) return (await extra(body)) as Response;
        return { ok: false, error: `unknown request "${name}" (known: ${['refresh', 'wake', ...Object.keys(this.deps.requests ?? {})].join(', ')})` };
      }
    }
  }

  /** "vehicle.<topic id>" → the device, or a message saying what is wrong. */
  private lookup(device: unknown): DeviceRef[] | string {
    if (typeof device !== 'string') return 'name the device as "vehicle.<id>" or "energy_site.<id>" in "device"';
    const named = parseNamedDevice(device);
    if (!named.ok) return named.problem;
    const { kind, topicId } = named;
    const id = this.deps.naming.resolve(kind, topicId);
    if (!id || !this.deps.registry.source({ kind, id })) return `there is no ${kind.replace('_', ' ')} "${topicId}"`;
    return [{ kind, id }];
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
