import { allHold, stateMatches } from './conditions.js';
import { canonicalEntityId, type EngineDeps, makeScope, type TriggerData, WHO_PREFIX } from './context.js';
import { EvaluationError, type Value } from './expression/evaluate.js';
import { formatValue, renderTemplate } from './expression/template.js';
import type { GuardVerdict, Guards } from './guards.js';
import type { Action, Automation, ValueSpec } from './types.js';

/** One step of a run, as the automation_run event lists it. */
export interface ActionRecord {
  at: string;
  action: string;
  ok: boolean;
  entity?: string;
  device?: string;
  topic?: string;
  value?: unknown;
  detail?: string;
  error?: string;
}

export interface RunContext {
  deps: EngineDeps;
  automation: Automation;
  guards: Guards;
  trigger: TriggerData;
  signal: AbortSignal;
  records: ActionRecord[];
  notes: string[];
  /** A guard stopped a command: announce it. */
  limited(verdict: Exclude<GuardVerdict, { ok: true }> | { limit: 'budget' }, entity: string): void;
}

/** An action failed: the run ends here (and only this run). */
export class ActionFailed extends Error {
  override readonly name = 'ActionFailed';
}

export async function runActions(actions: readonly Action[], ctx: RunContext): Promise<void> {
  for (const action of actions) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    await runAction(action, ctx);
  }
}

function fail(ctx: RunContext, record: ActionRecord, error: string): never {
  ctx.records.push({ ...record, ok: false, error });
  throw new ActionFailed(`${record.at}: ${error}`);
}

function resolve(spec: ValueSpec, ctx: RunContext): Value | Record<string, unknown> {
  if (spec.kind === 'literal') return spec.value;
  return renderTemplate(spec.template, makeScope(ctx.deps, ctx.trigger));
}

/** What goes into the command payload: text as the MQTT /set topic takes it. */
function payloadText(value: Value | Record<string, unknown>): string {
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return formatValue(value);
}

async function runAction(action: Action, ctx: RunContext): Promise<void> {
  const { deps } = ctx;
  const base: ActionRecord = { at: action.at, action: action.action, ok: true };
  switch (action.action) {
    case 'command': {
      const record: ActionRecord = { ...base, entity: action.entity.id };
      let value: Value | Record<string, unknown>;
      try {
        value = resolve(action.value, ctx);
      } catch (error) {
        if (error instanceof EvaluationError) fail(ctx, record, `the value cannot be computed: ${error.message}`);
        throw error;
      }
      record.value = value;
      const { kind, device, key } = action.entity;
      const ref = deps.devices.resolve(kind, device);
      if (!ref) fail(ctx, record, `there is no ${kind.replace('_', ' ')} "${device}"`);
      if (kind === 'vehicle' && deps.budgetMode() === 'stop') {
        ctx.limited({ limit: 'budget' }, action.entity.id);
        fail(ctx, record, 'the API budget is spent (budget mode stop): automations send no vehicle commands until the month turns');
      }
      const mayWake = kind === 'vehicle' && deps.devices.connection(ref.id) !== 'online';
      const verdict = ctx.guards.command(deps.clock.now(), mayWake);
      if (!verdict.ok) {
        ctx.limited(verdict, action.entity.id);
        fail(ctx, record, `limits.${verdict.limit} (${verdict.max}) reached; the next is allowed at ${new Date(verdict.until).toISOString()}`);
      }
      const result = await deps.commands.run({
        kind,
        topicId: device,
        entity: key,
        payload: new TextEncoder().encode(payloadText(value)),
        who: `${WHO_PREFIX}${ctx.automation.id}`,
      });
      if (!result.ok) fail(ctx, record, result.error ?? 'the command failed');
      ctx.records.push({ ...record, value: result.value, ...(result.detail ? { detail: result.detail } : {}) });
      return;
    }
    case 'refresh': {
      const ref = deps.devices.resolve(action.device.kind, action.device.device);
      const record = { ...base, device: action.device.id };
      if (!ref) fail(ctx, record, `there is no ${action.device.kind.replace('_', ' ')} "${action.device.device}"`);
      deps.bus.emit('device.refresh', { ...ref, reason: `automation ${ctx.automation.id}` });
      ctx.records.push(record);
      return;
    }
    case 'publish': {
      const record: ActionRecord = { ...base, topic: action.topic };
      let payload: string;
      try {
        payload = payloadText(resolve(action.payload, ctx));
      } catch (error) {
        if (error instanceof EvaluationError) fail(ctx, record, `the payload cannot be computed: ${error.message}`);
        throw error;
      }
      if (!deps.mqtt.publish(action.topic, payload, { retain: action.retain, qos: 1 }))
        fail(ctx, { ...record, value: payload }, 'not connected to the MQTT broker');
      ctx.records.push({ ...record, value: payload });
      return;
    }
    case 'delay':
      await deps.clock.sleep(action.delayS * 1000, ctx.signal);
      ctx.records.push({ ...base, value: action.delayS });
      return;
    case 'wait_for': {
      const reached = await waitFor(action, ctx);
      const record: ActionRecord = { ...base, entity: action.entity.id, detail: reached ? 'reached' : 'timed out' };
      if (!reached && !action.continueOnTimeout)
        fail(ctx, record, `${action.entity.id} did not become ${action.state.join(' or ')} within ${action.timeoutS} s`);
      ctx.records.push(record);
      return;
    }
    case 'choose': {
      const conditionCtx = { deps, trigger: ctx.trigger, notes: ctx.notes };
      const index = action.choices.findIndex((choice) => allHold(choice.conditions, conditionCtx));
      const chosen = index >= 0 ? (action.choices[index]?.sequence ?? []) : action.otherwise;
      ctx.records.push({ ...base, detail: index >= 0 ? `choose[${index}]` : action.otherwise.length > 0 ? 'default' : 'none' });
      await runActions(chosen, ctx);
      return;
    }
    case 'if': {
      const holds = allHold(action.conditions, { deps, trigger: ctx.trigger, notes: ctx.notes });
      ctx.records.push({ ...base, detail: holds ? 'then' : 'else' });
      await runActions(holds ? action.then : action.otherwise, ctx);
      return;
    }
  }
}

/** Resolves true once the entity is in one of the states, false at the timeout; rejects on abort. */
function waitFor(action: Extract<Action, { action: 'wait_for' }>, ctx: RunContext): Promise<boolean> {
  const { deps, signal } = ctx;
  const id = canonicalEntityId(action.entity.id, deps.devices);
  if (stateMatches(deps.states.get(id)?.value ?? null, action.state)) return Promise.resolve(true);
  return new Promise<boolean>((resolve, reject) => {
    const owner = {};
    const finish = (outcome: boolean | { error: unknown }): void => {
      timer.cancel();
      deps.states.removeOwner(owner);
      signal.removeEventListener('abort', onAbort);
      if (typeof outcome === 'boolean') resolve(outcome);
      else reject(outcome.error);
    };
    const onAbort = (): void => finish({ error: signal.reason });
    const timer = deps.clock.setTimeout(() => finish(false), action.timeoutS * 1000);
    deps.states.onChange(owner, (change) => {
      if (change.id === id && stateMatches(change.to, action.state)) finish(true);
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
