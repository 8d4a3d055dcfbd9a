/** Field names whose values are never logged, whatever they hold. */
const SECRET_FIELDS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'password',
  'authorization',
  'code_verifier',
  'private_key',
  'secret',
  'token',
]);

export const REDACTED = '[redacted]';

/** Shortest string worth registering; shorter ones would shred ordinary words in log lines. */
const MIN_SECRET_LENGTH = 4;

/**
 * Knows every secret the process holds (tokens, client secret, passwords) and removes them from
 * text, also in their URL-encoded and JSON-escaped forms, which is how they show up in URLs and
 * serialised bodies.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  add(secret: string | undefined | null): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
    let changed = false;
    for (const form of forms) {
      if (!this.secrets.has(form)) {
        this.secrets.add(form);
        changed = true;
      }
    }
    if (changed) this.pattern = undefined;
  }

  get size(): number {
    return this.secrets.size;
  }

  redact(text: string): string {
    if (this.secrets.size === 0) return text;
    this.pattern ??= new RegExp(
      [...this.secrets]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    return text.replace(this.pattern, REDACTED);
  }

  /** A copy of `value` with secret-named fields blanked, for structured log fields. */
  scrubFields(value: unknown, depth = 0): unknown {
    if (depth > 6 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) return value;
    if (Array.isArray(value)) return value.map((item) => this.scrubFields(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_FIELDS.has(key.toLowerCase()) ? REDACTED : this.scrubFields(inner, depth + 1);
    }
    return out;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
