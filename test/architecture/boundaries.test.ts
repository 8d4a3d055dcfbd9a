import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

/** The rooms' import rules of docs/architecture.md, checked on every import line of src/. */
const SRC = resolve('src');
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  core: ['*'],
  model: ['mqtt', 'fleet', 'http', 'commands', 'poller', 'telemetry', 'automations', 'signing', 'simulator', 'cli'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The room ("core", "mqtt", ...) a relative import of `file` lands in; undefined for packages. */
function importedRooms(file: string): { room: string; line: string }[] {
  const text = readFileSync(file, 'utf8');
  const found: { room: string; line: string }[] = [];
  for (const match of text.matchAll(/^(?:import|export)[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm)) {
    const target = relative(SRC, resolve(dirname(file), match[1] as string));
    const room = target.split('/')[0] as string;
    found.push({ room: target.includes('/') ? room : '(root)', line: match[0] });
  }
  return found;
}

function violations(room: string, forbidden: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of filesUnder(join(SRC, room))) {
    for (const { room: target, line } of importedRooms(file)) {
      if (target === room) continue;
      if (forbidden.includes('*') || forbidden.includes(target)) out.push(`${relative('.', file)}: ${line}`);
    }
  }
  return out;
}

describe('room boundaries', () => {
  for (const [room, forbidden] of Object.entries(FORBIDDEN)) {
    it(`src/${room} imports nothing from ${forbidden.includes('*') ? 'any other room' : forbidden.join(', ')}`, () => {
      assert.deepEqual(violations(room, forbidden), []);
    });
  }

  it('the checker sees a forbidden import (the rule can fail)', () => {
    const found = importedRooms(resolve('src/mqtt/topics.ts')).map((entry) => entry.room);
    assert.ok(found.includes('core'), `expected mqtt/topics.ts to import core, saw ${found.join(', ')}`);
  });
});
