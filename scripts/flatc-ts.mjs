// Compiles schemas/flatbuffers/*.fbs to TypeScript in src/gen/flatbuffers/ with flatc (2.0.8,
// Debian's flatbuffers-compiler), then makes the output fit this project: ESM imports with `.js`
// suffixes, and `// @ts-nocheck` because flatc emits `enum`, which erasableSyntaxOnly refuses.
// The output is committed, so building and testing never need flatc.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const schemaDir = join(root, 'schemas', 'flatbuffers');
const outDir = join(root, 'src', 'gen', 'flatbuffers');
const schemas = readdirSync(schemaDir)
  .filter((name) => name.endsWith('.fbs'))
  .map((name) => join(schemaDir, name));
const work = mkdtempSync(join(tmpdir(), 'flatc-'));
try {
  execFileSync('flatc', ['--ts', '-o', work, ...schemas], { stdio: 'inherit' });
  rmSync(outDir, { recursive: true, force: true });
  for (const file of walk(work)) {
    const target = join(outDir, relative(work, file));
    mkdirSync(dirname(target), { recursive: true });
    const text = readFileSync(file, 'utf8').replace(/from '(\.{1,2}\/[^']+?)(?:\.js)?'/g, "from '$1.js'");
    writeFileSync(target, `// @ts-nocheck\n${text}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (path.endsWith('.ts')) yield path;
  }
}
