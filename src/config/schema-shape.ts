import { z } from 'zod';
import { configSchema } from './schema.js';
import type { PathSegment } from './issues.js';

/** The JSON Schema view of the config schema: which keys exist where, and their defaults. */
export interface JsonSchemaNode {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  default?: unknown;
  anyOf?: JsonSchemaNode[];
}

let cached: JsonSchemaNode | undefined;

export function configJsonSchema(): JsonSchemaNode {
  cached ??= z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  return cached;
}

/** The schema node at `path`, walking object properties and list items. */
export function schemaAt(path: readonly PathSegment[]): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = configJsonSchema();
  for (const segment of path) {
    if (!node) return undefined;
    node = typeof segment === 'number' ? node.items : node.properties?.[segment];
  }
  return node;
}

/** Keys a section accepts, for "did you mean" hints. */
export function knownKeys(path: readonly PathSegment[]): string[] {
  return Object.keys(schemaAt(path)?.properties ?? {});
}
