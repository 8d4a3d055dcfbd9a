import { evaluate, type Scope, type Value } from './evaluate.js';
import { ExpressionSyntaxError } from './lexer.js';
import { type Expr, namesIn, parseExpression } from './parser.js';

/**
 * A config value that computes: `"{{ min(32, x / 230) }}"` alone gives the expression's value
 * (a number stays a number); `"Door open since {{ trigger.from }}"` gives text with the values in.
 */
export type Template = { kind: 'expression'; expr: Expr; source: string } | { kind: 'text'; parts: (string | Expr)[]; source: string };

export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/** Compiles a template; throws ExpressionSyntaxError (position relative to the whole text). */
export function compileTemplate(source: string): Template {
  const parts: (string | Expr)[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      parts.push(source.slice(i));
      break;
    }
    const close = source.indexOf('}}', open + 2);
    if (close < 0) throw new ExpressionSyntaxError('"{{" has no closing "}}"', open);
    if (open > i) parts.push(source.slice(i, open));
    const inner = source.slice(open + 2, close);
    try {
      parts.push(parseExpression(inner));
    } catch (error) {
      if (error instanceof ExpressionSyntaxError) throw new ExpressionSyntaxError(error.message, open + 2 + error.at);
      throw error;
    }
    i = close + 2;
  }
  const [only] = parts;
  if (parts.length === 1 && only !== undefined && typeof only !== 'string') return { kind: 'expression', expr: only, source };
  // Surrounding blanks around a lone {{ }} do not turn a number into text.
  const meaningful = parts.filter((part) => typeof part !== 'string' || part.trim() !== '');
  const [single] = meaningful;
  if (meaningful.length === 1 && single !== undefined && typeof single !== 'string') return { kind: 'expression', expr: single, source };
  return { kind: 'text', parts, source };
}

export function renderTemplate(template: Template, scope: Scope): Value {
  if (template.kind === 'expression') return evaluate(template.expr, scope);
  return template.parts.map((part) => (typeof part === 'string' ? part : formatValue(evaluate(part, scope)))).join('');
}

export function templateNames(template: Template): { name: string; call?: string }[] {
  const exprs = template.kind === 'expression' ? [template.expr] : template.parts.filter((part): part is Expr => typeof part !== 'string');
  return exprs.flatMap(namesIn);
}

/** A value as text in a payload: booleans as ON/OFF (Home Assistant's words), unknown as "unknown". */
export function formatValue(value: Value): string {
  if (value === null) return 'unknown';
  if (typeof value === 'boolean') return value ? 'ON' : 'OFF';
  return String(value);
}
