import type { Expr } from './parser.js';

/** What an expression computes: entity values arrive as text ("21.5", "ON", "charging") or null when unknown. */
export type Value = number | string | boolean | null;

export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
}

/** Where names come from: entity values, trigger fields. Throws EvaluationError for a name it cannot answer. */
export interface Scope {
  resolve(name: string): Value;
  /** `state("…")`: the value of an entity given as text (ids that cannot be written as a name). */
  state(id: string): Value;
}

const NUMERIC = /^\s*-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const FALSE_WORDS = new Set(['off', 'false', 'no', '0', '']);

/** The number in a value, if it is one ("21.5" is; "ON" and null are not). */
export function numberOf(value: Value): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return undefined;
}

export function truthy(value: Value): boolean {
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  return !FALSE_WORDS.has(value.trim().toLowerCase());
}

function describe(value: Value): string {
  return value === null ? 'unknown' : typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function needNumber(expr: Expr, value: Value, what: string): number {
  const n = numberOf(value);
  if (n !== undefined) return n;
  if (value === null) throw new EvaluationError(`${expr.text} is unknown, so ${what} cannot be computed (has the device reported it yet?)`);
  throw new EvaluationError(`${expr.text} is ${describe(value)}, not a number, in ${what}`);
}

/** Avoids 0.30000000000000004 in results that are shown or sent. */
function tidy(n: number): number {
  if (!Number.isFinite(n)) throw new EvaluationError('the result is not a finite number');
  return Number(n.toPrecision(12));
}

function equal(left: Value, right: Value): boolean {
  const a = numberOf(left);
  const b = numberOf(right);
  if (a !== undefined && b !== undefined) return a === b;
  if (left === null || right === null) return left === right;
  const text = (v: Value): string => (typeof v === 'boolean' ? (v ? 'ON' : 'OFF') : String(v));
  return text(left) === text(right);
}

export function evaluate(expr: Expr, scope: Scope): Value {
  switch (expr.type) {
    case 'literal':
      return expr.value;
    case 'name':
      return scope.resolve(expr.name);
    case 'unary': {
      const value = evaluate(expr.operand, scope);
      return expr.op === 'not' ? !truthy(value) : tidy(-needNumber(expr.operand, value, expr.text));
    }
    case 'binary':
      return binary(expr, scope);
    case 'call':
      return call(expr, scope);
  }
}

function binary(expr: Extract<Expr, { type: 'binary' }>, scope: Scope): Value {
  if (expr.op === 'and') return truthy(evaluate(expr.left, scope)) && truthy(evaluate(expr.right, scope));
  if (expr.op === 'or') return truthy(evaluate(expr.left, scope)) || truthy(evaluate(expr.right, scope));
  const left = evaluate(expr.left, scope);
  const right = evaluate(expr.right, scope);
  switch (expr.op) {
    case '==':
      return equal(left, right);
    case '!=':
      return !equal(left, right);
    case '+':
      // "+" joins text when either side is text that is not a number.
      if ((typeof left === 'string' && numberOf(left) === undefined) || (typeof right === 'string' && numberOf(right) === undefined)) {
        if (left === null || right === null) throw new EvaluationError(`${left === null ? expr.left.text : expr.right.text} is unknown in ${expr.text}`);
        return `${String(left)}${String(right)}`;
      }
      return tidy(needNumber(expr.left, left, expr.text) + needNumber(expr.right, right, expr.text));
    default:
      break;
  }
  const a = needNumber(expr.left, left, expr.text);
  const b = needNumber(expr.right, right, expr.text);
  switch (expr.op) {
    case '-':
      return tidy(a - b);
    case '*':
      return tidy(a * b);
    case '/':
      if (b === 0) throw new EvaluationError(`division by zero in ${expr.text} (${expr.right.text} is 0)`);
      return tidy(a / b);
    case '%':
      if (b === 0) throw new EvaluationError(`division by zero in ${expr.text} (${expr.right.text} is 0)`);
      return tidy(a % b);
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

function call(expr: Extract<Expr, { type: 'call' }>, scope: Scope): Value {
  const args = expr.args;
  const arg = (index: number): Expr => args[index] as Expr;
  const num = (index: number): number => needNumber(arg(index), evaluate(arg(index), scope), expr.text);
  switch (expr.name) {
    case 'if':
      return truthy(evaluate(arg(0), scope)) ? evaluate(arg(1), scope) : evaluate(arg(2), scope);
    case 'min':
      return Math.min(...args.map((_, i) => num(i)));
    case 'max':
      return Math.max(...args.map((_, i) => num(i)));
    case 'round': {
      const digits = args.length > 1 ? num(1) : 0;
      if (!Number.isInteger(digits) || digits < 0 || digits > 10) throw new EvaluationError(`round takes 0 to 10 digits, not ${digits}`);
      const factor = 10 ** digits;
      return tidy(Math.round(num(0) * factor) / factor);
    }
    case 'floor':
      return Math.floor(num(0));
    case 'ceil':
      return Math.ceil(num(0));
    case 'abs':
      return Math.abs(num(0));
    case 'clamp': {
      const [x, low, high] = [num(0), num(1), num(2)];
      if (low > high) throw new EvaluationError(`clamp's low ${low} is above its high ${high}`);
      return Math.min(high, Math.max(low, x));
    }
    case 'number':
      return numberOf(evaluate(arg(0), scope)) ?? null;
    case 'state': {
      const id = evaluate(arg(0), scope);
      if (typeof id !== 'string') throw new EvaluationError(`state() needs an entity id as text, like state("vehicle.<id>.battery_level")`);
      return scope.state(id);
    }
    default:
      throw new EvaluationError(`unknown function ${expr.name}`);
  }
}
