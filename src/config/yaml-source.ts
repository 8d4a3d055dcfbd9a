import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Alias, type Document, type Node, type ScalarTag, type YAMLMap } from 'yaml';
import { errnoCode, errorMessage } from '../core/errors.js';
import { ownValue, setOwn } from '../core/own.js';
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

/**
 * The YAML library's own budget against alias bombs (a few hundred bytes that expand to
 * gigabytes): its default, applied before the walk below expands any alias.
 */
export const MAX_ALIAS_COUNT = 100;

interface ParsedFile {
  doc: Document;
  lines: LineCounter;
}

interface WalkContext {
  file: string;
  parsed: ParsedFile;
  includeChain: string[];
  /** Collections being walked, outermost first: an alias to one of them would never end. */
  open: Set<Node>;
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
    return this.walk(contents as Node, basePath, { file, parsed, includeChain: [...includeChain, file], open: new Set() });
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
    if (doc.errors.length > 0) return undefined;
    const aliasProblem = this.aliasBudget(doc);
    if (aliasProblem) {
      this.issues.push({
        path: formatPath(path),
        problem: aliasProblem,
        fix: `write the values out, or use fewer aliases (at most ${MAX_ALIAS_COUNT} expansions)`,
        location: { kind: 'file', file, line: 1, column: 1 },
      });
      return undefined;
    }
    return { doc, lines };
  }

  /** The YAML library's alias budget, checked on the whole document before anything is expanded. */
  private aliasBudget(doc: Document): string | undefined {
    try {
      doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      return undefined;
    } catch (error) {
      if (error instanceof ReferenceError && /excessive alias count/i.test(error.message)) {
        return `the file's aliases (*name) expand to too much data (more than the ${MAX_ALIAS_COUNT} expansions allowed)`;
      }
      // Unresolved aliases are reported where they are, by the walk.
      return undefined;
    }
  }

  private walk(node: Node, path: PathSegment[], ctx: WalkContext): unknown {
    const location = this.locate(node, ctx);
    if (location) this.locations.set(formatPath(path), location);

    if (isAlias(node)) return this.alias(node, path, ctx, location);
    if (isScalar(node)) {
      if (node.tag === '!secret') return this.secret(String(node.value), path, location);
      if (node.tag === '!include') return this.include(String(node.value), path, ctx, location);
      return exactScalar(node.value, node.source);
    }
    if (isMap(node) || isSeq(node)) {
      ctx.open.add(node);
      try {
        if (isMap(node)) return this.map(node, path, ctx, location);
        return node.items.map((item, index) => (item === null ? null : this.walk(item as Node, [...path, index], ctx)));
      } finally {
        ctx.open.delete(node);
      }
    }
    return null;
  }

  private alias(node: Alias, path: PathSegment[], ctx: WalkContext, location: SourceLocation | undefined): unknown {
    const target = node.resolve(ctx.parsed.doc) as Node | undefined;
    const where = location ? { location } : {};
    if (!target) {
      this.issues.push({
        path: formatPath(path),
        problem: `alias *${node.source} has no anchor &${node.source} before it`,
        fix: `define &${node.source} earlier in the file, or correct the name`,
        ...where,
      });
      return undefined;
    }
    if (ctx.open.has(target)) {
      this.issues.push({
        path: formatPath(path),
        problem: `alias *${node.source} is inside the value it names (&${node.source}), which would never end`,
        fix: `move *${node.source} out of the value marked &${node.source}`,
        ...where,
      });
      return undefined;
    }
    return this.walk(target, path, ctx);
  }

  private map(node: YAMLMap, path: PathSegment[], ctx: WalkContext, location: SourceLocation | undefined): Record<string, unknown> {
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
      // An own property even when the key is __proto__, so validation sees (and refuses) it.
      setOwn(out, key, pair.value === null ? null : this.walk(pair.value as Node, childPath, ctx));
      // The key's line is where users look for a problem with its value.
      if (keyLocation) this.locations.set(formatPath(childPath), keyLocation);
    }
    return out;
  }

  private locate(node: Node | null, ctx: WalkContext): SourceLocation | undefined {
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
    if (!Object.hasOwn(values, name)) {
      this.issues.push({
        path: formatPath(path),
        problem: `secret "${name}" is not defined in ${this.secretsFile}`,
        fix: `add a line "${name}: <value>" to ${this.secretsFile}, or correct the name after !secret`,
        ...where,
      });
      return undefined;
    }
    const value = ownValue(values, name);
    if (typeof value === 'string' || typeof value === 'number') this.secrets.push(String(value));
    return value;
  }

  private loadSecrets(): Record<string, unknown> | undefined {
    if (this.secretValues || this.secretsProblem) return this.secretValues;
    let text: string;
    try {
      text = readFileSync(this.secretsFile, 'utf8');
    } catch (error) {
      this.secretsProblem = errnoCode(error) === 'ENOENT' ? `${this.secretsFile} does not exist` : `cannot read ${this.secretsFile}: ${errorMessage(error)}`;
      return undefined;
    }
    this.files.push(this.secretsFile);
    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
    let parsed: unknown;
    try {
      parsed = doc.errors.length === 0 ? doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) : undefined;
    } catch (error) {
      this.secretsProblem = `${this.secretsFile} cannot be read: ${errorMessage(error)}`;
      return undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      this.secretsProblem = `${this.secretsFile} is not a YAML map of name: value lines`;
      return undefined;
    }
    this.secretValues = parsed as Record<string, unknown>;
    return this.secretValues;
  }

  private include(target: string, path: PathSegment[], ctx: WalkContext, location: SourceLocation | undefined): unknown {
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
