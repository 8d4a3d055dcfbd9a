import type { z } from 'zod';
import { type Config, configSchema } from './schema.js';
import { knownKeys, schemaAt } from './schema-shape.js';
import { closest } from '../core/typo.js';
import { type ConfigIssue, formatPath, type PathSegment, type SourceLocation, splitFix } from './issues.js';

export type Validation = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

/** Validates raw config data; every problem is reported, each with its source location. */
export function validateConfig(raw: unknown, locations: Map<string, SourceLocation>): Validation {
  const result = configSchema.safeParse(emptySectionsAsMaps(raw ?? {}, []), { reportInput: true });
  if (result.success) return { ok: true, config: result.data };
  const issues = result.error.issues.flatMap((issue) => toConfigIssues(issue, locations));
  return { ok: false, issues };
}

/**
 * A section whose keys are all commented out (`http:` and nothing under it) reads as null in
 * YAML; like Home Assistant, treat it as an empty section rather than an error.
 */
function emptySectionsAsMaps(value: unknown, path: PathSegment[]): unknown {
  const node = schemaAt(path);
  if (value === null && node?.properties) return {};
  if (Array.isArray(value)) return value.map((item, index) => emptySectionsAsMaps(item, [...path, index]));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, emptySectionsAsMaps(inner, [...path, key])]));
  }
  return value;
}

function toConfigIssues(issue: z.core.$ZodIssue, locations: Map<string, SourceLocation>): ConfigIssue[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(path);
    return issue.keys.map((key) => {
      const keyPath = [...path, key];
      const suggestion = closest(key, known);
      return withLocation(
        {
          path: formatPath(keyPath),
          problem: 'unknown key',
          fix: suggestion ? `did you mean "${suggestion}"? Otherwise remove it` : `remove it; keys allowed here: ${known.join(', ')}`,
        },
        keyPath,
        locations,
      );
    });
  }
  const { problem, fix } = describe(issue, path);
  return [withLocation({ path: formatPath(path), problem, fix }, path, locations)];
}

function describe(issue: z.core.$ZodIssue, path: PathSegment[]): { problem: string; fix: string } {
  const key = String(path.at(-1) ?? 'value');
  // Messages written in the schema carry their own fix.
  if (issue.message.includes('(fix:')) return splitFix(issue.message, '');
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) {
        return { problem: 'is required', fix: `add ${key}: with a ${typeName(issue.expected)}` };
      }
      return {
        problem: `expected ${article(typeName(issue.expected))}, got ${describeInput(issue.input)}`,
        fix: `write ${article(typeName(issue.expected))} here`,
      };
    }
    case 'invalid_value':
      return {
        problem: `${describeInput(issue.input)} is not allowed`,
        fix: `use one of: ${issue.values.map((v) => String(v)).join(', ')}`,
      };
    case 'too_small':
      return { problem: `must be at least ${String(issue.minimum)}`, fix: `use a value of ${String(issue.minimum)} or more` };
    case 'too_big':
      return { problem: `must be at most ${String(issue.maximum)}`, fix: `use a value of ${String(issue.maximum)} or less` };
    case 'invalid_format':
      return { problem: `is not a valid ${issue.format}`, fix: `write a valid ${issue.format}` };
    case 'invalid_union':
      return { problem: `${describeInput(issue.input)} is not allowed here`, fix: 'see config.example.yaml for the accepted values' };
    default:
      return { problem: issue.message, fix: 'see config.example.yaml for this key' };
  }
}

function withLocation(issue: ConfigIssue, path: PathSegment[], locations: Map<string, SourceLocation>): ConfigIssue {
  // A missing key has no line of its own: point at the nearest parent that has one.
  for (let depth = path.length; depth >= 0; depth--) {
    const location = locations.get(formatPath(path.slice(0, depth)));
    if (location) return { ...issue, location };
  }
  return issue;
}

function typeName(expected: string): string {
  switch (expected) {
    case 'object':
      return 'section (key: value lines)';
    case 'array':
      return 'list';
    default:
      return expected;
  }
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function describeInput(input: unknown): string {
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a section';
  if (typeof input === 'string') return `"${input.length > 60 ? `${input.slice(0, 57)}...` : input}"`;
  return String(input);
}
