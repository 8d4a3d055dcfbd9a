import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type ScalarTag,
} from 'yaml';
import { errnoCode, errorMessage } from '../core/errors.js';
import { type ConfigIssue, formatPath, type PathSegment, type SourceLocation } from './issues.js';

/** The config as plain data, with where each path was written and which secrets it used. */
export interface YamlSource {
  value: unknown;
  locations: Map<string, SourceLocation>;
  issues: ConfigIssue[];
  /** Values that came from secrets.yaml, for the log redactor. */
  secrets: string[];
  /** Every file read: the config, its includes, secrets.yaml. */
  files: string[];
}

// Tags are kept on the nodes and resolved by the walk below, where the path and file are known.
const CUSTOM_TAGS: ScalarTag[] = [
  { tag: '!secret', resolve: (value: string) => value },
  { tag: '!include', resolve: (value: string) => value },
];

interface ParsedFile {
  doc: Document;
  lines: LineCounter;
}

class Reader {
  readonly locations = new Map<string, SourceLocation>();
  readonly issues: ConfigIssue[] = [];
  readonly secrets: string[] = [];
  readonly files: string[] = [];
  private secretValues: Record<string, unknown> | undefined;
  private secretsProblem: string | undefined;

  private readonly secretsFile: string;

  constructor(secretsFile: string) {
    this.secretsFile = secretsFile;
  }

  readFile(file: string, basePath: PathSegment[], includeChain: string[], from?: SourceLocation): unknown {
    const parsed = this.parse(file, basePath, from);
    if (!parsed) return undefined;
    const contents = parsed.doc.contents;
    if (contents === null) return null;
    return this.walk(contents as Node, basePath, { file, parsed, includeChain: [...includeChain, file] });
  }

  private parse(file: string, path: PathSegment[], from: SourceLocation | undefined): ParsedFile | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      this.issues.push({
        path: formatPath(path),
        problem: errnoCode(error) === 'ENOENT' ? `file ${file} does not exist` : `cannot read ${file}: ${errorMessage(error)}`,
        fix: 'check the file name, which is relative to the file that includes it, and that the daemon may read it',
        ...(from ? { location: from } : {}),
      });
      return undefined;
    }
    this.files.push(file);
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, customTags: CUSTOM_TAGS, uniqueKeys: true, prettyErrors: false });
    for (const error of doc.errors) {
      const pos = lines.linePos(error.pos[0]);
      this.issues.push({
        path: formatPath(path),
        problem: `YAML syntax error: ${error.message.split('\n')[0]}`,
        fix: 'correct the YAML at that line: indent with spaces, and quote values that contain ": " or start with a special character',
        location: { kind: 'file', file, line: pos.line, column: pos.col },
      });
    }
    return doc.errors.length > 0 ? undefined : { doc, lines };
  }

  private walk(
    node: Node,
    path: PathSegment[],
    ctx: { file: string; parsed: ParsedFile; includeChain: string[] },
  ): unknown {
    const location = this.locate(node, ctx);
    if (location) this.locations.set(formatPath(path), location);

    if (isAlias(node)) {
      const target = node.resolve(ctx.parsed.doc);
      return target ? this.walk(target as Node, path, ctx) : null;
    }
    if (isScalar(node)) {
      if (node.tag === '!secret') return this.secret(String(node.value), path, location);
      if (node.tag === '!include') return this.include(String(node.value), path, ctx, location);
      return exactScalar(node.value, node.source);
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
        if (key === undefined) {
          this.issues.push({
            path: formatPath(path),
            problem: 'a key must be plain text',
            fix: 'write keys as simple words such as client_id',
            ...(location ? { location } : {}),
          });
          continue;
        }
        const childPath = [...path, key];
        const keyLocation = this.locate(keyNode as Node, ctx);
        out[key] = pair.value === null ? null : this.walk(pair.value as Node, childPath, ctx);
        // The key's line is where users look for a problem with its value.
        if (keyLocation) this.locations.set(formatPath(childPath), keyLocation);
      }
      return out;
    }
    if (isSeq(node)) {
      return node.items.map((item, index) => (item === null ? null : this.walk(item as Node, [...path, index], ctx)));
    }
    return null;
  }

  private locate(node: Node | null, ctx: { file: string; parsed: ParsedFile }): SourceLocation | undefined {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = ctx.parsed.lines.linePos(offset);
    return { kind: 'file', file: ctx.file, line: pos.line, column: pos.col };
  }

  private secret(name: string, path: PathSegment[], location: SourceLocation | undefined): unknown {
    const values = this.loadSecrets();
    const where = location ? { location } : {};
    if (!values) {
      this.issues.push({
        path: formatPath(path),
        problem: `secret "${name}" cannot be read: ${this.secretsProblem ?? 'no secrets file'}`,
        fix: `create ${this.secretsFile} beside the config file, with a line "${name}: <value>"`,
        ...where,
      });
      return undefined;
    }
    if (!(name in values)) {
      this.issues.push({
        path: formatPath(path),
        problem: `secret "${name}" is not defined in ${this.secretsFile}`,
        fix: `add a line "${name}: <value>" to ${this.secretsFile}, or correct the name after !secret`,
        ...where,
      });
      return undefined;
    }
    const value = values[name];
    if (typeof value === 'string' || typeof value === 'number') this.secrets.push(String(value));
    return value;
  }

  private loadSecrets(): Record<string, unknown> | undefined {
    if (this.secretValues || this.secretsProblem) return this.secretValues;
    let text: string;
    try {
      text = readFileSync(this.secretsFile, 'utf8');
    } catch (error) {
      this.secretsProblem =
        errnoCode(error) === 'ENOENT' ? `${this.secretsFile} does not exist` : `cannot read ${this.secretsFile}: ${errorMessage(error)}`;
      return undefined;
    }
    this.files.push(this.secretsFile);
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
    const parsed: unknown = doc.errors.length === 0 ? doc.toJS() : undefined;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      this.secretsProblem = `${this.secretsFile} is not a YAML map of name: value lines`;
      return undefined;
    }
    this.secretValues = parsed as Record<string, unknown>;
    return this.secretValues;
  }

  private include(
    target: string,
    path: PathSegment[],
    ctx: { file: string; includeChain: string[] },
    location: SourceLocation | undefined,
  ): unknown {
    const file = resolve(dirname(ctx.file), target);
    if (ctx.includeChain.includes(file)) {
      this.issues.push({
        path: formatPath(path),
        problem: `!include ${target} includes itself (${[...ctx.includeChain, file].join(' -> ')})`,
        fix: 'remove the circular !include',
        ...(location ? { location } : {}),
      });
      return undefined;
    }
    return this.readFile(file, path, ctx.includeChain, location);
  }
}

/** Integers beyond 2^53 (long energy site ids) keep their exact digits as text. */
function exactScalar(value: unknown, source: string | undefined): unknown {
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value) && source) return source;
  return value;
}

/** Reads a YAML config with `!include` (relative to the including file) and `!secret` (from `secretsFile`). */
export function readYamlSource(file: string, secretsFile: string): YamlSource {
  const reader = new Reader(secretsFile);
  const value = reader.readFile(file, [], []);
  return {
    value,
    locations: reader.locations,
    issues: reader.issues,
    secrets: reader.secrets,
    files: reader.files,
  };
}
