import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { type JsonSchemaNode, configJsonSchema } from '../../src/config/schema-shape.js';
import { tempDir } from '../support/tmp.js';

const EXAMPLE = readFileSync(new URL('../../config.example.yaml', import.meta.url), 'utf8');

/** Turns `# key: value` lines (keys and list items, at any depth) into live YAML. */
function uncomment(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^(\s*)# (\s*(?:- )?[a-z0-9_]+:(?: .*)?)$/, '$1$2'))
    .join('\n');
}

/** Every leaf path of the schema, descending into the first item of lists of sections. */
function leafPaths(node: JsonSchemaNode, path: (string | number)[] = []): (string | number)[][] {
  if (node.properties) {
    return Object.entries(node.properties).flatMap(([key, child]) => leafPaths(child, [...path, key]));
  }
  if (node.items?.properties) return leafPaths(node.items, [...path, 0]);
  return [path];
}

function at(root: unknown, path: (string | number)[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

describe('config.example.yaml', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    ({ dir, cleanup } = await tempDir());
    await writeFile(join(dir, 'secrets.yaml'), 'tesla_client_secret: s3cret-value\nmqtt_password: mqtt-pass\nhttp_password: http-pass\n');
    await writeFile(join(dir, 'automations.yaml'), '[]\n');
  });
  after(() => cleanup());

  it('is valid as shipped, so "cp config.example.yaml config.yaml" gives a working start', async () => {
    await writeFile(join(dir, 'as-shipped.yaml'), EXAMPLE);
    const result = loadConfig({ file: join(dir, 'as-shipped.yaml'), cwd: dir, env: {} });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues, null, 2));
  });

  it('documents every key of the schema, and every documented default is the real default', async () => {
    const live = uncomment(EXAMPLE);
    await writeFile(join(dir, 'uncommented.yaml'), live);
    const documented = loadConfig({ file: join(dir, 'uncommented.yaml'), cwd: dir, env: {} });
    assert.ok(documented.ok, JSON.stringify(!documented.ok && documented.issues, null, 2));
    const defaults = loadConfig({ file: undefined, cwd: dir, env: {} });
    assert.ok(defaults.ok);

    const raw = parse(live, {
      customTags: [
        { tag: '!secret', resolve: (v: string) => v },
        { tag: '!include', resolve: (v: string) => v },
      ],
    }) as unknown;
    const schema = configJsonSchema();
    const missing: string[] = [];
    const wrongDefault: string[] = [];
    for (const path of leafPaths(schema)) {
      const name = path.join('.');
      if (at(raw, path) === undefined) {
        missing.push(name);
        continue;
      }
      const leaf = path.reduce<JsonSchemaNode | undefined>(
        (node, segment) => (typeof segment === 'number' ? node?.items : node?.properties?.[segment]),
        schema,
      );
      // Paths are resolved against the folder, so both sides went through the same resolution.
      if (leaf && 'default' in leaf && typeof path[0] === 'string' && !['vehicles', 'energy_sites'].includes(path[0])) {
        const shown = at(documented.loaded.config, path);
        const actual = at(defaults.loaded.config, path);
        if (JSON.stringify(shown) !== JSON.stringify(actual)) wrongDefault.push(`${name}: example ${JSON.stringify(shown)}, default ${JSON.stringify(actual)}`);
      }
    }
    assert.deepEqual(missing, [], 'keys missing from config.example.yaml');
    assert.deepEqual(wrongDefault, [], 'defaults in config.example.yaml differ from the schema');
  });
});
