import type { DaemonEvents } from '../core/daemon-events.js';
import type { EventBus } from '../core/events.js';
import type { Service } from '../core/lifecycle.js';
import type { Automation } from './types.js';

export interface AutomationListing {
  id: string;
  alias?: string;
  enabled: boolean;
  lastRunAt?: number;
  lastResult?: string;
}

/**
 * Remembers each automation's last run from its `automation_run` events, so status pages can list
 * the rules with when they last ran and how it ended, without reaching into the engine.
 */
export class AutomationRunLog implements Service {
  readonly name = 'automation run log';
  private readonly last = new Map<string, { at: number; result: string }>();
  private readonly bus: EventBus<DaemonEvents>;
  private readonly now: () => number;

  constructor(bus: EventBus<DaemonEvents>, now: () => number) {
    this.bus = bus;
    this.now = now;
  }

  start(): Promise<void> {
    this.bus.on(this, 'bridge.event', (event) => {
      const record = event as Record<string, unknown>;
      if (record.type !== 'automation_run' || typeof record.automation !== 'string') return;
      const outcome = typeof record.outcome === 'string' ? record.outcome : 'ran';
      const error = typeof record.error === 'string' ? `: ${record.error}` : '';
      this.last.set(record.automation, { at: this.now(), result: `${outcome}${error}` });
    });
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.bus.removeOwner(this);
    return Promise.resolve();
  }

  list(automations: readonly Automation[]): AutomationListing[] {
    return automations.map((automation) => {
      const last = this.last.get(automation.id);
      return {
        id: automation.id,
        ...(automation.alias ? { alias: automation.alias } : {}),
        enabled: automation.enabled,
        ...(last ? { lastRunAt: last.at, lastResult: last.result } : {}),
      };
    });
  }
}
