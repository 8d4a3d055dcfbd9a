/**
 * A problem the user can fix: bad config, a port in use, a missing key file. The CLI prints the
 * message and the fix and exits with code 1; everything else is an internal error (exit 2).
 */
export class UserError extends Error {
  override readonly name = 'UserError';

  readonly fix: string | undefined;

  constructor(message: string, fix?: string, options?: ErrorOptions) {
    super(message, options);
    this.fix = fix;
  }

  /** One line for a terminal: what is wrong, then how to fix it. */
  describe(): string {
    return this.fix ? `${this.message} (fix: ${this.fix})` : this.message;
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The errno code of a Node system error, if it is one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
