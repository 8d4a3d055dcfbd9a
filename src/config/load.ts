import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { dataDirProblem } from './data-dir-check.js';
import { applyEnvOverrides } from './env.js';
import type { ConfigIssue, SourceLocation } from './issues.js';
import { type Config, SECRET_PATHS } from './schema.js';
import { validateConfig } from './validate.js';
import { readYamlSource } from './yaml-source.js';

export const DEFAULT_CONFIG_FILE = 'config.yaml';
export const SECRETS_FILE = 'secrets.yaml';

export interface LoadedConfig {
  /** Validated, with defaults applied and every path made absolute. */
  config: Config;
  /** The config file, or undefined when running on defaults (demo mode). */
  file: string | undefined;
  /** Folder that relative paths were resolved against. */
  dir: string;
  /** Every secret value the config holds, for the log redactor. */
  secrets: string[];
}

export type LoadResult = { ok: true; loaded: LoadedConfig } | { ok: false; issues: ConfigIssue[]; file: string | undefined };

export interface LoadOptions {
  /** Path of the config file; undefined runs on defaults and environment overrides only. */
  file: string | undefined;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export function loadConfig(options: LoadOptions): LoadResult {
  const file = options.file === undefined ? undefined : resolve(options.cwd, options.file);
  const dir = file ? dirname(file) : options.cwd;
  const issues: ConfigIssue[] = [];
  let raw: unknown = {};
  let locations = new Map<string, SourceLocation>();
  const secrets: string[] = [];

  if (file) {
    const source = readYamlSource(file, join(dir, SECRETS_FILE));
    issues.push(...source.issues);
    locations = source.locations;
    secrets.push(...source.secrets);
    raw = source.value ?? {};
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      issues.push({
        path: '',
        problem: `${file} must hold sections such as tesla: and mqtt:, not ${Array.isArray(raw) ? 'a list' : 'a single value'}`,
        fix: 'start from config.example.yaml',
      });
      raw = {};
    }
  }

  const overridden = applyEnvOverrides(raw, options.env, locations);
  issues.push(...overridden.issues);

  const validation = validateConfig(overridden.value, locations);
  if (!validation.ok) issues.push(...validation.issues.filter((issue) => !alreadyReported(issue, issues)));
  if (issues.length > 0 || !validation.ok) return { ok: false, issues: inReadingOrder(issues), file };

  const config = resolvePaths(validation.config, dir);
  const dataDir = dataDirProblem(config.data_dir);
  if (dataDir) {
    const location = locations.get('data_dir');
    return { ok: false, issues: [{ path: 'data_dir', ...dataDir, ...(location ? { location } : {}) }], file };
  }
  for (const path of SECRET_PATHS) {
    const value = valueAt(config, path);
    if (typeof value === 'string') secrets.push(value);
  }
  return { ok: true, loaded: { config, file, dir, secrets } };
}

/** Where to look for the config: `--config`, then TESLAHUB_CONFIG, then ./config.yaml. */
export function locateConfigFile(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): { file: string; explicit: boolean; exists: boolean } {
  const chosen = explicit ?? env.TESLAHUB_CONFIG;
  const file = resolve(cwd, chosen ?? DEFAULT_CONFIG_FILE);
  return { file, explicit: chosen !== undefined, exists: existsSync(file) };
}

/**
 * A value the reader could not produce (a missing secret, a broken alias) is reported there; the
 * schema's complaint about the same missing value would be a second message for one problem.
 */
function alreadyReported(issue: ConfigIssue, earlier: readonly ConfigIssue[]): boolean {
  return earlier.some((e) => e.path !== '' && (issue.path === e.path || issue.path.startsWith(`${e.path}.`) || issue.path.startsWith(`${e.path}[`)));
}

/** Problems in files first, by file and line as a reader meets them; then the environment's. */
function inReadingOrder(issues: ConfigIssue[]): ConfigIssue[] {
  const rank = (issue: ConfigIssue): [number, string, number] =>
    issue.location?.kind === 'file' ? [0, issue.location.file, issue.location.line] : [issue.location?.kind === 'env' ? 1 : 2, '', 0];
  return [...issues].sort((a, b) => {
    const [ka, fa, la] = rank(a);
    const [kb, fb, lb] = rank(b);
    return ka - kb || fa.localeCompare(fb) || la - lb;
  });
}

function resolvePaths(config: Config, dir: string): Config {
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(dir, path));
  const optional = (path: string | undefined): { value?: string } => (path === undefined ? {} : { value: at(path) });
  const ca = optional(config.mqtt.ca);
  const cert = optional(config.mqtt.cert);
  const key = optional(config.mqtt.key);
  return {
    ...config,
    data_dir: at(config.data_dir),
    tesla: { ...config.tesla, private_key: at(config.tesla.private_key) },
    mqtt: {
      ...config.mqtt,
      ...(ca.value ? { ca: ca.value } : {}),
      ...(cert.value ? { cert: cert.value } : {}),
      ...(key.value ? { key: key.value } : {}),
    },
  };
}

function valueAt(root: unknown, dotted: string): unknown {
  let node: unknown = root;
  for (const segment of dotted.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
