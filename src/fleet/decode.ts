import type { z } from 'zod';
import type { FleetResult } from './errors.js';

/** Validates a successful answer's shape once, at the boundary; a surprise becomes a typed error. */
export function decode<T>(result: FleetResult<unknown>, schema: z.ZodType<T>, what: string): FleetResult<T> {
  if (!result.ok) return result;
  const parsed = schema.safeParse(result.value);
  if (parsed.success) return { ok: true, value: parsed.data, status: result.status };
  const first = parsed.error.issues[0];
  return {
    ok: false,
    error: {
      kind: 'permanent',
      status: result.status,
      message: `Tesla's answer to ${what} has an unexpected shape (${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'})`,
    },
  };
}
