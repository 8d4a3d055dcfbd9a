import { canonicalEntityId, type EngineDeps, entityValue, makeScope, type TriggerData } from './context.js';
import { EvaluationError, numberOf } from './expression/evaluate.js';
import { renderTemplate } from './expression/template.js';
import { localParts } from './time-zone.js';
import type { Condition } from './types.js';

export interface ConditionContext {
  deps: Pick<EngineDeps, 'states' | 'devices' | 'clock'>;
  trigger: TriggerData | undefined;
  /** Why a condition could not be decided (an unknown value in an expression), for the run's event. */
  notes: string[];
}

/** True when every condition holds (an empty list holds). */
export function allHold(conditions: readonly Condition[], ctx: ConditionContext): boolean {
  return conditions.every((condition) => holds(condition, ctx));
}

/** A state matches a wanted word exactly, or case-insensitively for words such as on/off. */
export function stateMatches(value: string | null, wanted: readonly string[]): boolean {
  if (value === null) return wanted.some((w) => w.toLowerCase() === 'unknown');
  return wanted.some((w) => w === value || w.toLowerCase() === value.toLowerCase() || (numberOf(w) !== undefined && numberOf(w) === numberOf(value)));
}

export function inRange(value: number | undefined, bounds: { above?: number; below?: number }): boolean {
  if (value === undefined) return false;
  if (bounds.above !== undefined && !(value > bounds.above)) return false;
  if (bounds.below !== undefined && !(value < bounds.below)) return false;
  return true;
}

export function holds(condition: Condition, ctx: ConditionContext): boolean {
  const { deps } = ctx;
  switch (condition.condition) {
    case 'state': {
      const now = deps.clock.now();
      return condition.entities.every((entity) => {
        const state = deps.states.get(canonicalEntityId(entity.id, deps.devices));
        if (!state || !stateMatches(state.value, condition.state)) return false;
        return condition.forS === undefined || now - state.since >= condition.forS * 1000;
      });
    }
    case 'numeric_state': {
      if (condition.value) {
        try {
          return inRange(numberOf(renderTemplate(condition.value, makeScope(deps, ctx.trigger))), condition);
        } catch (error) {
          if (!(error instanceof EvaluationError)) throw error;
          ctx.notes.push(`${condition.at}: ${error.message}`);
          return false;
        }
      }
      return condition.entities.every((entity) => inRange(numberOf(entityValue(entity.id, deps)), condition));
    }
    case 'time':
      return timeHolds(condition, deps.clock.now());
    case 'and':
      return condition.conditions.every((inner) => holds(inner, ctx));
    case 'or':
      return condition.conditions.some((inner) => holds(inner, ctx));
    case 'not':
      return !condition.conditions.some((inner) => holds(inner, ctx));
  }
}

/** A local time window (`after` up to `before`, across midnight when after > before) and today's weekday. */
export function timeHolds(condition: Extract<Condition, { condition: 'time' }>, now: number): boolean {
  const local = localParts(now, condition.timeZone);
  const ofDay = local.hour * 3600 + local.minute * 60 + local.second;
  const { afterS, beforeS } = condition;
  let inWindow = true;
  if (afterS !== undefined && beforeS !== undefined && afterS > beforeS) {
    inWindow = ofDay >= afterS || ofDay < beforeS;
  } else {
    if (afterS !== undefined && ofDay < afterS) inWindow = false;
    if (beforeS !== undefined && ofDay >= beforeS) inWindow = false;
  }
  if (!inWindow) return false;
  return !condition.weekdays || condition.weekdays.includes(local.weekday);
}
