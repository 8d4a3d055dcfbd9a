import type { FaultRule } from '../types.js';

/** What a fault rule is matched against. */
export interface FaultTarget {
  method: string;
  path: string;
  vin?: string | undefined;
  grantType?: string | undefined;
}

interface ActiveRule {
  id: number;
  rule: FaultRule;
  remaining: number;
  pathRegex: RegExp | undefined;
}

export class FaultRuleError extends Error {
  override readonly name = 'FaultRuleError';
}

/** "/…/" (optionally "/…/i") is a regular expression; anything else a substring. */
function pathRegex(path: string | undefined): RegExp | undefined {
  if (path === undefined) return undefined;
  const match = /^\/(.+)\/(i?)$/.exec(path);
  if (!match?.[1]) return undefined;
  try {
    return new RegExp(match[1], match[2]);
  } catch (error) {
    throw new FaultRuleError(`path ${path} is not a valid regular expression: ${(error as Error).message}`);
  }
}

/** Injected failures: the first matching rule with uses left answers instead of the simulator. */
export class FaultStore {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  add(rule: FaultRule): number {
    if (!Number.isInteger(rule.status) || (rule.status !== 0 && (rule.status < 100 || rule.status > 599))) {
      throw new FaultRuleError('status must be an HTTP status (100–599), or 0 for a delay only');
    }
    const positive = (value: number | undefined): boolean => typeof value === 'number' && value > 0;
    if (rule.status === 0 && !positive(rule.delayMs) && !positive(rule.replyDelayMs)) {
      throw new FaultRuleError('status 0 means "only delay": give delayMs or replyDelayMs above 0');
    }
    for (const key of ['delayMs', 'replyDelayMs'] as const) {
      const value = rule[key];
      if (value !== undefined && !(value >= 0 && Number.isFinite(value))) throw new FaultRuleError(`${key} must be 0 or more`);
    }
    const times = rule.times ?? 1;
    if (!(times === Infinity || (Number.isInteger(times) && times > 0))) throw new FaultRuleError('times must be a positive whole number or Infinity');
    const id = this.nextId++;
    this.rules.push({ id, rule, remaining: times, pathRegex: pathRegex(rule.path) });
    return id;
  }

  /** The rule for this request, using up one of its applications. */
  take(target: FaultTarget): FaultRule | undefined {
    const found = this.rules.find((active) => matches(active, target));
    if (!found) return undefined;
    found.remaining -= 1;
    if (found.remaining <= 0) this.rules = this.rules.filter((active) => active !== found);
    return found.rule;
  }

  list(): (FaultRule & { id: number; remaining: number | 'Infinity' })[] {
    return this.rules.map((active) => ({ ...active.rule, id: active.id, remaining: Number.isFinite(active.remaining) ? active.remaining : 'Infinity' }));
  }

  clear(): void {
    this.rules = [];
  }
}

function matches(active: ActiveRule, target: FaultTarget): boolean {
  const { rule } = active;
  if (rule.method !== undefined && rule.method.toUpperCase() !== target.method.toUpperCase()) return false;
  if (rule.path !== undefined) {
    if (active.pathRegex ? !active.pathRegex.test(target.path) : !target.path.includes(rule.path)) return false;
  }
  if (rule.vin !== undefined && rule.vin !== target.vin) return false;
  if (rule.grantType !== undefined && rule.grantType !== target.grantType) return false;
  return true;
}
