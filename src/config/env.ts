import { parse } from 'yaml';
import { ownValue, setOwn } from '../core/own.js';
import { type ConfigIssue, formatPath, type PathSegment, type SourceLocation } from './issues.js';

export const ENV_PREFIX = 'TESLAHUB_';
/** Variables with the prefix that are not config paths. */
const RESERVED = new Set(['TESLAHUB_CONFIG']);

export interface EnvOverrides {
  value: unknown;
  issues: ConfigIssue[];
}

/**
 * Applies `TESLAHUB_<PATH>` variables on top of the file's values: path segments are joined by
 * `__` (`TESLAHUB_TESLA__CLIENT_SECRET` → `tesla.client_secret`), a numeric segment indexes a
 * list, values are read as YAML scalars or flow collections (`8080`, `true`, `[a, b]`), and an
 * empty value removes the key so the default applies.
 */
export function applyEnvOverrides(base: unknown, env: Readonly<Record<string, string | undefined>>, locations: Map<string, SourceLocation>): EnvOverrides {
  const issues: ConfigIssue[] = [];
  let root: unknown = base ?? {};
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !RESERVED.has(name))
    .sort();
  for (const variable of names) {
    const raw = env[variable] ?? '';
    const path: PathSegment[] = variable
      .slice(ENV_PREFIX.length)
      .split('__')
      .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment.toLowerCase()));
    if (path.some((segment) => segment === '')) {
      issues.push({
        path: '',
        problem: `environment variable ${variable} has an empty path segment`,
        fix: 'join path segments with exactly two underscores, e.g. TESLAHUB_TESLA__CLIENT_ID',
        location: { kind: 'env', variable },
      });
      continue;
    }
    const outcome = setPath(root, path, raw === '' ? undefined : parseEnvValue(raw));
    if (outcome.ok) {
      root = outcome.root;
      // Sections the variable creates are its own too: an unknown one is blamed on it, not the file.
      for (let depth = path.length; depth > 0; depth--) {
        const at = formatPath(path.slice(0, depth));
        if (depth < path.length && locations.has(at)) break;
        locations.set(at, { kind: 'env', variable });
      }
    } else {
      issues.push({
        path: formatPath(path),
        problem: `environment variable ${variable} cannot be applied: ${outcome.reason}`,
        fix: 'check the variable name against config.example.yaml',
        location: { kind: 'env', variable },
      });
    }
  }
  return { value: root, issues };
}

function parseEnvValue(raw: string): unknown {
  try {
    const value: unknown = parse(raw);
    // Only scalars and flow collections change type; anything odd stays the literal text.
    return value === null ? raw : value;
  } catch {
    return raw;
  }
}

type SetOutcome = { ok: true; root: unknown } | { ok: false; reason: string };

function setPath(root: unknown, path: PathSegment[], value: unknown): SetOutcome {
  const [head, ...rest] = path;
  if (head === undefined) return { ok: true, root: value };
  if (typeof head === 'number') {
    const list = root === undefined || root === null ? [] : root;
    if (!Array.isArray(list)) return { ok: false, reason: 'the value at this point is not a list' };
    if (head > list.length) return { ok: false, reason: `index ${head} is beyond the end of the list (${list.length} items)` };
    const copy = [...list] as unknown[];
    const inner = setPath(copy[head], rest, value);
    if (!inner.ok) return inner;
    copy[head] = inner.root;
    return { ok: true, root: copy };
  }
  const object = root === undefined || root === null ? {} : root;
  if (typeof object !== 'object' || Array.isArray(object)) {
    return { ok: false, reason: 'the value at this point is not a section' };
  }
  const copy = { ...(object as Record<string, unknown>) };
  const inner = setPath(ownValue(copy, head), rest, value);
  if (!inner.ok) return inner;
  if (inner.root === undefined) delete copy[head];
  else setOwn(copy, head, inner.root);
  return { ok: true, root: copy };
}
