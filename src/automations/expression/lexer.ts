/**
 * Tokens of the automation expression language: numbers, quoted strings, dotted names
 * (`vehicle.5YJ3E1EA0PF000001.charge_current`, `trigger.to`), operators and punctuation.
 * Nothing here or downstream hands text to JavaScript: the language is parsed and evaluated by hand.
 */

export type TokenKind = 'number' | 'string' | 'name' | 'op' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  /** For numbers: the value; for strings: the unquoted text. */
  value?: number | string;
  /** Offset in the expression, for messages. */
  at: number;
}

export class ExpressionSyntaxError extends Error {
  override readonly name = 'ExpressionSyntaxError';
  readonly at: number;

  constructor(message: string, at: number) {
    super(message);
    this.at = at;
  }
}

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '!'] as const;
const PUNCTUATION = new Set(['(', ')', ',']);
const MAX_LENGTH = 2000;

export function tokenize(source: string): Token[] {
  if (source.length > MAX_LENGTH) throw new ExpressionSyntaxError(`the expression is longer than ${MAX_LENGTH} characters`, 0);
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i] ?? '';
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const match = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
      const text = match?.[0] ?? char;
      // A digit run followed by letters is a name segment (an energy site id), never a number.
      if (/[A-Za-z_]/.test(source[i + text.length] ?? ''))
        throw new ExpressionSyntaxError(`"${source.slice(i, i + text.length + 1)}…" is neither a number nor a name`, i);
      tokens.push({ kind: 'number', text, value: Number(text), at: start });
      i += text.length;
      continue;
    }
    if (char === '"' || char === "'") {
      let j = i + 1;
      let text = '';
      while (j < source.length && source[j] !== char) {
        if (source[j] === '\\' && j + 1 < source.length) {
          text += source[j + 1];
          j += 2;
        } else {
          text += source[j];
          j++;
        }
      }
      if (j >= source.length) throw new ExpressionSyntaxError(`the string starting at character ${start + 1} has no closing ${char}`, start);
      tokens.push({ kind: 'string', text: source.slice(i, j + 1), value: text, at: start });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(char)) {
      // Segments after a dot may start with a digit: energy_site.1234567890.solar_power.
      const match = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/.exec(source.slice(i));
      const text = match?.[0] ?? char;
      tokens.push({ kind: 'name', text, at: start });
      i += text.length;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, at: start });
      i += op.length;
      continue;
    }
    if (PUNCTUATION.has(char)) {
      tokens.push({ kind: 'punct', text: char, at: start });
      i++;
      continue;
    }
    const hint = char === '=' ? ' (compare with ==)' : char === '&' || char === '|' ? ' (write and / or)' : '';
    throw new ExpressionSyntaxError(`unexpected character "${char}"${hint}`, start);
  }
  tokens.push({ kind: 'end', text: '', at: source.length });
  return tokens;
}
