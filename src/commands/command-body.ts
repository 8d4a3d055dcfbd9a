/** A REST command body that cannot be turned into a protocol message; nothing is sent. */
export class CommandBodyError extends Error {
  override readonly name = 'CommandBodyError';
}

/** Typed reads of a REST command body (Tesla's names), for translation. */
export class CommandBody {
  private readonly command: string;
  private readonly body: Record<string, unknown>;

  constructor(command: string, body: Record<string, unknown>) {
    this.command = command;
    this.body = body;
  }

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  number(name: string, range: { min: number; max: number; integer?: boolean }): number {
    const value = this.body[name];
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof parsed !== 'number' || !Number.isFinite(parsed)) throw this.problem(`${name} must be a number, got ${JSON.stringify(value) ?? 'nothing'}`);
    if (parsed < range.min || parsed > range.max) throw this.problem(`${name} must be between ${range.min} and ${range.max}, got ${parsed}`);
    if (range.integer && !Number.isInteger(parsed)) throw this.problem(`${name} must be a whole number, got ${parsed}`);
    return parsed;
  }

  optionalNumber(name: string, range: { min: number; max: number; integer?: boolean }, fallback: number): number {
    return this.has(name) ? this.number(name, range) : fallback;
  }

  boolean(name: string): boolean {
    const value = this.body[name];
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw this.problem(`${name} must be true or false, got ${JSON.stringify(value) ?? 'nothing'}`);
  }

  optionalBoolean(name: string, fallback: boolean): boolean {
    return this.has(name) ? this.boolean(name) : fallback;
  }

  oneOf<T extends string>(name: string, options: readonly T[]): T {
    const value = this.body[name];
    const found = options.find((option) => option === value);
    if (found === undefined) throw this.problem(`${name} must be one of ${options.join(', ')}, got ${JSON.stringify(value) ?? 'nothing'}`);
    return found;
  }

  private problem(text: string): CommandBodyError {
    return new CommandBodyError(`${this.command}: ${text}`);
  }
}
