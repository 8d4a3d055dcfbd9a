import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';

/** The rooms' import rules of docs/architecture.md, checked on every import of every file under src/. */
const SRC = resolve('src');
/** Room -> the other rooms it may import from (storage: durable files are infrastructure, like core). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  model: ['core', 'config', 'storage'],
  signing: ['core', 'gen', 'storage'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Module specifiers of static imports, re-exports, side-effect and dynamic imports. */
function importedModules(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) if (match[1]) found.push(match[1]);
  return found;
}

/** The room (first folder under src/) a relative import lands in; undefined for packages and src/ itself. */
function roomOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const parts = relative(SRC, resolve(dirname(file), specifier)).split(sep);
  return parts.length > 1 ? parts[0] : '(src)';
}

function violations(room: string, allowed: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of filesUnder(join(SRC, room))) {
    for (const specifier of importedModules(readFileSync(file, 'utf8'))) {
      const target = roomOf(file, specifier);
      if (target !== undefined && target !== room && !allowed.includes(target)) out.push(`${relative('.', file)} imports ${specifier}`);
    }
  }
  return out;
}

describe('room boundaries', () => {
  for (const [room, allowed] of Object.entries(ALLOWED)) {
    it(`src/${room} imports from ${allowed.length === 0 ? 'no other room' : `no room but ${allowed.join(' and ')}`}`, () => {
      assert.deepEqual(violations(room, allowed), []);
    });
  }

  it('reads imports of every kind, so a rule can fail', () => {
    const source =
      "import { a } from '../fleet/a.js';\nimport type {\n  B,\n} from \"../commands/b.js\";\nexport * from './c.js';\nimport './d.js';\nconst e = await import('../fleet/e.js');";
    assert.deepEqual(importedModules(source), ['../fleet/a.js', '../commands/b.js', './c.js', './d.js', '../fleet/e.js']);
    assert.equal(roomOf(join(SRC, 'signing', 'x.ts'), '../fleet/a.js'), 'fleet');
  });
});
