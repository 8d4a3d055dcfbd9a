import type { Clock } from '../../core/clock.js';
import type { BridgeEvent, DaemonEvents } from '../../core/daemon-events.js';
import type { EventBus } from '../../core/events.js';
import type { Service } from '../../core/lifecycle.js';

/** A bridge event as the page lists it: the event's own fields plus when it happened. */
export interface LoggedEvent {
  seq: number;
  at: number;
  event: BridgeEvent;
}

export type EventSummary = { kind: 'command' | 'wake' | 'error' | 'automation' | 'other'; ok: boolean; title: string; detail: string };

const KEEP = 200;

/**
 * The recent bridge events (command results, wakes with who asked, device problems, budget
 * changes, automation runs) in memory, for the page and its live stream; counts for /metrics.
 */
export class EventLog implements Service {
  readonly name = 'web-event-log';
  private readonly entries: LoggedEvent[] = [];
  private readonly listeners = new Set<(entry: LoggedEvent) => void>();
  private seq = 0;
  readonly counts = { commandsOk: 0, commandsFailed: 0, wakes: 0, problems: 0, automationRuns: 0 };
  private readonly deps: { bus: EventBus<DaemonEvents>; clock: Clock };

  constructor(deps: { bus: EventBus<DaemonEvents>; clock: Clock }) {
    this.deps = deps;
  }

  async start(): Promise<void> {
    this.deps.bus.on(this, 'bridge.event', (event) => void this.add(event));
  }

  async stop(): Promise<void> {
    this.deps.bus.removeOwner(this);
    this.listeners.clear();
  }

  add(event: BridgeEvent): LoggedEvent {
    const entry: LoggedEvent = { seq: ++this.seq, at: this.deps.clock.now(), event: { ...event } };
    this.entries.push(entry);
    if (this.entries.length > KEEP) this.entries.shift();
    this.count(event);
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  /** Newest first. */
  recent(limit = 50): LoggedEvent[] {
    return this.entries.slice(-limit).reverse();
  }

  onEvent(listener: (entry: LoggedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private count(event: BridgeEvent): void {
    const summary = summarizeEvent(event);
    if (event.type === 'command_result') {
      if (event.ok === true) this.counts.commandsOk++;
      else this.counts.commandsFailed++;
    } else if (summary.kind === 'wake') this.counts.wakes++;
    else if (summary.kind === 'automation') this.counts.automationRuns++;
    else if (summary.kind === 'error') this.counts.problems++;
  }
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** One line per event, in words: what happened, to which device, who asked, and how it went. */
export function summarizeEvent(event: BridgeEvent): EventSummary {
  const device = text(event.device);
  const who = text(event.who);
  switch (event.type) {
    case 'command_result': {
      const ok = event.ok === true;
      const outcome = ok ? (event.detail ? `done (${text(event.detail)})` : 'done') : `failed: ${text(event.error)}`;
      return { kind: 'command', ok, title: `${device} ${text(event.entity)} = ${text(event.value)}`, detail: `${outcome}${who ? `; asked by ${who}` : ''}` };
    }
    case 'vehicle_wake':
      return { kind: 'wake', ok: true, title: `woke ${device}`, detail: who ? `asked by ${who}` : '' };
    case 'automation_run': {
      const ok = event.ok !== false && event.error === undefined;
      const name = text(event.alias) || text(event.automation) || text(event.id);
      const result = text(event.result) || text(event.status) || (ok ? 'ran' : 'failed');
      return { kind: 'automation', ok, title: `automation ${name}`, detail: `${result}${event.error ? `: ${text(event.error)}` : ''}` };
    }
    case 'budget':
      return {
        kind: 'other',
        ok: event.mode === 'normal',
        title: `API budget: ${text(event.mode)}`,
        detail: `$${text(event.spent_usd)} spent, $${text(event.projected_usd)} projected of $${text(event.budget_usd)}`,
      };
    default: {
      const problem = /problem|error|fail/.test(event.type);
      const message = text(event.message) || text(event.error) || text(event.reason);
      return { kind: problem ? 'error' : 'other', ok: !problem, title: `${event.type.replace(/_/g, ' ')}${device ? ` ${device}` : ''}`, detail: message };
    }
  }
}
