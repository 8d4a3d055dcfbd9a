import { z } from 'zod';
import { text } from '../config/schema-helpers.js';
import { readActions } from './schema-actions.js';
import { readConditions } from './schema-conditions.js';
import { readTriggers } from './schema-triggers.js';
import { type Automation, DEFAULT_LIMITS, DEFAULT_QUEUE_MAX, MODES } from './types.js';

/**
 * `automations:` in config.yaml, in Home Assistant's shape. Part of the config
 * schema, so every problem is reported at load and by `check-config` with its path and line.
 * Keys without a value fall back to their defaults here (not as schema defaults: each list
 * item is the user's own rule, and the documented values in config.example.yaml are examples).
 */

const limits = z.strictObject({
  wakes_per_hour: z.number().int().min(0).max(60).optional(),
  commands_per_hour: z.number().int().min(0).max(3600).optional(),
  runs_per_minute: z.number().int().min(1).max(600).optional(),
});

const automation = z
  .strictObject({
    id: text().refine((value) => /^[a-z0-9_]+$/.test(value), {
      message: 'may only hold a-z, 0-9 and "_" (fix: pick an id like storm_reserve)',
    }),
    alias: text().optional(),
    description: text().optional(),
    mode: z.enum(MODES).optional(),
    max: z.number().int().min(1).max(100).optional(),
    enabled: z.boolean().optional(),
    triggers: z.unknown().transform(readTriggers).optional(),
    conditions: z.unknown().transform(readConditions).optional(),
    actions: z.unknown().transform(readActions).optional(),
    limits: limits.optional(),
  })
  .transform((raw, ctx): Automation => {
    for (const key of ['triggers', 'actions'] as const) {
      if (raw[key] === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} is missing (fix: add ${key}: with at least one item, as in config.example.yaml)` });
    }
    return {
      id: raw.id,
      alias: raw.alias ?? raw.id,
      ...(raw.description !== undefined ? { description: raw.description } : {}),
      mode: raw.mode ?? 'single',
      max: raw.max ?? DEFAULT_QUEUE_MAX,
      enabled: raw.enabled ?? true,
      triggers: raw.triggers ?? [],
      conditions: raw.conditions ?? [],
      actions: raw.actions ?? [],
      limits: {
        wakesPerHour: raw.limits?.wakes_per_hour ?? DEFAULT_LIMITS.wakesPerHour,
        commandsPerHour: raw.limits?.commands_per_hour ?? DEFAULT_LIMITS.commandsPerHour,
        runsPerMinute: raw.limits?.runs_per_minute ?? DEFAULT_LIMITS.runsPerMinute,
      },
    };
  });

/** `automations:` with every rule commented out reads as null in YAML: no rules, not an error. */
export const automationsSchema = z
  .preprocess((value) => (value === null ? [] : value), z.array(automation).default([]))
  .superRefine(
    (value, ctx) => {
      // Runs even when items are invalid (every problem in one pass), so it reads defensively.
      if (!Array.isArray(value)) return;
      const seen = new Map<string, number>();
      (value as unknown[]).forEach((item, index) => {
        const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
        if (typeof id !== 'string') return;
        const first = seen.get(id);
        if (first === undefined) seen.set(id, index);
        else
          ctx.addIssue({
            code: 'custom',
            path: [index, 'id'],
            message: `"${id}" is already the id of automations[${first}] (fix: give each automation its own id)`,
          });
      });
    },
    { when: () => true },
  );
