/** Where a config value came from: a line in a YAML file, or an environment variable. */
export type SourceLocation = { kind: 'file'; file: string; line: number; column: number } | { kind: 'env'; variable: string };

export interface ConfigIssue {
  /** Dotted path with indices, e.g. `vehicles[0].vin`; empty for the whole file. */
  path: string;
  problem: string;
  fix: string;
  location?: SourceLocation;
}

export type PathSegment = string | number;

export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return out;
}

export function describeLocation(location: SourceLocation, relativeTo?: (file: string) => string): string {
  if (location.kind === 'env') return `environment variable ${location.variable}`;
  const file = relativeTo ? relativeTo(location.file) : location.file;
  return `${file} line ${location.line}`;
}

/** `path: problem (fix: ...) [where]` — the one format every config error is printed in. */
export function formatIssue(issue: ConfigIssue, relativeTo?: (file: string) => string): string {
  const where = issue.location ? ` [${describeLocation(issue.location, relativeTo)}]` : '';
  const subject = issue.path === '' ? '(config)' : issue.path;
  return `${subject}: ${issue.problem} (fix: ${issue.fix})${where}`;
}

/** Splits a schema message of the form `problem (fix: how)`; other messages get `fallbackFix`. */
export function splitFix(message: string, fallbackFix: string): { problem: string; fix: string } {
  const match = /^(.*?)\s*\(fix: (.*)\)\s*$/s.exec(message);
  if (match?.[1] !== undefined && match[2] !== undefined) return { problem: match[1], fix: match[2] };
  return { problem: message, fix: fallbackFix };
}
