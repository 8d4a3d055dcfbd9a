import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { childEnv } from '../support/cli.js';
import { tempDir } from '../support/tmp.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * bin/teslahub.js in a folder of its own with a one-file teslahub, to see which code it runs:
 * dist/ when built from the sources beside it, else the sources (tsx), and a compile first under
 * `npm start`.
 */
describe('bin/teslahub.js picks the lightest way to run', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  const run = (env: Record<string, string> = {}): string => {
    const result = spawnSync(process.execPath, [join(root, 'bin', 'teslahub.js')], { cwd: root, env: childEnv(env), encoding: 'utf8', timeout: 120_000 });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.trim();
  };

  before(async () => {
    ({ dir: root, cleanup } = await tempDir('teslahub-bin-'));
    await mkdir(join(root, 'bin'));
    for (const file of ['teslahub.js', 'dist-fingerprint.js']) await copyFile(join(REPO, 'bin', file), join(root, 'bin', file));
    await symlink(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
    await writeFile(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
    await writeFile(
      join(root, 'tsconfig.build.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', target: 'es2022', rootDir: 'src', outDir: 'dist', skipLibCheck: true, types: ['node'] },
        include: ['src'],
      }),
    );
    await mkdir(join(root, 'src', 'cli'), { recursive: true });
    await writeFile(
      join(root, 'src', 'cli', 'main.ts'),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is TypeScript source for a file, its template is meant literally
      "export async function main(): Promise<number> {\n  process.stdout.write(`ran ${import.meta.url.includes('/dist/') ? 'dist' : 'source'}\\n`);\n  return 0;\n}\n",
    );
  });
  after(() => cleanup());

  it('runs the sources while there is no dist/', () => {
    assert.equal(run(), 'ran source');
  });

  it('compiles once under npm start, then runs dist/ without compiling again', async () => {
    assert.equal(run({ npm_lifecycle_event: 'start' }), 'ran dist');
    const stamp = await readFile(join(root, 'dist', '.source-fingerprint'), 'utf8');
    assert.equal(run(), 'ran dist', 'a fresh dist/ is used however teslahub is started');
    assert.equal(await readFile(join(root, 'dist', '.source-fingerprint'), 'utf8'), stamp);
    assert.equal(run({ TESLAHUB_FROM_SOURCE: '1' }), 'ran source');
  });

  it('runs the sources again once they changed, and compiles anew under npm start', async () => {
    await writeFile(join(root, 'src', 'cli', 'main.ts'), `${await readFile(join(root, 'src', 'cli', 'main.ts'), 'utf8')}// changed\n`);
    assert.equal(run(), 'ran source', 'a stale dist/ is never run');
    assert.equal(run({ npm_lifecycle_event: 'start' }), 'ran dist');
  });
});
