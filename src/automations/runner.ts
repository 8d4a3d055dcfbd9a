import { errorMessage } from '../core/errors.js';
import { ActionFailed, type ActionRecord, runActions } from './actions.js';
import { allHold } from './conditions.js';
import type { EngineDeps, TriggerData } from './context.js';
import type { GuardVerdict, Guards } from './guards.js';
import { type TriggerWatch, watchTrigger } from './triggers.js';
import type { Automation } from './types.js';

export type Outcome = 'done' | 'condition_false' | 'failed' | 'cancelled';

interface Run {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * One automation at work: its triggers watch, its conditions decide, and its mode says what a
 * trigger does while a run is going (Home Assistant's meaning): `single` ignores it, `restart`
 * cancels the run and starts again, `queued` runs it afterwards (`max` runs at most, running
 * and waiting).
 * Every run ends in one `automation_run` event; a failing action ends that run only.
 */
export class AutomationRunner {
  private watches: TriggerWatch[] = [];
  private current: Run | undefined;
  private readonly queue: { trigger: TriggerData; notes: string[] }[] = [];
  private lastRunLimitEvent = -Infinity;
  private stopped = false;
  readonly automation: Automation;
  private readonly deps: EngineDeps;
  private readonly guards: Guards;

  constructor(automation: Automation, deps: EngineDeps, guards: Guards) {
    this.automation = automation;
    this.deps = deps;
    this.guards = guards;
  }

  start(): void {
    if (!this.automation.enabled) return;
    // Decided a moment later: one poll updates several devices in a row (the site, then the car
    // on its Wall Connector), and conditions should see all of that reading, not half of it.
    this.watches = this.automation.triggers.map((trigger) => watchTrigger(trigger, this.deps, (data) => queueMicrotask(() => this.safely(data))));
  }

  /** Stops watching and cancels what runs or waits; with `wait`, resolves when the current run has ended. */
  async stop(reason: string, wait = true): Promise<void> {
    this.stopped = true;
    for (const watch of this.watches) watch.stop();
    this.watches = [];
    this.queue.length = 0;
    const run = this.current;
    if (run) {
      run.controller.abort(new Error(reason));
      // A command already sent cannot be called back: its run ends (cancelled) once it answers.
      if (wait) await run.done;
    }
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** A fault in one automation is logged and stays there: never an uncaught error in the daemon. */
  private safely(trigger: TriggerData): void {
    try {
      this.onTrigger(trigger);
    } catch (error) {
      this.deps.log.error(`automation ${this.automation.id} could not handle ${trigger.at}`, { error: error instanceof Error ? error : errorMessage(error) });
    }
  }

  private onTrigger(trigger: TriggerData): void {
    if (this.stopped) return;
    const { clock, log } = this.deps;
    const { automation } = this;
    const now = clock.now();
    const verdict = this.guards.run(now);
    if (!verdict.ok) {
      if (now - this.lastRunLimitEvent >= 60_000) {
        this.lastRunLimitEvent = now;
        this.emitLimit(verdict, undefined);
      }
      log.debug(`automation ${automation.id}: ${verdict.limit} reached, trigger ${trigger.at} dropped`);
      return;
    }
    const notes: string[] = [];
    const holds = allHold(automation.conditions, { deps: this.deps, trigger, notes });
    if (!holds) {
      this.emitRun(trigger, false, [], 'condition_false', now, undefined, notes);
      return;
    }
    if (!this.current) {
      this.begin(trigger, notes);
      return;
    }
    switch (automation.mode) {
      case 'single':
        log.debug(`automation ${automation.id} is already running; ${trigger.at} ignored (mode single)`);
        return;
      case 'restart':
        this.current.controller.abort(new Error(`restarted by ${trigger.at}`));
        this.begin(trigger, notes);
        return;
      case 'queued':
        // As in Home Assistant, max counts the run going on and those waiting.
        if (this.queue.length + 1 >= automation.max) {
          log.warn(`automation ${automation.id}: ${automation.max} runs already going on or waiting; ${trigger.at} dropped (raise max: to queue more)`);
          return;
        }
        this.queue.push({ trigger, notes });
        return;
    }
  }

  private begin(trigger: TriggerData, notes: string[]): void {
    const controller = new AbortController();
    const run: Run = { controller, done: Promise.resolve() };
    this.current = run;
    run.done = this.execute(trigger, notes, controller.signal).finally(() => {
      if (this.current !== run) return;
      this.current = undefined;
      const next = this.queue.shift();
      if (next && !this.stopped) this.begin(next.trigger, next.notes);
    });
  }

  private async execute(trigger: TriggerData, notes: string[], signal: AbortSignal): Promise<void> {
    const { clock, log } = this.deps;
    const started = clock.now();
    const records: ActionRecord[] = [];
    let outcome: Outcome = 'done';
    let error: string | undefined;
    try {
      await runActions(this.automation.actions, {
        deps: this.deps,
        automation: this.automation,
        guards: this.guards,
        trigger,
        signal,
        records,
        notes,
        limited: (verdict, entity) => this.emitLimit(verdict, entity),
      });
      if (signal.aborted) throw signal.reason;
    } catch (caught) {
      if (signal.aborted) {
        outcome = 'cancelled';
        error = errorMessage(signal.reason);
      } else if (caught instanceof ActionFailed) {
        outcome = 'failed';
        error = caught.message;
      } else {
        outcome = 'failed';
        error = `internal error: ${errorMessage(caught)}`;
        log.error(`automation ${this.automation.id} failed unexpectedly`, { error: caught instanceof Error ? caught : errorMessage(caught) });
      }
    }
    this.emitRun(trigger, true, records, outcome, started, error, notes);
  }

  private emitRun(
    trigger: TriggerData,
    condition: boolean,
    actions: ActionRecord[],
    outcome: Outcome,
    started: number,
    error: string | undefined,
    notes: string[],
  ): void {
    const { clock, log, bus } = this.deps;
    const { automation } = this;
    const { data: _data, ...triggerFields } = trigger;
    const event = {
      type: 'automation_run',
      automation: automation.id,
      alias: automation.alias,
      trigger: triggerFields,
      condition,
      actions,
      outcome,
      ...(error !== undefined ? { error } : {}),
      ...(notes.length > 0 ? { notes } : {}),
      started_at: new Date(started).toISOString(),
      duration_ms: clock.now() - started,
    };
    if (outcome === 'failed') log.warn(`automation ${automation.id} failed: ${error ?? ''}`);
    else if (outcome !== 'condition_false')
      log.info(
        `automation ${automation.id} ${outcome === 'done' ? 'ran' : 'was cancelled'} (${trigger.at}, ${actions.length} action${actions.length === 1 ? '' : 's'})`,
      );
    bus.emit('bridge.event', event);
  }

  private emitLimit(verdict: Exclude<GuardVerdict, { ok: true }> | { limit: 'budget' }, entity: string | undefined): void {
    const { automation } = this;
    const detail = 'max' in verdict ? { max: verdict.max, until: new Date(verdict.until).toISOString() } : {};
    this.deps.log.warn(
      `automation ${automation.id} hit its limit ${verdict.limit}${'max' in verdict ? ` (${verdict.max})` : ''}${entity ? ` for ${entity}` : ''}`,
    );
    this.deps.bus.emit('bridge.event', {
      type: 'automation_limit',
      automation: automation.id,
      alias: automation.alias,
      limit: verdict.limit,
      ...detail,
      ...(entity ? { entity } : {}),
    });
  }
}
