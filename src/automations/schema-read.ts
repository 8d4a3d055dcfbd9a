import type { z } from 'zod';
import { parseDuration } from '../config/duration.js';
import { closest } from '../core/typo.js';

/** The known word nearest to a typo (shared with the config validator). */
export { closest };

/**
 * A small reader for the parts of an automation whose shape depends on a key (`trigger:`,
 * `condition:`, `action:`). It reports every problem as a located config issue whose message
 * carries its own fix, the format `check-config` prints.
 */

export type Path = (string | number)[];
export type Ctx = z.core.$RefinementCtx;
export type Raw = Record<string, unknown>;

export class Reader {
  private readonly ctx: Ctx;
  /** Set once any problem was reported: the result is then thrown away by zod. */
  failed = false;

  constructor(ctx: Ctx) {
    this.ctx = ctx;
  }

  /** Reports `problem (fix: fix)` at `path` (relative to the part being read). */
  problem(path: Path, problem: string, fix: string): undefined {
    this.failed = true;
    this.ctx.addIssue({ code: 'custom', path, message: `${problem} (fix: ${fix})` });
    return undefined;
  }

  /** The value as a map with only the allowed keys; unknown keys are reported with a suggestion. */
  object(value: unknown, path: Path, allowed: readonly string[], example: string): Raw | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return this.problem(path, `expected a section (key: value lines), got ${shown(value)}`, `write it like ${example}`);
    }
    const raw = value as Raw;
    for (const key of Object.keys(raw)) {
      if (allowed.includes(key)) continue;
      const suggestion = closest(key, allowed);
      this.problem(
        [...path, key],
        'unknown key',
        suggestion ? `did you mean "${suggestion}"? Otherwise remove it` : `remove it; keys allowed here: ${allowed.join(', ')}`,
      );
    }
    return raw;
  }

  text(raw: Raw, key: string, path: Path, options: { required: true; example: string }): string | undefined;
  text(raw: Raw, key: string, path: Path, options?: { required?: false; example?: string }): string | undefined;
  text(raw: Raw, key: string, path: Path, options: { required?: boolean; example?: string } = {}): string | undefined {
    const value = raw[key];
    if (value === undefined || value === null) {
      return options.required ? this.problem(path, `${key} is missing`, `add ${key}: ${options.example ?? '…'}`) : undefined;
    }
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string' || value.trim() === '')
      return this.problem([...path, key], `expected text, got ${shown(value)}`, `write ${key}: ${options.example ?? '…'}`);
    return value;
  }

  number(raw: Raw, key: string, path: Path): number | undefined {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
    return this.problem([...path, key], `expected a number, got ${shown(value)}`, `write ${key}: 30 (a plain number)`);
  }

  boolean(raw: Raw, key: string, path: Path, fallback: boolean): boolean {
    const value = raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    this.problem([...path, key], `expected true or false, got ${shown(value)}`, `write ${key}: true or ${key}: false`);
    return fallback;
  }

  duration(raw: Raw, key: string, path: Path, options: { required?: boolean; max?: number; example?: string } = {}): number | undefined {
    const value = raw[key];
    if (value === undefined || value === null) {
      return options.required ? this.problem(path, `${key} is missing`, `add ${key}: ${options.example ?? '5m'}`) : undefined;
    }
    const seconds = parseDuration(value);
    if (seconds === undefined) return this.problem([...path, key], `${shown(value)} is not a duration`, 'write it like 30s, 5m, 1h or a number of seconds');
    if (options.max !== undefined && seconds > options.max)
      return this.problem([...path, key], `${shown(value)} is longer than the ${options.max / 86_400} days allowed`, `use at most ${options.max / 86_400}d`);
    return seconds;
  }

  list(raw: Raw, key: string, path: Path, options: { required?: boolean; example: string }): unknown[] | undefined {
    const value = raw[key];
    if (value === undefined || value === null) {
      return options.required ? this.problem(path, `${key} is missing`, `add ${key}: with at least one item, e.g. ${options.example}`) : undefined;
    }
    return this.items(value, [...path, key], options);
  }

  /** `value` as a list; problems are reported at `path`, the list itself. */
  items(value: unknown, path: Path, options: { required?: boolean; example: string }): unknown[] | undefined {
    if (value === undefined || value === null) {
      return options.required ? this.problem(path, 'the list is empty', `add at least one item, e.g. ${options.example}`) : [];
    }
    if (!Array.isArray(value))
      return this.problem(path, `expected a list, got ${shown(value)}`, `write each item on its own "- " line, e.g. ${options.example}`);
    if (value.length === 0 && options.required) return this.problem(path, 'the list is empty', `add at least one item, e.g. ${options.example}`);
    return value;
  }
}

/** How a value is shown in a message. */
export function shown(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a section';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  return String(value);
}

/** One state or a list of them, as text: YAML true/false mean Home Assistant's ON/OFF. */
export function stateWords(value: unknown): string[] | undefined {
  const one = (item: unknown): string | undefined => {
    if (typeof item === 'boolean') return item ? 'ON' : 'OFF';
    if (typeof item === 'number' && Number.isFinite(item)) return String(item);
    if (typeof item === 'string' && item !== '') return item;
    return undefined;
  };
  const items = Array.isArray(value) ? value.map(one) : [one(value)];
  return items.length > 0 && items.every((item): item is string => item !== undefined) ? items : undefined;
}
