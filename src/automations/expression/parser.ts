import { ownValue } from '../../core/own.js';
import { ExpressionSyntaxError, type Token, tokenize } from './lexer.js';

/**
 * The expression grammar, lowest precedence first:
 *   or      := and ( ("or" | "||") and )*
 *   and     := not ( ("and" | "&&") not )*
 *   not     := ("not" | "!") not | compare
 *   compare := sum ( ("==" | "!=" | "<" | "<=" | ">" | ">=") sum )?
 *   sum     := product ( ("+" | "-") product )*
 *   product := unary ( ("*" | "/" | "%") unary )*
 *   unary   := "-" unary | primary
 *   primary := number | string | true | false | null | name | name "(" args ")" | "(" or ")"
 */

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

export type Expr =
  | { type: 'literal'; value: number | string | boolean | null; text: string }
  | { type: 'name'; name: string; text: string }
  | { type: 'call'; name: string; args: Expr[]; text: string }
  | { type: 'unary'; op: '-' | 'not'; operand: Expr; text: string }
  | { type: 'binary'; op: BinaryOp; left: Expr; right: Expr; text: string };

/** Functions and how many arguments each takes. */
export const FUNCTIONS: Readonly<Record<string, { min: number; max: number; usage: string }>> = {
  min: { min: 1, max: 20, usage: 'min(a, b, …)' },
  max: { min: 1, max: 20, usage: 'max(a, b, …)' },
  round: { min: 1, max: 2, usage: 'round(x) or round(x, digits)' },
  floor: { min: 1, max: 1, usage: 'floor(x)' },
  ceil: { min: 1, max: 1, usage: 'ceil(x)' },
  abs: { min: 1, max: 1, usage: 'abs(x)' },
  clamp: { min: 3, max: 3, usage: 'clamp(x, low, high)' },
  if: { min: 3, max: 3, usage: 'if(condition, then, else)' },
  number: { min: 1, max: 1, usage: 'number(x)' },
  state: { min: 1, max: 1, usage: 'state("vehicle.<id>.<entity>")' },
};

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

class Parser {
  private index = 0;
  private readonly tokens: Token[];
  private readonly source: string;

  constructor(source: string) {
    this.source = source;
    this.tokens = tokenize(source);
  }

  parse(): Expr {
    if (this.peek().kind === 'end') throw new ExpressionSyntaxError('the expression is empty', 0);
    const expr = this.or();
    const next = this.peek();
    if (next.kind !== 'end') throw new ExpressionSyntaxError(`unexpected "${next.text}" after a complete expression (an operator missing?)`, next.at);
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: 'end', text: '', at: this.source.length };
  }

  private take(): Token {
    const token = this.peek();
    this.index++;
    return token;
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'name' && token.text === word;
  }

  private isOp(...ops: string[]): boolean {
    const token = this.peek();
    return token.kind === 'op' && ops.includes(token.text);
  }

  private span(start: number): string {
    const end = this.tokens[this.index - 1];
    return this.source.slice(start, end ? end.at + end.text.length : this.source.length).trim();
  }

  private or(): Expr {
    const start = this.peek().at;
    let left = this.and();
    while (this.isWord('or') || this.isOp('||')) {
      this.take();
      left = { type: 'binary', op: 'or', left, right: this.and(), text: '' };
      left.text = this.span(start);
    }
    return left;
  }

  private and(): Expr {
    const start = this.peek().at;
    let left = this.not();
    while (this.isWord('and') || this.isOp('&&')) {
      this.take();
      left = { type: 'binary', op: 'and', left, right: this.not(), text: '' };
      left.text = this.span(start);
    }
    return left;
  }

  private not(): Expr {
    const start = this.peek().at;
    if (this.isWord('not') || this.isOp('!')) {
      this.take();
      const operand = this.not();
      return { type: 'unary', op: 'not', operand, text: this.span(start) };
    }
    return this.compare();
  }

  private compare(): Expr {
    const start = this.peek().at;
    const left = this.sum();
    const token = this.peek();
    if (token.kind === 'op' && COMPARISONS.has(token.text)) {
      this.take();
      const right = this.sum();
      const next = this.peek();
      if (next.kind === 'op' && COMPARISONS.has(next.text)) throw new ExpressionSyntaxError('comparisons cannot be chained (write a < b and b < c)', next.at);
      return { type: 'binary', op: token.text as BinaryOp, left, right, text: this.span(start) };
    }
    return left;
  }

  private sum(): Expr {
    const start = this.peek().at;
    let left = this.product();
    while (this.isOp('+', '-')) {
      const op = this.take().text as '+' | '-';
      left = { type: 'binary', op, left, right: this.product(), text: '' };
      left.text = this.span(start);
    }
    return left;
  }

  private product(): Expr {
    const start = this.peek().at;
    let left = this.unary();
    while (this.isOp('*', '/', '%')) {
      const op = this.take().text as '*' | '/' | '%';
      left = { type: 'binary', op, left, right: this.unary(), text: '' };
      left.text = this.span(start);
    }
    return left;
  }

  private unary(): Expr {
    const start = this.peek().at;
    if (this.isOp('-')) {
      this.take();
      const operand = this.unary();
      return { type: 'unary', op: '-', operand, text: this.span(start) };
    }
    if (this.isOp('+')) {
      this.take();
      return this.unary();
    }
    return this.primary();
  }

  private primary(): Expr {
    const token = this.take();
    switch (token.kind) {
      case 'number':
        return { type: 'literal', value: token.value as number, text: token.text };
      case 'string':
        return { type: 'literal', value: token.value as string, text: token.text };
      case 'name':
        return this.named(token);
      case 'punct':
        if (token.text === '(') {
          const inner = this.or();
          const close = this.take();
          if (close.text !== ')') throw new ExpressionSyntaxError(`expected ")" to close the "(" at character ${token.at + 1}`, close.at);
          return inner;
        }
        break;
      default:
        break;
    }
    if (token.kind === 'end') throw new ExpressionSyntaxError('the expression ends too early (a value missing after an operator?)', token.at);
    throw new ExpressionSyntaxError(`expected a value, found "${token.text}"`, token.at);
  }

  private named(token: Token): Expr {
    const name = token.text;
    if (name === 'true' || name === 'false') return { type: 'literal', value: name === 'true', text: name };
    if (name === 'null' || name === 'none') return { type: 'literal', value: null, text: name };
    if (['and', 'or', 'not'].includes(name)) throw new ExpressionSyntaxError(`"${name}" needs a value before it`, token.at);
    const open = this.peek();
    if (open.kind !== 'punct' || open.text !== '(') return { type: 'name', name, text: name };
    const spec = ownValue(FUNCTIONS, name);
    if (!spec) throw new ExpressionSyntaxError(`unknown function "${name}" (known: ${Object.keys(FUNCTIONS).join(', ')})`, token.at);
    this.take();
    const args: Expr[] = [];
    if (this.peek().text !== ')') {
      for (;;) {
        args.push(this.or());
        const separator = this.take();
        if (separator.text === ')') break;
        if (separator.text !== ',') throw new ExpressionSyntaxError(`expected "," or ")" in the arguments of ${name}, found "${separator.text}"`, separator.at);
      }
    } else {
      this.take();
    }
    if (args.length < spec.min || args.length > spec.max) {
      throw new ExpressionSyntaxError(
        `${name} takes ${spec.min === spec.max ? spec.min : `${spec.min} to ${spec.max}`} argument${spec.max === 1 ? '' : 's'}: ${spec.usage}`,
        token.at,
      );
    }
    return { type: 'call', name, args, text: this.span(token.at) };
  }
}

/** Parses an expression, or throws an ExpressionSyntaxError that says where and what is wrong. */
export function parseExpression(source: string): Expr {
  return new Parser(source).parse();
}

/** Every name the expression reads (entity ids, trigger fields), for validation at load. */
export function namesIn(expr: Expr): { name: string; call?: string }[] {
  switch (expr.type) {
    case 'literal':
      return [];
    case 'name':
      return [{ name: expr.name }];
    case 'call': {
      const inner = expr.args.flatMap(namesIn);
      const [first] = expr.args;
      if (expr.name === 'state' && first?.type === 'literal' && typeof first.value === 'string') inner.push({ name: first.value, call: 'state' });
      return inner;
    }
    case 'unary':
      return namesIn(expr.operand);
    case 'binary':
      return [...namesIn(expr.left), ...namesIn(expr.right)];
  }
}
