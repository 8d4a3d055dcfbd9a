import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The signing room depends on the core and its own schemas, never on the Fleet API client or the
 * commands that use it: commands call signing, not the reverse. Every import of every file under
 * src/signing is read and resolved.
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const FORBIDDEN = ['fleet', 'commands'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
function importedModules(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) if (match[1]) found.push(match[1]);
  return found;
}

/** The room (first folder under src/) a relative import lands in, or undefined for packages. */
function roomOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative(SRC, resolve(dirname(file), specifier)).split(sep)[0];
}

describe('dependency direction of src/signing', () => {
  it('reads imports of every kind', () => {
    const source = "import { a } from '../fleet/a.js';\nimport type {\n  B,\n} from \"../commands/b.js\";\nexport * from './c.js';\nimport './d.js';\nconst e = await import('../fleet/e.js');";
    assert.deepEqual(importedModules(source).sort(), ['../commands/b.js', '../fleet/a.js', '../fleet/e.js', './c.js', './d.js']);
  });

  it('imports nothing from src/fleet or src/commands', () => {
    const files = sourceFiles(join(SRC, 'signing'));
    assert.ok(files.length > 10, `only ${files.length} files found under src/signing`);
    const offending: string[] = [];
    for (const file of files) {
      for (const specifier of importedModules(readFileSync(file, 'utf8'))) {
        const room = roomOf(file, specifier);
        if (room !== undefined && FORBIDDEN.includes(room)) offending.push(`${relative(SRC, file)} imports ${specifier}`);
      }
    }
    assert.deepEqual(offending, []);
  });
});
