/**
 * Small readers for Tesla's JSON: a missing or malformed field is null (unknown), never a
 * made-up default.
 */
export function at(root: unknown, path: string): unknown {
  let node = root;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Tesla's ways of saying "nothing here" in a text field: `<invalid>` (no cable, no fast charger),
 * an empty string, `Unknown`/`<unknown>` and `SNA` (signal not available). They are no value, never
 * something to show a user.
 */
const PLACEHOLDERS: ReadonlySet<string> = new Set(['<invalid>', '<unknown>', 'unknown', 'sna']);

export function isPlaceholder(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === '' || PLACEHOLDERS.has(trimmed.toLowerCase());
}

/** Text a person may see: a string that is not one of Tesla's placeholders, else null. */
export function text(value: unknown): string | null {
  return typeof value === 'string' && !isPlaceholder(value) ? value : null;
}

export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  return null;
}

export function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
