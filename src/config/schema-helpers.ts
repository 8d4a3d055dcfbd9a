import { z } from 'zod';
import { parseDuration } from './duration.js';

/**
 * Building blocks of the config schema. A message that contains "(fix: …)" is shown to the user
 * as written; other problems get generic wording from validate.ts.
 */

/** A non-empty string; numbers and booleans are taken as their text (YAML reads `1234` as a number). */
export const text = () =>
  z.preprocess(
    (value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
    z.string().min(1, { message: 'must not be empty (fix: write a value or remove the key)' }),
  );

/** A path on disk; relative paths are resolved against the config file's folder by the loader. */
export const filePath = () => text();

/** A duration written as `30s`, `5m`, `1h` or a number of seconds; the parsed value is in seconds. */
export const duration = (options: { min?: number; max?: number } = {}) =>
  z.unknown().transform((value, ctx): number => {
    const seconds = parseDuration(value);
    if (seconds === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is not a duration (fix: write it like 30s, 5m, 1h or a number of seconds)`,
      });
      return z.NEVER;
    }
    if (options.min !== undefined && seconds < options.min) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is shorter than the minimum of ${options.min} s (fix: use at least ${options.min}s)`,
      });
    }
    if (options.max !== undefined && seconds > options.max) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(value)} is longer than the maximum of ${options.max} s (fix: use at most ${options.max}s)`,
      });
    }
    return seconds;
  });

export const port = (allowZero: boolean) =>
  z
    .number()
    .int({ message: 'a port is a whole number (fix: use a number from 1 to 65535)' })
    .min(allowZero ? 0 : 1, {
      message: allowZero
        ? 'a port is 0 to 65535 (fix: use 1-65535, or 0 to let the system pick a free one)'
        : 'a port is 1 to 65535 (fix: use a number from 1 to 65535)',
    })
    .max(65535, {
      message: allowZero
        ? 'a port is 0 to 65535 (fix: use 1-65535, or 0 to let the system pick a free one)'
        : 'a port is at most 65535 (fix: use a number from 1 to 65535)',
    });

export const url = (schemes: readonly string[], example: string) =>
  text().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `is not a ${schemes.join('/')} URL (fix: write it like ${example})` },
  );

/** One path segment of an MQTT topic: what a device's `topic` override may be. */
export const topicSegment = () =>
  text().refine((value) => /^[A-Za-z0-9_-]+$/.test(value), {
    message: 'may only hold letters, digits, "_" and "-" (fix: pick a name like garage_car)',
  });

/** A topic prefix such as `teslahub` or `home/tesla`: no wildcards, no empty levels. */
export const topicPrefix = () =>
  // An empty value is already "must not be empty"; one problem, one message.
  text().refine((value) => value === '' || (!/[#+\0]/.test(value) && !value.split('/').some((level) => level === '')), {
    message: 'must be topic levels separated by "/", without "+", "#", empty levels or a leading/trailing "/" (fix: e.g. teslahub)',
  });

// ISO 3779 VIN: 17 characters, no I, O or Q.
export const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;

export const vin = () =>
  text()
    .transform((value) => value.toUpperCase())
    .refine((value) => VIN_PATTERN.test(value), {
      message: 'is not a VIN (fix: copy the 17-character VIN from the Tesla app; it has no I, O or Q)',
    });
