import type { Service } from '../core/lifecycle.js';
import { type EngineDeps, WHO_PREFIX } from './context.js';
import { Guards } from './guards.js';
import type { AutomationRunner } from './runner.js';
import type { Automation } from './types.js';

/**
 * The set of automations in force. A new set replaces the old one as a whole (reload): the old
 * runs are cancelled and its triggers stop; each automation's guards stay with its id, so a
 * reload never hands a rule a fresh budget of wakes and commands.
 */
export class AutomationEngine implements Service {
  readonly name = 'automations';
  private runners: AutomationRunner[] = [];
  private readonly guards = new Map<string, Guards>();
  private started = false;
  /** Counts activations and deactivations, so an activation that awaited its code yields to a later change. */
  private generation = 0;
  private automations: readonly Automation[] = [];
  private readonly deps: EngineDeps;

  constructor(deps: EngineDeps, automations: readonly Automation[]) {
    this.deps = deps;
    this.automations = automations;
  }

  async start(): Promise<void> {
    this.started = true;
    // Wakes are counted where they happen, in the executor, which names who asked for them.
    this.deps.bus.on(this, 'bridge.event', (event) => {
      if (event.type !== 'vehicle_wake' || typeof event.who !== 'string' || !event.who.startsWith(WHO_PREFIX)) return;
      this.guards.get(event.who.slice(WHO_PREFIX.length))?.wake(this.deps.clock.now());
    });
    await this.activate();
    const enabled = this.automations.filter((a) => a.enabled).length;
    if (this.automations.length > 0)
      this.deps.log.info(`${enabled} of ${this.automations.length} automation${this.automations.length === 1 ? '' : 's'} enabled`);
  }

  async stop(): Promise<void> {
    this.started = false;
    this.deps.bus.removeOwner(this);
    await this.deactivate('teslahub is stopping');
  }

  /** Replaces the automations in force; runs of the old set are cancelled. */
  async replace(automations: readonly Automation[]): Promise<void> {
    await this.deactivate('automations reloaded', false);
    this.automations = automations;
    if (this.started) await this.activate();
  }

  get current(): readonly Automation[] {
    return this.automations;
  }

  /** The runner of an automation, for tests and status pages. */
  runner(id: string): AutomationRunner | undefined {
    return this.runners.find((r) => r.automation.id === id);
  }

  private async activate(): Promise<void> {
    const generation = ++this.generation;
    const automations = this.automations;
    if (automations.length === 0) return;
    // The runtime (triggers, conditions, actions) is loaded with the first automation (docs/architecture.md#rules).
    const { AutomationRunner } = await import('./runner.js');
    if (!this.started || generation !== this.generation) return;
    this.runners = automations.map((automation) => {
      let guards = this.guards.get(automation.id);
      if (guards) guards.limits = automation.limits;
      else {
        guards = new Guards(automation.limits);
        this.guards.set(automation.id, guards);
      }
      return new AutomationRunner(automation, this.deps, guards);
    });
    for (const runner of this.runners) runner.start();
  }

  private async deactivate(reason: string, wait = true): Promise<void> {
    this.generation += 1;
    const runners = this.runners;
    this.runners = [];
    await Promise.all(runners.map((runner) => runner.stop(reason, wait)));
  }
}
