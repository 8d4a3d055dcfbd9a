/** A command body that does not make sense: answered with 400 invalid_field. */
export class CommandInputError extends Error {
  override readonly name = 'CommandInputError';
}

/** Typed reads of a command's JSON body; a missing or wrong field throws CommandInputError. */
export class Params {
  private readonly body: Record<string, unknown>;

  constructor(body: unknown) {
    this.body = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  }

  has(name: string): boolean {
    return this.body[name] !== undefined && this.body[name] !== null;
  }

  number(name: string, range?: { min?: number; max?: number }): number {
    const value = this.body[name];
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof parsed !== 'number' || !Number.isFinite(parsed)) throw new CommandInputError(`${name} must be a number`);
    if (range?.min !== undefined && parsed < range.min) throw new CommandInputError(`${name} must be at least ${range.min}`);
    if (range?.max !== undefined && parsed > range.max) throw new CommandInputError(`${name} must be at most ${range.max}`);
    return parsed;
  }

  optionalNumber(name: string, range?: { min?: number; max?: number }): number | undefined {
    return this.has(name) ? this.number(name, range) : undefined;
  }

  boolean(name: string): boolean {
    const value = this.body[name];
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 1) return true;
    if (value === 'false' || value === 0) return false;
    throw new CommandInputError(`${name} must be true or false`);
  }

  optionalBoolean(name: string): boolean | undefined {
    return this.has(name) ? this.boolean(name) : undefined;
  }

  string(name: string): string {
    const value = this.body[name];
    if (typeof value !== 'string' || value === '') throw new CommandInputError(`${name} must be a non-empty string`);
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.has(name) ? this.string(name) : undefined;
  }

  oneOf<T extends string>(name: string, options: readonly T[]): T {
    const value = this.string(name);
    const found = options.find((option) => option === value);
    if (found === undefined) throw new CommandInputError(`${name} must be one of ${options.join(', ')}`);
    return found;
  }

  raw(name: string): unknown {
    return this.body[name];
  }
}
