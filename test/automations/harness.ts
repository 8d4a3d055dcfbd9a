import { parse } from 'yaml';
import { automationsSchema } from '../../src/automations/schema.js';
import type { EngineDeps } from '../../src/automations/context.js';
import type { EntityChange, EntityState, EntityStateSource } from '../../src/automations/entity-states.js';
import { AutomationEngine } from '../../src/automations/engine.js';
import type { Automation } from '../../src/automations/types.js';
import type { BridgeEvent, DaemonEvents } from '../../src/core/daemon-events.js';
import { EventBus } from '../../src/core/events.js';
import { FakeClock } from '../../src/core/fake-clock.js';
import { Logger, MemorySink } from '../../src/core/logger.js';
import type { VehicleConnection } from '../../src/model/sources.js';
import { topicMatches } from '../../src/mqtt/topics.js';

/** Automations from YAML, through the same schema config.yaml goes through. */
export function automationsFrom(yaml: string): Automation[] {
  const result = automationsSchema.safeParse(parse(yaml));
  if (!result.success) throw new Error(`invalid automations: ${JSON.stringify(result.error.issues, null, 2)}`);
  return result.data;
}

/** Entity values set by the test, with the same change semantics as the daemon's EntityStates. */
export class MemoryStates implements EntityStateSource {
  private readonly states = new Map<string, EntityState>();
  private listeners: { owner: object; listener: (change: EntityChange) => void }[] = [];
  private readonly clock: FakeClock;

  constructor(clock: FakeClock) {
    this.clock = clock;
  }

  set(id: string, value: string | number | null): void {
    const text = value === null ? null : String(value);
    const previous = this.states.get(id);
    if (previous && previous.value === text) return;
    const now = this.clock.now();
    this.states.set(id, { value: text, since: now });
    if (!previous) return;
    for (const { listener } of [...this.listeners]) listener({ id, from: previous.value, to: text, at: now });
  }

  get(id: string): EntityState | undefined {
    return this.states.get(id);
  }

  withKey(key: string): string[] {
    return [...this.states.keys()].filter((id) => id.endsWith(`.${key}`));
  }

  onChange(owner: object, listener: (change: EntityChange) => void): void {
    this.listeners.push({ owner, listener });
  }

  removeOwner(owner: object): void {
    this.listeners = this.listeners.filter((l) => l.owner !== owner);
  }

  get listenerCount(): number {
    return this.listeners.length;
  }
}

export interface SentCommand {
  at: number;
  entity: string;
  payload: string;
  who: string;
}

type Handler = (message: { topic: string; payload: Buffer; retain: boolean }) => void | Promise<void>;

/** The engine with fakes around it: a fake clock, memory states, a recording router and MQTT. */
export class Harness {
  readonly clock: FakeClock;
  readonly sink = new MemorySink();
  readonly log: Logger;
  readonly bus: EventBus<DaemonEvents>;
  readonly states: MemoryStates;
  readonly events: BridgeEvent[] = [];
  readonly commands: SentCommand[] = [];
  readonly published: { at: number; topic: string; payload: string; retain: boolean }[] = [];
  readonly connections = new Map<string, VehicleConnection>();
  /** Answers of the fake router: ok unless this says otherwise. */
  answer: (command: SentCommand) => { ok: boolean; error?: string } = () => ({ ok: true });
  /** How long the fake router takes. */
  commandMs = 0;
  budget: 'normal' | 'slow' | 'stop' = 'normal';
  mqttConnected = true;
  readonly deps: EngineDeps;
  engine: AutomationEngine | undefined;
  private subscriptions: { owner: object; filter: string; handler: Handler }[] = [];

  constructor(start: number | Date = Date.UTC(2026, 5, 1, 10)) {
    this.clock = new FakeClock(start);
    this.log = new Logger({ level: 'debug', format: 'pretty', sink: this.sink, clock: this.clock });
    this.bus = new EventBus<DaemonEvents>((error) => {
      throw error;
    });
    this.bus.on(this, 'bridge.event', (event) => void this.events.push(event));
    this.states = new MemoryStates(this.clock);
    this.deps = {
      clock: this.clock,
      log: this.log,
      bus: this.bus,
      states: this.states,
      mqtt: {
        subscribe: (owner, filter, handler) => void this.subscriptions.push({ owner, filter, handler }),
        unsubscribeOwner: (owner) => void (this.subscriptions = this.subscriptions.filter((s) => s.owner !== owner)),
        publish: (topic, payload, options) => {
          if (!this.mqttConnected) return false;
          this.published.push({ at: this.clock.now(), topic, payload, retain: options.retain });
          return true;
        },
      },
      commands: {
        run: async (request) => {
          const command: SentCommand = {
            at: this.clock.now(),
            entity: `${request.kind}.${request.topicId}.${request.entity}`,
            payload: new TextDecoder().decode(request.payload),
            who: request.who,
          };
          this.commands.push(command);
          // Like the executor: a sleeping car is woken first, and the wake is announced with who asked.
          if (request.kind === 'vehicle' && this.connections.get(request.topicId) !== 'online') {
            this.bus.emit('bridge.event', { type: 'vehicle_wake', device: `vehicle.${request.topicId}`, who: request.who });
            this.connections.set(request.topicId, 'online');
          }
          if (this.commandMs > 0) await this.clock.sleep(this.commandMs);
          const answer = this.answer(command);
          return { ...answer, value: command.payload };
        },
      },
      devices: {
        resolve: (kind, topicId) => ({ kind, id: topicId }),
        topicOf: (_kind, device) => device,
        connection: (vin) => this.connections.get(vin),
      },
      budgetMode: () => this.budget,
    };
  }

  async start(automations: Automation[] | string): Promise<AutomationEngine> {
    this.engine = new AutomationEngine(this.deps, typeof automations === 'string' ? automationsFrom(automations) : automations);
    await this.engine.start();
    return this.engine;
  }

  async stop(): Promise<void> {
    await this.engine?.stop();
  }

  /** Delivers an MQTT message to the engine's subscriptions. */
  async deliver(topic: string, payload: string, retain = false): Promise<void> {
    for (const s of [...this.subscriptions]) if (topicMatches(s.filter, topic)) await s.handler({ topic, payload: Buffer.from(payload), retain });
    await this.clock.advance(0);
  }

  runs(id?: string): BridgeEvent[] {
    return this.events.filter((e) => e.type === 'automation_run' && (id === undefined || e.automation === id));
  }

  limits(): BridgeEvent[] {
    return this.events.filter((e) => e.type === 'automation_limit');
  }

  get subscriptionCount(): number {
    return this.subscriptions.length;
  }
}
